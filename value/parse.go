package value

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting of arrays and objects Parse accepts.
const MaxDepth = 10000

// SyntaxError reports malformed JSON text.
type SyntaxError struct {
	Offset int    // byte offset of the problem
	Msg    string // what is wrong
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at offset %d: %s", e.Offset, e.Msg)
}

// Parse decodes one JSON document. Trailing white space is allowed; any other
// trailing content is an error. Duplicate keys keep the last value, as
// Jackson (AWS's parser) does.
//
// Parse is hand-written rather than built on encoding/json because the
// standard decoder neither keeps object key order nor decodes into our
// value model without a second pass, and parsing is on the engine's hot path.
// It copies b once; strings in the result share that copy.
func Parse(b []byte) (any, error) { return ParseString(string(b)) }

// ParseString is Parse for a string. Strings in the result that needed no
// unescaping share the memory of s rather than copying it.
func ParseString(s string) (any, error) {
	// The tape stays on the stack unless the document needs more room:
	// it is passed down the parse on its own (see tape), not in parser,
	// whose contents escape.
	var buf [256]int32
	c := scan(s, buf[:0])
	t := &tape{entries: c.tape}
	p := parser{s: s}
	// All the objects of the document, all their members, all the
	// elements of its arrays and all its strings and numbers, in an
	// allocation each.
	if c.objects > 0 {
		p.objects = make([]Object, c.objects)
	}
	if c.members > 0 {
		p.members = make([]member, c.members)
	}
	if c.elems > 0 {
		p.elems = make([]any, c.elems)
	}
	if c.strings > 0 {
		p.strs = make([]string, c.strings)
	}
	if c.numbers > 0 {
		p.nums = make([]float64, c.numbers)
	}
	if c.arrays > 0 {
		p.arrs = make([][]any, c.arrays)
	}
	p.skipSpace()
	v, err := p.value(t, 0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.i != len(p.s) {
		return nil, p.errorf("unexpected %q after the JSON value", p.s[p.i])
	}
	return v, nil
}

// parser is the state of one Parse. A first pass (scan) counts the members
// and elements of every container, so that the parse proper stores each of
// them once, in place, in storage of exactly the right size, and finds
// where each string ends, so that the parse proper does not look at a
// plain string's bytes again.
type parser struct {
	s string
	i int
	// n is the encoded length (EncodedLen) of the value just parsed:
	// objects are born measured, at little cost while the text is at hand.
	n int

	// Storage not yet handed out.
	objects []Object
	members []member
	elems   []any
	strs    []string  // string values (see box.go)
	nums    []float64 // numbers that smallInts does not hold
	arrs    [][]any   // arrays' slice headers
}

// scanned is what the first pass learns.
type scanned struct {
	// tape has an entry per container and per string (keys included), in
	// the order they open: a container's count of members or elements,
	// or the offset of a string's closing quote if the string is plain
	// (only ASCII, no escapes, no control characters), else -1.
	tape []int32
	// Totals: objects, arrays, object members, array elements, string
	// values (not keys), and numbers but for those smallInts holds.
	objects, arrays, members, elems, strings, numbers int
}

// scan is the first pass over the JSON text s: it fills a scanned, whose
// tape it appends to tape. It checks nothing: on malformed text what it
// learns may be wrong, and the parse, which treats it as hints where it
// cannot be wrong and stops at the first error, reports the error. On
// well-formed text up to the error, both passes see the same tokens.
func scan(s string, tape []int32) scanned {
	c := scanned{tape: tape}
	type open struct {
		at       int32 // index in tape
		nonEmpty bool  // a value was seen in it
		object   bool  // it is an object
		key      bool  // an object's next string is a key
	}
	var buf [16]open
	stack := buf[:0]
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; ch {
		case ' ', '\t', '\n', '\r':
		case ':':
			if len(stack) > 0 {
				stack[len(stack)-1].key = false
			}
		case ',':
			if len(stack) > 0 {
				top := &stack[len(stack)-1]
				c.tape[top.at]++
				top.key = top.object
			}
		case '{', '[':
			if len(stack) > 0 {
				stack[len(stack)-1].nonEmpty = true
			}
			if ch == '{' {
				c.objects++
			} else {
				c.arrays++
			}
			c.tape = append(c.tape, 0)
			stack = append(stack, open{at: int32(len(c.tape) - 1), object: ch == '{', key: ch == '{'})
		case '}', ']':
			if len(stack) == 0 {
				break
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			n := &c.tape[top.at]
			if top.nonEmpty {
				*n++ // one more than the commas
			} else {
				*n = 0
			}
			if ch == '}' {
				c.members += int(*n)
			} else {
				c.elems += int(*n)
			}
		case '"':
			if len(stack) == 0 || !stack[len(stack)-1].key {
				c.strings++
			}
			if len(stack) > 0 {
				stack[len(stack)-1].nonEmpty = true
			}
			j := i + 1
			j += plainPrefix(s[j:])
			if j < len(s) && s[j] == '"' {
				c.tape = append(c.tape, int32(j))
				i = j
				continue
			}
			c.tape = append(c.tape, -1)
			// Not plain: skip to the closing quote, one not escaped by an
			// odd number of backslashes.
			for {
				k := strings.IndexByte(s[j:], '"')
				if k < 0 {
					return c
				}
				j += k
				b := 0
				for j-1-b > i && s[j-1-b] == '\\' {
					b++
				}
				if b%2 == 0 {
					break
				}
				j++
			}
			i = j
		default:
			if len(stack) > 0 {
				stack[len(stack)-1].nonEmpty = true
			}
			if ch == '-' || ch >= '0' && ch <= '9' {
				j := i + 1
				for j < len(s) && numberByte(s[j]) {
					j++
				}
				if !smallInt(s[i:j]) {
					c.numbers++
				}
				i = j - 1
			}
		}
	}
	return c
}

// numberByte reports whether c can continue a JSON number.
func numberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'
}

