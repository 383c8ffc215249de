package jsonata

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file ports the integer picture handling of jsonata-js's datetime.js
// ($formatInteger, $parseInteger and integer date/time components).

var (
	fewWords      = []string{"Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"}
	ordinalWords  = []string{"Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth", "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"}
	decadeWords   = []string{"Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred"}
	magnitudeWord = []string{"Thousand", "Million", "Billion", "Trillion"}
)

func numberToWords(value float64, ordinal bool) string {
	var lookup func(num float64, prev, ord bool) string
	lookup = func(num float64, prev, ord bool) string {
		words := ""
		switch {
		case num <= 19:
			if prev {
				words = " and "
			}
			if ord {
				words += ordinalWords[int(num)]
			} else {
				words += fewWords[int(num)]
			}
		case num < 100:
			tens := int(num) / 10
			rem := math.Mod(num, 10)
			if prev {
				words = " and "
			}
			words += decadeWords[tens-2]
			if rem > 0 {
				words += "-" + lookup(rem, false, ord)
			} else if ord {
				words = words[:len(words)-1] + "ieth"
			}
		case num < 1000:
			hundreds := int(num) / 100
			rem := math.Mod(num, 100)
			if prev {
				words = ", "
			}
			words += fewWords[hundreds] + " Hundred"
			if rem > 0 {
				words += lookup(rem, true, ord)
			} else if ord {
				words += "th"
			}
		default:
			mag := int(math.Floor(math.Log10(num) / 3))
			if mag > len(magnitudeWord) {
				mag = len(magnitudeWord)
			}
			factor := math.Pow(10, float64(mag*3))
			mant := math.Floor(num / factor)
			rem := num - mant*factor
			if prev {
				words = ", "
			}
			words += lookup(mant, false, false) + " " + magnitudeWord[mag-1]
			if rem > 0 {
				words += lookup(rem, true, ord)
			} else if ord {
				words += "th"
			}
		}
		return words
	}
	return lookup(value, false, ordinal)
}

// wordValues maps number words to values; wordKeys lists them in
// jsonata-js's insertion order (which decides regex alternation).
var wordValues, wordKeys = func() (map[string]float64, []string) {
	m := map[string]float64{}
	var keys []string
	set := func(k string, v float64) {
		if _, ok := m[k]; !ok {
			keys = append(keys, k)
		}
		m[k] = v
	}
	for i, w := range fewWords {
		set(strings.ToLower(w), float64(i))
	}
	for i, w := range ordinalWords {
		set(strings.ToLower(w), float64(i))
	}
	for i, w := range decadeWords {
		lw := strings.ToLower(w)
		set(lw, float64((i+2)*10))
		set(lw[:len(lw)-1]+"ieth", float64((i+2)*10))
	}
	set("hundredth", 100)
	for i, w := range magnitudeWord {
		lw := strings.ToLower(w)
		v := math.Pow(10, float64((i+1)*3))
		set(lw, v)
		set(lw+"th", v)
	}
	return m, keys
}()

var wordsSplitRE = regexp.MustCompile(`,\s|\sand\s|[\s\\-]`)

func wordsToNumber(text string) float64 {
	parts := wordsSplitRE.Split(text, -1)
	segs := []float64{0}
	for _, p := range parts {
		v, ok := wordValues[p]
		if !ok {
			v = math.NaN()
		}
		if v < 100 || math.IsNaN(v) {
			top := segs[len(segs)-1]
			segs = segs[:len(segs)-1]
			if top >= 1000 {
				segs = append(segs, top)
				top = 0
			}
			segs = append(segs, top+v)
		} else {
			top := segs[len(segs)-1]
			segs[len(segs)-1] = top * v
		}
	}
	total := 0.0
	for _, s := range segs {
		total += s
	}
	return total
}

var romanNumerals = []struct {
	v float64
	s string
}{{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}}

func decimalToRoman(v float64) string {
	var b strings.Builder
	for v > 0 {
		found := false
		for _, rn := range romanNumerals {
			if v >= rn.v {
				b.WriteString(rn.s)
				v -= rn.v
				found = true
				break
			}
		}
		if !found {
			break
		}
	}
	return b.String()
}

var romanValues = map[byte]float64{'M': 1000, 'D': 500, 'C': 100, 'L': 50, 'X': 10, 'V': 5, 'I': 1}

func romanToDecimal(s string) float64 {
	decimal := 0.0
	max := 1.0
	for i := len(s) - 1; i >= 0; i-- {
		v, ok := romanValues[s[i]]
		if !ok {
			return math.NaN()
		}
		if v < max {
			decimal -= v
		} else {
			max = v
			decimal += v
		}
	}
	return decimal
}

