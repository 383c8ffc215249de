package jsonata

import (
	"strings"
	"unicode"
)

// upperSpecial are the unconditional multi-character upper-case mappings
// of Unicode's SpecialCasing.txt that JavaScript's toUpperCase applies and
// Go's strings.ToUpper does not.
var upperSpecial = map[rune]string{
	'ß': "SS", 'ŉ': "ʼN", 'ǰ': "J̌", 'ΐ': "Ϊ́", 'ΰ': "Ϋ́", 'և': "ԵՒ",
	'ẖ': "H̱", 'ẗ': "T̈", 'ẘ': "W̊", 'ẙ': "Y̊", 'ẚ': "Aʾ",
	'ﬀ': "FF", 'ﬁ': "FI", 'ﬂ': "FL", 'ﬃ': "FFI", 'ﬄ': "FFL", 'ﬅ': "ST", 'ﬆ': "ST",
	'ﬓ': "ՄՆ", 'ﬔ': "ՄԵ", 'ﬕ': "ՄԻ", 'ﬖ': "ՎՆ", 'ﬗ': "ՄԽ",
	'ᾳ': "ΑΙ", 'ῃ': "ΗΙ", 'ῳ': "ΩΙ",
}

// jsUpper is JavaScript's String.prototype.toUpperCase.
func jsUpper(s string) string {
	if isASCII(s) {
		return strings.ToUpper(s)
	}
	var b strings.Builder
	for _, r := range s {
		if sp, ok := upperSpecial[r]; ok {
			b.WriteString(sp)
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// jsLower is JavaScript's String.prototype.toLowerCase, including the
// final sigma rule and the dotted capital I.
func jsLower(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		switch r {
		case 'İ':
			b.WriteString("i\u0307")
			continue
		case 'Σ':
			if finalSigma(rs, i) {
				b.WriteRune('ς')
				continue
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// finalSigma reports whether the capital sigma at i ends a word: a cased
// letter precedes it and none follows (ignoring case-ignorable marks).
func finalSigma(rs []rune, i int) bool {
	before := false
	for j := i - 1; j >= 0; j-- {
		if unicode.Is(unicode.Mn, rs[j]) || rs[j] == '\'' || rs[j] == '\u00b7' {
			continue
		}
		before = unicode.IsUpper(rs[j]) || unicode.IsLower(rs[j]) || unicode.IsTitle(rs[j])
		break
	}
	if !before {
		return false
	}
	for j := i + 1; j < len(rs); j++ {
		if unicode.Is(unicode.Mn, rs[j]) || rs[j] == '\'' || rs[j] == '\u00b7' {
			continue
		}
		return !(unicode.IsUpper(rs[j]) || unicode.IsLower(rs[j]) || unicode.IsTitle(rs[j]))
	}
	return true
}