// smallInt reports whether the number text t is one smallInts holds.
func smallInt(t string) bool {
	if len(t) > 3 {
		return false
	}
	n := 0
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return false
		}
		n = n*10 + int(t[i]-'0')
	}
	return n < len(smallInts)
}

// tape is what scan learnt (see scanned), read in order by the parse.
type tape struct {
	entries []int32
	next    int // index of the next entry to read
}

// read returns the next tape entry: the count of the container opening
// now, or what scan learnt of the string starting now. Past the end of
// the tape (on malformed text) it returns -1, which is never wrong: a
// count of 0 (storage is then allocated as needed) or a string to scan.
func (t *tape) read() int {
	if t.next >= len(t.entries) {
		return -1
	}
	n := t.entries[t.next]
	t.next++
	return int(n)
}

// take returns room for n members, or n elements, from the document's
// storage: a slice with no spare capacity, so that appending to it never
// writes into its neighbour's. Past the end of the storage (the counts were
// only hints) it allocates.
func take[T any](free *[]T, n int) []T {
	if len(*free) < n {
		return make([]T, 0, n)
	}
	s := (*free)[:0:n]
	*free = (*free)[n:]
	return s
}

// boxArray returns es as an interface value whose slice header is kept in
// the document's storage (see box.go).
func (p *parser) boxArray(es []any) any {
	if len(p.arrs) == 0 {
		return es
	}
	p.arrs[0] = es
	v := boxArray(&p.arrs[0])
	p.arrs = p.arrs[1:]
	return v
}

// newObject returns a zero Object from the document's storage.
func (p *parser) newObject() *Object {
	if len(p.objects) == 0 {
		return new(Object)
	}
	o := &p.objects[0]
	p.objects = p.objects[1:]
	return o
}

func (p *parser) errorf(format string, args ...any) error {
	return &SyntaxError{Offset: p.i, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) skipSpace() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value(t *tape, depth int) (any, error) {
	if p.i >= len(p.s) {
		return nil, p.errorf("unexpected end of input")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object(t, depth+1)
	case c == '[':
		return p.array(t, depth+1)
	case c == '"':
		s, err := p.string(t)
		if err != nil || len(p.strs) == 0 {
			return s, err
		}
		p.strs[0] = s
		v := boxString(&p.strs[0])
		p.strs = p.strs[1:]
		return v, nil
	case c == 't':
		return p.literal("true", true)
	case c == 'f':
		return p.literal("false", false)
	case c == 'n':
		return p.literal("null", nil)
	case c == '-' || (c >= '0' && c <= '9'):
		f, small, err := p.number()
		if err != nil {
			return nil, err
		}
		if small {
			return smallInts[int(f)], nil
		}
		if len(p.nums) == 0 {
			return f, nil
		}
		p.nums[0] = f
		v := boxFloat(&p.nums[0])
		p.nums = p.nums[1:]
		return v, nil
	default:
		return nil, p.errorf("unexpected character %q", c)
	}
}

func (p *parser) literal(word string, v any) (any, error) {
	if len(p.s)-p.i < len(word) || p.s[p.i:p.i+len(word)] != word {
		return nil, p.errorf("invalid literal")
	}
	p.i += len(word)
	p.n = len(word)
	return v, nil
}

func (p *parser) object(t *tape, depth int) (any, error) {
	if depth > MaxDepth {
		return nil, p.errorf("nesting deeper than %d", MaxDepth)
	}
	p.i++ // {
	ms := take(&p.members, max(t.read(), 0))
	// index maps keys to their position, once the object is large enough
	// for Object to keep an index.
	var index map[string]int
	size, dup := 2, false // the encoded length; whether a key repeated
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		o := p.newObject()
		o.encLen, p.n = 2, 2
		return o, nil
	}
	for {
		p.skipSpace()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return nil, p.errorf("expected a string key")
		}
		k, err := p.string(t)
		if err != nil {
			return nil, err
		}
		size += p.n + 1 // key and colon
		p.skipSpace()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return nil, p.errorf("expected ':' after object key")
		}
		p.i++
		p.skipSpace()
		v, err := p.value(t, depth)
		if err != nil {
			return nil, err
		}
		size += p.n
		n := len(ms)
		ms, index = setMember(ms, index, k, v)
		dup = dup || len(ms) == n
		p.skipSpace()
		if p.i >= len(p.s) {
			return nil, p.errorf("unexpected end of input in object")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
			size++
		case '}':
			p.i++
			o := p.newObject()
			o.members, o.index = ms, index
			if dup {
				size = EncodedLen(o) // a replaced value was counted
			}
			o.encLen, p.n = size, size
			return o, nil
		default:
			return nil, p.errorf("expected ',' or '}' in object")
		}
	}
}

