package jsonata

import (
	"encoding/base64"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stepwise-run/stepwise/value"
)

func arg(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return Undefined{}
}

func fnString(c call, args []any) (any, error) {
	pretty, _ := arg(args, 1).(bool)
	return stringOf(arg(args, 0), pretty)
}

// stringOf is $string(v, pretty).
func stringOf(v any, pretty bool) (any, error) {
	if isUndef(v) {
		return Undefined{}, nil
	}
	switch x := v.(type) {
	case string:
		return x, nil
	case *lambda, *Function, *regexLit:
		return "", nil
	case float64:
		if isNonFinite(x) {
			return nil, errv("D3001", x)
		}
		if i := int(x); float64(i) == x && i >= 0 && i < len(smallIntegers) {
			return smallIntegers[i], nil
		}
	}
	return jsonString(v, pretty)
}

// smallIntegers are the strings of the integers from 0 to 99, boxed once,
// so that $string of a small count or index allocates nothing. The table
// is never modified.
var smallIntegers = func() (t [100]any) {
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return t
}()

// runesOf splits s into code points, as jsonata-js's stringToArray does.
func runesOf(s string) []rune { return []rune(s) }

func fnSubstring(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	start, _ := arg(args, 1).(float64)
	rs := runesOf(s)
	n := float64(len(rs))
	if n+start < 0 {
		start = 0
	}
	if l, ok := arg(args, 2).(float64); ok {
		if l <= 0 {
			return "", nil
		}
		var end float64
		if start >= 0 {
			end = start + l
		} else {
			end = n + start + l
		}
		return string(sliceRunes(rs, start, end)), nil
	}
	return string(sliceRunes(rs, start, n)), nil
}

// sliceRunes is Array.prototype.slice(start, end).
func sliceRunes(rs []rune, start, end float64) []rune {
	n := float64(len(rs))
	norm := func(x float64) int {
		x = math.Trunc(x)
		if math.IsNaN(x) {
			return 0
		}
		if x < 0 {
			x += n
			if x < 0 {
				x = 0
			}
		}
		if x > n {
			x = n
		}
		return int(x)
	}
	s, e := norm(start), norm(end)
	if s >= e {
		return nil
	}
	return rs[s:e]
}

func fnSubstringBefore(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	chars, _ := arg(args, 1).(string)
	if i := strings.Index(s, chars); i >= 0 {
		return s[:i], nil
	}
	return s, nil
}

func fnSubstringAfter(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	chars, _ := arg(args, 1).(string)
	if i := strings.Index(s, chars); i >= 0 {
		return s[i+len(chars):], nil
	}
	return s, nil
}

func fnLowercase(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	return jsLower(s), nil
}

func fnUppercase(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	return jsUpper(s), nil
}

func fnLength(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	return float64(utf8.RuneCountInString(s)), nil
}

func fnTrim(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	var b strings.Builder
	inSpace := false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' {
			if !inSpace {
				b.WriteByte(' ')
			}
			inSpace = true
			continue
		}
		inSpace = false
		b.WriteByte(ch)
	}
	r := b.String()
	r = strings.TrimPrefix(r, " ")
	r = strings.TrimSuffix(r, " ")
	return r, nil
}

func fnPad(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	width, _ := arg(args, 1).(float64)
	ch, ok := arg(args, 2).(string)
	if !ok || ch == "" {
		ch = " "
	}
	padLen := int(math.Abs(width)) - utf8.RuneCountInString(s)
	if math.IsNaN(width) || padLen <= 0 {
		return s, nil
	}
	if err := c.ev.charge(int64(padLen * len(ch))); err != nil {
		return nil, err
	}
	padding := strings.Repeat(ch, padLen)
	if utf8.RuneCountInString(ch) > 1 {
		padding = string(runesOf(padding)[:padLen])
	}
	if width > 0 {
		return s + padding, nil
	}
	return padding + s, nil
}

// matcher calls a matcher function (a regex or a lambda) on str and
// checks the result's structure.
func (c call) matcher(fn any, args []any) (any, error) {
	r, err := c.apply(fn, args)
	if err != nil {
		return nil, err
	}
	if !jsTruthy(r) {
		return r, nil
	}
	if o, ok := r.(*value.Object); ok {
		start, _ := o.Get("start")
		groups, _ := o.Get("groups")
		next, _ := o.Get("next")
		if _, ok := start.(float64); ok || isArray(groups) || isFunction(next) {
			return o, nil
		}
	}
	return nil, newError("T1010", -1, "")
}

// jsTruthy is JavaScript's truthiness.
func jsTruthy(v any) bool {
	switch x := v.(type) {
	case Undefined, nil:
		return false
	case bool:
		return x
	case float64:
		return x != 0 && !math.IsNaN(x)
	case string:
		return x != ""
	}
	return true
}

func matchField(o any, key string) any {
	if obj, ok := o.(*value.Object); ok {
		if v, ok := obj.Get(key); ok {
			return v
		}
	}
	return Undefined{}
}

func fnContains(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	switch t := arg(args, 1).(type) {
	case string:
		return strings.Contains(s, t), nil
	default:
		m, err := c.matcher(t, []any{s})
		if err != nil {
			return nil, err
		}
		return !isUndef(m), nil
	}
}