func decimalToLetters(v float64, a byte) string {
	var letters []byte
	for v > 0 {
		letters = append([]byte{byte(math.Mod(v-1, 26)) + a}, letters...)
		v = math.Floor((v - 1) / 26)
	}
	return string(letters)
}

func lettersToDecimal(s string, a byte) float64 {
	d := 0.0
	for i := 0; i < len(s); i++ {
		d += float64(int(s[len(s)-i-1])-int(a)+1) * math.Pow(26, float64(i))
	}
	return d
}

const (
	// maxRoman bounds roman numerals (jsonata-js overflows its stack on
	// large ones); maxPad bounds zero padding from picture widths.
	maxRoman = 1e7
	maxPad   = 1 << 20
)

type intPrimary int

const (
	primaryDecimal intPrimary = iota
	primaryLetters
	primaryRoman
	primaryWords
	primarySequence
)

type letterCase int

const (
	caseLower letterCase = iota
	caseUpper
	caseTitle
)

type groupSep struct {
	position int
	char     string
}

type integerFormat struct {
	primary         intPrimary
	lcase           letterCase
	ordinal         bool
	zeroCode        rune
	mandatoryDigits int
	optionalDigits  int
	regular         bool
	regularSep      groupSep
	separators      []groupSep
	token           string
	n               int
}

var decimalGroups = []rune{0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10}

func analyseIntegerPicture(picture string) (*integerFormat, error) {
	f := &integerFormat{primary: primaryDecimal, lcase: caseLower, zeroCode: '0'}
	primary := picture
	if semi := strings.LastIndex(picture, ";"); semi != -1 {
		primary = picture[:semi]
		if mod := picture[semi+1:]; strings.HasPrefix(mod, "o") {
			f.ordinal = true
		}
	}
	switch primary {
	case "A":
		f.lcase = caseUpper
		f.primary = primaryLetters
	case "a":
		f.primary = primaryLetters
	case "I":
		f.lcase = caseUpper
		f.primary = primaryRoman
	case "i":
		f.primary = primaryRoman
	case "W":
		f.lcase = caseUpper
		f.primary = primaryWords
	case "Ww":
		f.lcase = caseTitle
		f.primary = primaryWords
	case "w":
		f.primary = primaryWords
	default:
		zero := rune(-1)
		mandatory, optional := 0, 0
		var seps []groupSep
		sepPos := 0
		rs := []rune(primary)
		for i := len(rs) - 1; i >= 0; i-- {
			cp := rs[i]
			digit := false
			for _, g := range decimalGroups {
				if cp >= g && cp <= g+9 {
					digit = true
					mandatory++
					sepPos++
					if zero == -1 {
						zero = g
					} else if g != zero {
						return nil, newError("D3131", -1, "")
					}
					break
				}
			}
			if !digit {
				if cp == '#' {
					sepPos++
					optional++
				} else {
					seps = append(seps, groupSep{position: sepPos, char: string(cp)})
				}
			}
		}
		if mandatory > 0 {
			f.primary = primaryDecimal
			f.zeroCode = zero
			f.mandatoryDigits = mandatory
			f.optionalDigits = optional
			if r := regularSeparators(seps); r > 0 {
				f.regular = true
				f.regularSep = groupSep{position: r, char: seps[0].char}
			} else {
				f.separators = seps
			}
		} else {
			f.primary = primarySequence
			f.token = primary
		}
	}
	return f, nil
}

func regularSeparators(seps []groupSep) int {
	if len(seps) == 0 {
		return 0
	}
	for _, s := range seps[1:] {
		if s.char != seps[0].char {
			return 0
		}
	}
	gcd := func(a, b int) int {
		for b != 0 {
			a, b = b, a%b
		}
		return a
	}
	factor := seps[0].position
	for _, s := range seps[1:] {
		factor = gcd(factor, s.position)
	}
	for i := 1; i <= len(seps); i++ {
		found := false
		for _, s := range seps {
			if s.position == i*factor {
				found = true
			}
		}
		if !found {
			return 0
		}
	}
	return factor
}