// setMember adds a member to ms, or replaces the value of a duplicate key,
// as Object.Set does. It returns the object's key index, created when the
// object reaches indexThreshold members.
func setMember(ms []member, index map[string]int, k string, v any) ([]member, map[string]int) {
	if index != nil {
		if j, ok := index[k]; ok {
			ms[j].val = v
			return ms, index
		}
		index[k] = len(ms)
		return append(ms, member{k, v}), index
	}
	for j := range ms {
		if ms[j].key == k {
			ms[j].val = v
			return ms, nil
		}
	}
	ms = append(ms, member{k, v})
	if len(ms) >= indexThreshold {
		index = make(map[string]int, len(ms))
		for j, m := range ms {
			index[m.key] = j
		}
	}
	return ms, index
}

func (p *parser) array(t *tape, depth int) (any, error) {
	if depth > MaxDepth {
		return nil, p.errorf("nesting deeper than %d", MaxDepth)
	}
	p.i++ // [
	es := take(&p.elems, max(t.read(), 0))
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		p.n = 2
		if es == nil {
			es = []any{}
		}
		return p.boxArray(es), nil
	}
	size := 2
	for {
		p.skipSpace()
		v, err := p.value(t, depth)
		if err != nil {
			return nil, err
		}
		es = append(es, v)
		size += p.n
		p.skipSpace()
		if p.i >= len(p.s) {
			return nil, p.errorf("unexpected end of input in array")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
			size++
		case ']':
			p.i++
			p.n = size
			return p.boxArray(es), nil
		default:
			return nil, p.errorf("expected ',' or ']' in array")
		}
	}
}

// smallInts holds the numbers 0 to 255 as interface values, so that
// parsing small integers (counts, quantities, flags) does not allocate.
// It is never modified.
var smallInts = func() (t [256]any) {
	for i := range t {
		t[i] = float64(i)
	}
	return t
}()

// pow10 holds the powers of ten a float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// maxExactDigits is the most decimal digits an integer can have and still
// be exact as a float64 when accumulated in a uint64.
const maxExactDigits = 15