func fnMatch(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	limit, hasLimit := arg(args, 2).(float64)
	if hasLimit && limit < 0 {
		return nil, errv("D3040", limit).with("index", 3.0)
	}
	result := newSeq(0)
	if hasLimit && limit <= 0 {
		return result, nil
	}
	m, err := c.matcher(arg(args, 1), []any{s})
	if err != nil {
		return nil, err
	}
	for count := 0; !isUndef(m) && (!hasLimit || float64(count) < limit); count++ {
		o := value.NewObject(3)
		o.Set("match", matchField(m, "match"))
		o.Set("index", matchField(m, "start"))
		o.Set("groups", matchField(m, "groups"))
		result.items = append(result.items, o)
		if err := c.ev.charge(1); err != nil {
			return nil, err
		}
		m, err = c.matcher(matchField(m, "next"), nil)
		if err != nil {
			return nil, err
		}
	}
	return result, nil
}

func fnReplace(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	pattern := arg(args, 1)
	replacement := arg(args, 2)
	if p, ok := pattern.(string); ok && p == "" {
		return nil, errv("D3010", p).with("index", 2.0)
	}
	limit, hasLimit := arg(args, 3).(float64)
	if hasLimit && limit < 0 {
		return nil, errv("D3011", limit).with("index", 4.0)
	}
	if hasLimit && limit <= 0 {
		return s, nil
	}
	var replacer func(m any) (any, error)
	if rs, ok := replacement.(string); ok {
		replacer = func(m any) (any, error) { return substituteGroups(rs, m), nil }
	} else {
		replacer = func(m any) (any, error) { return c.apply(replacement, []any{m}) }
	}
	var b strings.Builder
	if p, ok := pattern.(string); ok {
		rs, _ := replacement.(string)
		pos := 0
		count := 0
		for {
			if hasLimit && float64(count) >= limit {
				break
			}
			i := strings.Index(s[pos:], p)
			if i < 0 {
				break
			}
			b.WriteString(s[pos : pos+i])
			b.WriteString(rs)
			pos += i + len(p)
			count++
		}
		b.WriteString(s[pos:])
		return b.String(), nil
	}
	m, err := c.matcher(pattern, []any{s})
	if err != nil {
		return nil, err
	}
	if isUndef(m) {
		return s, nil
	}
	pos := 0
	for count := 0; !isUndef(m) && (!hasLimit || float64(count) < limit); count++ {
		start := utf16ToByte(s, int(toFloat(matchField(m, "start"))))
		if start < pos {
			start = pos
		}
		b.WriteString(s[pos:start])
		r, err := replacer(m)
		if err != nil {
			return nil, err
		}
		rstr, ok := r.(string)
		if !ok {
			return nil, errv("D3012", r)
		}
		b.WriteString(rstr)
		ms, _ := matchField(m, "match").(string)
		pos = start + len(ms)
		if err := c.ev.charge(1); err != nil {
			return nil, err
		}
		m, err = c.matcher(matchField(m, "next"), nil)
		if err != nil {
			return nil, err
		}
	}
	if pos < len(s) {
		b.WriteString(s[pos:])
	}
	return b.String(), nil
}

func toFloat(v any) float64 {
	f, _ := v.(float64)
	return f
}

// substituteGroups expands $n references in a replacement string.
func substituteGroups(repl string, m any) string {
	groups, _ := asArray(matchField(m, "groups"))
	matched, _ := matchField(m, "match").(string)
	var b strings.Builder
	pos := 0
	idx := strings.IndexByte(repl, '$')
	for idx >= 0 && pos < len(repl) {
		b.WriteString(repl[pos:idx])
		pos = idx + 1
		if pos >= len(repl) {
			b.WriteByte('$')
			idx = -1
			break
		}
		d := repl[pos]
		switch {
		case d == '$':
			b.WriteByte('$')
			pos++
		case d == '0':
			b.WriteString(matched)
			pos++
		default:
			maxDigits := 1
			if len(groups) > 0 {
				maxDigits = int(math.Floor(math.Log(float64(len(groups)))*math.Log10E)) + 1
			}
			index, n := parseLeadingInt(repl[pos:min(pos+maxDigits, len(repl))])
			if maxDigits > 1 && index > len(groups) {
				index, n = parseLeadingInt(repl[pos:min(pos+maxDigits-1, len(repl))])
			}
			if n > 0 {
				if len(groups) > 0 && index >= 1 && index <= len(groups) {
					if g, ok := groups[index-1].(string); ok {
						b.WriteString(g)
					}
				}
				pos += len(strconv.Itoa(index))
			} else {
				b.WriteByte('$')
			}
		}
		idx = strings.IndexByte(repl[pos:], '$')
		if idx >= 0 {
			idx += pos
		}
	}
	if pos < len(repl) {
		b.WriteString(repl[pos:])
	}
	return b.String()
}

// parseLeadingInt is parseInt(s, 10): the leading decimal digits of s.
func parseLeadingInt(s string) (int, int) {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == 0 {
		return 0, 0
	}
	v, _ := strconv.Atoi(s[:n])
	return v, n
}