func formatIntegerWith(value float64, f *integerFormat) (string, error) {
	negative := value < 0
	value = math.Abs(value)
	var s string
	switch f.primary {
	case primaryLetters:
		a := byte('a')
		if f.lcase == caseUpper {
			a = 'A'
		}
		s = decimalToLetters(value, a)
	case primaryRoman:
		if value > maxRoman {
			return "", newError("U1002", -1, "")
		}
		s = decimalToRoman(value)
		if f.lcase == caseUpper {
			s = strings.ToUpper(s)
		}
	case primaryWords:
		s = numberToWords(value, f.ordinal)
		if f.lcase == caseUpper {
			s = strings.ToUpper(s)
		} else if f.lcase == caseLower {
			s = strings.ToLower(s)
		}
	case primaryDecimal:
		s = formatNum(value)
		if pad := f.mandatoryDigits - utf8.RuneCountInString(s); pad > maxPad {
			return "", newError("U1002", -1, "")
		} else if pad > 0 {
			s = strings.Repeat("0", pad) + s
		}
		if f.zeroCode != '0' {
			rs := []rune(s)
			for i, r := range rs {
				rs[i] = r + f.zeroCode - '0'
			}
			s = string(rs)
		}
		if f.regular {
			rs := []rune(s)
			n := (len(rs) - 1) / f.regularSep.position
			for i := n; i > 0; i-- {
				rs = []rune(s)
				pos := len(rs) - i*f.regularSep.position
				s = string(rs[:pos]) + f.regularSep.char + string(rs[pos:])
			}
		} else {
			for i := len(f.separators) - 1; i >= 0; i-- {
				sep := f.separators[i]
				rs := []rune(s)
				pos := len(rs) - sep.position
				if pos < 0 {
					pos = 0
				}
				s = string(rs[:pos]) + sep.char + string(rs[pos:])
			}
		}
		if f.ordinal {
			rs := []rune(s)
			last := rs[len(rs)-1]
			suffix := map[rune]string{'1': "st", '2': "nd", '3': "rd"}[last]
			if suffix == "" || (len(rs) > 1 && rs[len(rs)-2] == '1') {
				suffix = "th"
			}
			s += suffix
		}
	case primarySequence:
		return "", errv("D3130", f.token)
	}
	if negative {
		s = "-" + s
	}
	return s, nil
}

func fnFormatInteger(c call, args []any) (any, error) {
	v, ok := arg(args, 0).(float64)
	if !ok {
		return Undefined{}, nil
	}
	picture, _ := arg(args, 1).(string)
	f, err := analyseIntegerPicture(picture)
	if err != nil {
		return nil, err
	}
	return formatIntegerWith(math.Floor(v), f)
}

// intMatcher is a regular expression and parser for an integer picture.
type intMatcher struct {
	regex string
	parse func(string) float64
}

func integerMatcher(f *integerFormat) (*intMatcher, error) {
	isUpper := f.lcase == caseUpper
	occurrences := "+"
	if f.n > 0 {
		if f.optionalDigits == 0 {
			occurrences = "{" + strconv.Itoa(f.n) + "}"
		} else {
			occurrences = "{" + strconv.Itoa(f.n-f.optionalDigits) + "," + strconv.Itoa(f.n) + "}"
		}
	}
	m := &intMatcher{}
	switch f.primary {
	case primaryLetters:
		a := byte('a')
		m.regex = "[a-z]+"
		if isUpper {
			a = 'A'
			m.regex = "[A-Z]+"
		}
		m.parse = func(s string) float64 { return lettersToDecimal(s, a) }
	case primaryRoman:
		m.regex = "[mdclxvi]+"
		if isUpper {
			m.regex = "[MDCLXVI]+"
		}
		m.parse = func(s string) float64 {
			if !isUpper {
				s = strings.ToUpper(s)
			}
			return romanToDecimal(s)
		}
	case primaryWords:
		keys := append(append([]string{}, wordKeys...), "and", "[\\-, ]")
		m.regex = "(?:" + strings.Join(keys, "|") + ")+"
		m.parse = func(s string) float64 { return wordsToNumber(strings.ToLower(s)) }
	case primaryDecimal:
		m.regex = "[0-9]" + occurrences
		if f.ordinal {
			m.regex += "(?:th|st|nd|rd)"
		}
		m.parse = func(s string) float64 {
			digits := s
			if f.ordinal && len(digits) >= 2 {
				digits = digits[:len(digits)-2]
			}
			if f.regular {
				digits = strings.ReplaceAll(digits, ",", "")
			} else {
				for _, sep := range f.separators {
					digits = strings.ReplaceAll(digits, sep.char, "")
				}
			}
			if f.zeroCode != '0' {
				rs := []rune(digits)
				for i, r := range rs {
					rs[i] = r - f.zeroCode + '0'
				}
				digits = string(rs)
			}
			n, k := parseLeadingInt(digits)
			if k == 0 {
				return math.NaN()
			}
			return float64(n)
		}
	case primarySequence:
		return nil, errv("D3130", f.token)
	}
	return m, nil
}

func fnParseInteger(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	picture, _ := arg(args, 1).(string)
	f, err := analyseIntegerPicture(picture)
	if err != nil {
		return nil, err
	}
	m, err := integerMatcher(f)
	if err != nil {
		return nil, err
	}
	return m.parse(s), nil
}