// number parses a number. small reports that it is an integer that
// smallInts holds.
func (p *parser) number() (f float64, small bool, err error) {
	start := p.i
	neg := p.s[p.i] == '-'
	if neg {
		p.i++
	}
	intStart := p.i
	var n uint64
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		n = n*10 + uint64(p.s[p.i]-'0')
		p.i++
	}
	digits := p.i - intStart
	if digits == 0 {
		return 0, false, p.errorf("invalid number")
	} else if digits > 1 && p.s[intStart] == '0' {
		return 0, false, &SyntaxError{Offset: intStart, Msg: "invalid number: leading zero"}
	}
	fracStart, fracDigits := p.i+1, 0
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			n = n*10 + uint64(p.s[p.i]-'0') // meaningful only while digits+fracDigits <= 19
			p.i++
			fracDigits++
		}
		if fracDigits == 0 {
			return 0, false, p.errorf("invalid number: no digits after '.'")
		}
	}
	exponent := p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E')
	if exponent {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			return 0, false, p.errorf("invalid number: no digits in exponent")
		}
	}
	if fracDigits == 0 && !exponent && digits <= maxExactDigits {
		if !neg && n < uint64(len(smallInts)) {
			p.n = digits
			return float64(n), true, nil
		}
		f := float64(n)
		if neg {
			f = -f
		}
		p.n = p.i - start
		if n == 0 {
			p.n = 1 // "-0" is written "0"
		}
		return f, false, nil
	}
	if !exponent && digits+fracDigits <= maxExactDigits {
		// The digits as an integer and the power of ten are both exact,
		// so one correctly rounded division gives what strconv would.
		f := float64(n) / pow10[fracDigits]
		if neg {
			f = -f
		}
		if canonicalFraction(p.s[intStart:fracStart-1], p.s[fracStart:p.i]) {
			p.n = p.i - start
		} else {
			p.n = EncodedLen(f)
		}
		return f, false, nil
	}
	f, err = strconv.ParseFloat(p.s[start:p.i], 64)
	if err != nil {
		// Out of range: strconv returns ±Inf, which JSON cannot carry.
		return 0, false, &SyntaxError{Offset: start, Msg: "number out of range"}
	}
	if !exponent && fracDigits > 0 && canonicalFraction(p.s[intStart:fracStart-1], p.s[fracStart:p.i]) {
		p.n = p.i - start
	} else {
		p.n = EncodedLen(f)
	}
	return f, false, nil
}

// canonicalFraction reports whether a number written with integer digits
// in and fraction digits frac (no exponent) is written back by
// AppendNumber exactly as it was: a number of at most 15 significant
// digits reads back as the same shortest digits; a trailing zero in the
// fraction is dropped; below 1e-6 the exponent form is used.
func canonicalFraction(in, frac string) bool {
	if frac[len(frac)-1] == '0' {
		return false
	}
	significant := len(in) + len(frac)
	if in == "0" {
		zeros := 0
		for zeros < len(frac) && frac[zeros] == '0' {
			zeros++
		}
		if zeros > 5 {
			return false
		}
		significant = len(frac) - zeros
	}
	return significant <= maxExactDigits
}

// digits skips decimal digits and reports how many there were.
func (p *parser) digits() int {
	start := p.i
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	return p.i - start
}

func (p *parser) string(t *tape) (string, error) {
	p.i++ // opening quote
	start := p.i
	// scan found where a plain string ends. The check of the quote there
	// costs nothing and keeps a tape out of step (it cannot be, on
	// well-formed text) from cutting a string short.
	if end := t.read(); end >= start && end < len(p.s) && p.s[end] == '"' {
		s := p.s[start:end]
		p.i = end + 1
		p.n = len(s) + 2
		return s, nil
	}
	// Fast path: no escapes. The result shares the input's memory.
	ascii := true
	for p.i < len(p.s) {
		p.i += plainPrefix(p.s[p.i:])
		if p.i >= len(p.s) {
			break
		}
		c := p.s[p.i]
		if c == '"' {
			s := p.s[start:p.i]
			p.i++
			if ascii {
				p.n = len(s) + 2
				return s, nil
			}
			if !utf8.ValidString(s) {
				s = string(toValidUTF8([]byte(s)))
			}
			p.n = stringLen(s)
			return s, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.errorf("control character in string")
		}
		ascii = false // c >= utf8.RuneSelf
		p.i++
	}
	buf := append([]byte(nil), p.s[start:p.i]...)
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			s := string(toValidUTF8(buf))
			p.n = stringLen(s)
			return s, nil
		case c < 0x20:
			return "", p.errorf("control character in string")
		case c != '\\':
			buf = append(buf, c)
			p.i++
			continue
		}
		p.i++ // backslash
		if p.i >= len(p.s) {
			break
		}
		e := p.s[p.i]
		p.i++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.errorf("invalid \\u escape")
			}
			if utf16.IsSurrogate(r) {
				// A high surrogate must be followed by a low one.
				if p.i+1 < len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
					save := p.i
					p.i += 2
					if r2, ok := p.hex4(); ok {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							buf = utf8.AppendRune(buf, d)
							continue
						}
					}
					p.i = save
				}
				r = utf8.RuneError
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", p.errorf("invalid escape '\\%c'", e)
		}
	}
	return "", p.errorf("unterminated string")
}

func (p *parser) hex4() (rune, bool) {
	if len(p.s)-p.i < 4 {
		return 0, false
	}
	var r rune
	for _, c := range []byte(p.s[p.i : p.i+4]) {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	p.i += 4
	return r, true
}

func toValidUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		out = utf8.AppendRune(out, r)
		b = b[n:]
	}
	return out
}