func fnSplit(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	limit, hasLimit := arg(args, 2).(float64)
	if hasLimit && limit < 0 {
		return nil, errv("D3020", limit).with("index", 3.0)
	}
	result := []any{}
	if hasLimit && limit <= 0 {
		return result, nil
	}
	if sep, ok := arg(args, 1).(string); ok {
		var parts []string
		if sep == "" {
			for _, r := range s {
				parts = append(parts, string(r))
			}
		} else {
			parts = strings.Split(s, sep)
		}
		for _, p := range parts {
			if hasLimit && float64(len(result)) >= math.Floor(limit) {
				break
			}
			result = append(result, p)
		}
		return result, nil
	}
	m, err := c.matcher(arg(args, 1), []any{s})
	if err != nil {
		return nil, err
	}
	if isUndef(m) {
		return append(result, s), nil
	}
	start := 0
	count := 0
	for ; !isUndef(m) && (!hasLimit || float64(count) < limit); count++ {
		ms := utf16ToByte(s, int(toFloat(matchField(m, "start"))))
		if ms < start {
			ms = start
		}
		result = append(result, s[start:ms])
		start = utf16ToByte(s, int(toFloat(matchField(m, "end"))))
		m, err = c.matcher(matchField(m, "next"), nil)
		if err != nil {
			return nil, err
		}
	}
	if !hasLimit || float64(count) < limit {
		result = append(result, s[min(start, len(s)):])
	}
	return result, nil
}

func fnJoin(c call, args []any) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return Undefined{}, nil
	}
	items, _ := asArray(v)
	sep, _ := arg(args, 1).(string)
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i], _ = it.(string)
	}
	return strings.Join(parts, sep), nil
}

func fnBase64Encode(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	// Buffer.from(str, 'binary') keeps the low byte of each UTF-16 unit.
	units := utf16Units(s)
	bs := make([]byte, len(units))
	for i, u := range units {
		bs[i] = byte(u)
	}
	return base64.StdEncoding.EncodeToString(bs), nil
}

func fnBase64Decode(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	clean := strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '+' || r == '/' || r == '-' || r == '_' {
			return r
		}
		return -1
	}, s)
	clean = strings.NewReplacer("-", "+", "_", "/").Replace(clean)
	bs, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(clean, "="))
	if err != nil {
		// Node decodes as much as it can.
		for len(clean) > 0 && err != nil {
			clean = clean[:len(clean)-1]
			bs, err = base64.RawStdEncoding.DecodeString(clean)
		}
	}
	// toString('binary') maps each byte to the code point of the same value.
	rs := make([]rune, len(bs))
	for i, b := range bs {
		rs[i] = rune(b)
	}
	return string(rs), nil
}

const uriUnreservedMarks = "-_.!~*'()"
const uriReserved = ";/?:@&=+$,#"

func encodeURI(s string, keep string, name string) (any, error) {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return nil, errv("D3140", s).with("functionName", name)
		}
		c := s[i]
		if size == 1 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(uriUnreservedMarks, c) >= 0 || strings.IndexByte(keep, c) >= 0) {
			b.WriteByte(c)
		} else {
			for j := 0; j < size; j++ {
				b.WriteString("%" + strings.ToUpper(hexByte(s[i+j])))
			}
		}
		i += size
	}
	return b.String(), nil
}

func decodeURI(s string, reservedKeep string, name string) (any, error) {
	var out []byte
	for i := 0; i < len(s); {
		if s[i] != '%' {
			out = append(out, s[i])
			i++
			continue
		}
		if i+2 >= len(s) {
			return nil, errv("D3140", s).with("functionName", name)
		}
		v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
		if err != nil {
			return nil, errv("D3140", s).with("functionName", name)
		}
		if v < 0x80 {
			if strings.IndexByte(reservedKeep, byte(v)) >= 0 {
				out = append(out, s[i:i+3]...)
			} else {
				out = append(out, byte(v))
			}
			i += 3
			continue
		}
		// A multi-byte UTF-8 sequence, each byte percent-encoded.
		var seqb []byte
		j := i
		for j+2 < len(s) && s[j] == '%' {
			w, err := strconv.ParseUint(s[j+1:j+3], 16, 8)
			if err != nil || w < 0x80 {
				break
			}
			seqb = append(seqb, byte(w))
			j += 3
			if utf8.FullRune(seqb) {
				break
			}
		}
		r, size := utf8.DecodeRune(seqb)
		if r == utf8.RuneError || size != len(seqb) {
			return nil, errv("D3140", s).with("functionName", name)
		}
		out = append(out, seqb...)
		i = j
	}
	return string(out), nil
}

func fnEncodeURLComponent(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	return encodeURI(s, "", "encodeUrlComponent")
}

func fnEncodeURL(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	return encodeURI(s, uriReserved, "encodeUrl")
}

func fnDecodeURLComponent(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	return decodeURI(s, "", "decodeUrlComponent")
}

func fnDecodeURL(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	return decodeURI(s, uriReserved, "decodeUrl")
}
