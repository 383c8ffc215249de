package jsonata

import (
	"regexp"
	"strings"
)

// signature is a parsed function signature such as "<s-n?:s>", checked as
// jsonata-js does: the argument types become a string of type symbols that
// a regular expression built from the signature must match.
type signature struct {
	definition string
	params     []sigParam
	re         *regexp.Regexp
	// fast is set when every parameter's pattern is a plain set of type
	// symbols with no quantifier, '?', '??' or '+': match then does the
	// regular expression's work without running it.
	fast bool
}

type sigParam struct {
	typ          string // s n b l o a f j x or "(...)" for a choice
	regex        string
	set          string // the type symbols regex's leading class accepts
	quant        string // what follows the class in regex: "", "?", "??", "+", …
	array        bool
	context      bool
	contextRegex *regexp.Regexp
	subtype      string
	// For validateExact, of a fast signature: mask has bit c-'a' for each
	// type symbol c of set; one is set when the parameter can take
	// exactly one argument first ("" or "?"), rest when it can take none
	// and needs no context value ("?" or "??", without '-').
	mask      uint32
	one, rest bool
}

var arraySignatureMapping = map[string]string{
	"a": "arrays", "b": "booleans", "f": "functions", "n": "numbers", "o": "objects", "s": "strings",
}

func mustSignature(s string) *signature {
	sig, err := parseSignature(s)
	if err != nil {
		panic(err)
	}
	return sig
}

// parseSignature parses a signature; on error, Position is the offset in s.
func parseSignature(s string) (*signature, *Error) {
	sig := &signature{definition: s}
	var params []sigParam
	var param sigParam
	prev := -1 // index of the previous param in params
	next := func() {
		params = append(params, param)
		prev = len(params) - 1
		param = sigParam{}
	}
	findClosing := func(start int, open, close byte) int {
		depth := 1
		pos := start
		for pos < len(s) {
			pos++
			if pos >= len(s) {
				break
			}
			c := s[pos]
			if c == close {
				depth--
				if depth == 0 {
					break
				}
			} else if c == open {
				depth++
			}
		}
		return pos
	}
	for pos := 1; pos < len(s); pos++ {
		symbol := s[pos]
		if symbol == ':' {
			break
		}
		switch symbol {
		case 's', 'n', 'b', 'l', 'o':
			param.regex = "[" + string(symbol) + "m]"
			param.set = string(symbol) + "m"
			param.typ = string(symbol)
			next()
		case 'a':
			param.regex = "[asnblfom]"
			param.set = "asnblfom"
			param.typ = "a"
			param.array = true
			next()
		case 'f':
			param.regex = "f"
			param.set = "f"
			param.typ = "f"
			next()
		case 'j':
			param.regex = "[asnblom]"
			param.set = "asnblom"
			param.typ = "j"
			next()
		case 'x':
			param.regex = "[asnblfom]"
			param.set = "asnblfom"
			param.typ = "x"
			next()
		case '-':
			if prev >= 0 {
				p := &params[prev]
				p.context = true
				p.contextRegex = regexp.MustCompile("^" + p.regex)
				p.regex += "?"
			}
		case '?', '+':
			if prev >= 0 {
				params[prev].regex += string(symbol)
			}
		case '(':
			end := findClosing(pos, '(', ')')
			if end > len(s) {
				end = len(s)
			}
			choice := s[pos+1 : end]
			if strings.Contains(choice, "<") {
				return nil, newError("S0402", pos, "").val(choice)
			}
			param.regex = "[" + choice + "m]"
			param.set = choice + "m"
			param.typ = "(" + choice + ")"
			pos = end
			next()
		case '<':
			if prev >= 0 && (params[prev].typ == "a" || params[prev].typ == "f") {
				end := findClosing(pos, '<', '>')
				if end > len(s) {
					end = len(s)
				}
				params[prev].subtype = s[pos+1 : end]
				pos = end
			} else {
				t := ""
				if prev >= 0 {
					t = params[prev].typ
				}
				return nil, newError("S0401", pos, "").val(t)
			}
		}
	}
	var b strings.Builder
	b.WriteByte('^')
	for _, p := range params {
		b.WriteString("(" + p.regex + ")")
	}
	b.WriteByte('$')
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, newError("S0401", 0, "").val(s)
	}
	sig.fast = true
	for i := range params {
		p := &params[i]
		set := p.regex[:1]
		if set == "[" {
			set = p.regex[:strings.IndexByte(p.regex, ']')+1]
		}
		p.quant = p.regex[len(set):]
		if !plainSet(p.set) || (set != p.set && set != "["+p.set+"]") {
			sig.fast = false
		}
		switch p.quant {
		case "", "?", "??", "+":
		default:
			sig.fast = false
		}
		for j := 0; j < len(p.set); j++ {
			if c := p.set[j]; c >= 'a' && c <= 'z' {
				p.mask |= 1 << (c - 'a')
			}
		}
		p.one = p.quant == "" || p.quant == "?"
		p.rest = (p.quant == "?" || p.quant == "??") && !p.context
	}
	sig.params = params
	sig.re = re
	return sig, nil
}

// plainSet reports whether s holds only lower-case letters, which stand
// for themselves inside a regular expression's character class.
func plainSet(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// match does what sig.re.FindSubmatchIndex does for a fast signature:
// it matches the type symbols of the arguments against the parameters
// with leftmost-first (backtracking) preferences, filling spans with the
// start and end of each parameter's match.
func (sig *signature) match(supplied []byte, spans []int) bool {
	return sig.matchFrom(0, 0, supplied, spans)
}

func (sig *signature) matchFrom(pi, pos int, s []byte, spans []int) bool {
	if pi == len(sig.params) {
		return pos == len(s)
	}
	p := &sig.params[pi]
	try := func(n int) bool {
		spans[2*pi], spans[2*pi+1] = pos, pos+n
		return sig.matchFrom(pi+1, pos+n, s, spans)
	}
	one := pos < len(s) && strings.IndexByte(p.set, s[pos]) >= 0
	switch p.quant {
	case "":
		return one && try(1)
	case "?":
		return (one && try(1)) || try(0)
	case "??":
		return try(0) || (one && try(1))
	}
	// "+": the longest run first.
	n := 0
	for pos+n < len(s) && strings.IndexByte(p.set, s[pos+n]) >= 0 {
		n++
	}
	for ; n >= 1; n-- {
		if try(n) {
			return true
		}
	}
	return false
}

// symbolOf is the signature symbol of a value's type.
func symbolOf(v any) byte {
	switch v.(type) {
	case Undefined:
		return 'm'
	case *lambda, *Function, *regexLit:
		return 'f'
	case string:
		return 's'
	case float64:
		return 'n'
	case bool:
		return 'b'
	case nil:
		return 'l'
	case []any, *seq:
		return 'a'
	}
	return 'o'
}

// validate checks args against the signature and returns them with
// context values substituted and 'a' arguments wrapped in arrays. When
// nothing needs changing it returns args itself. A new argument list is
// taken from ev's argument space (ev may be nil).
func (sig *signature) validate(ev *evaluator, args []any, context any) ([]any, error) {
	if out, ok := sig.validateExact(ev, args); ok {
		return out, nil
	}
	var sb [16]byte
	supplied := sb[:0]
	for _, a := range args {
		supplied = append(supplied, symbolOf(a))
	}
	var spanBuf [2 * 8]int
	var m []int
	if sig.fast && len(sig.params) <= 8 {
		if sig.match(supplied, spanBuf[:2*len(sig.params)]) {
			m = spanBuf[:2*len(sig.params)]
		}
	} else if mm := sig.re.FindStringSubmatchIndex(string(supplied)); mm != nil {
		m = mm[2:]
	}
	if m == nil {
		return nil, sig.validationError(args, string(supplied))
	}
	// validated stays nil while the output is args unchanged.
	var validated []any
	n := 0 // number of output values
	add := func(v any, same bool) {
		if validated == nil && !same {
			validated = ev.newArgs(max(len(sig.params), len(args)))[:n]
			copy(validated, args[:n])
		}
		if validated != nil {
			validated = append(validated, v)
		}
		n++
	}
	argIndex := 0
	for i, p := range sig.params {
		match := supplied[m[2*i]:m[2*i+1]]
		if len(match) == 0 {
			if p.context && p.contextRegex != nil {
				ct := symbolOf(context)
				if strings.IndexByte(p.set, ct) >= 0 {
					add(context, false)
				} else {
					return nil, newError("T0411", -1, "").val(context).with("index", float64(argIndex+1))
				}
			} else {
				if argIndex < len(args) {
					add(args[argIndex], n == argIndex)
				} else {
					add(Undefined{}, false)
				}
				argIndex++
			}
			continue
		}
		for _, single := range match {
			arg := args[argIndex]
			same := n == argIndex
			if p.typ == "a" {
				if single == 'm' {
					if !isUndef(arg) {
						arg, same = Undefined{}, false
					}
				} else {
					arrayOK := true
					if p.subtype != "" {
						if single != 'a' && string(match) != p.subtype {
							arrayOK = false
						} else if single == 'a' {
							items, _ := asArray(arg)
							if len(items) > 0 {
								it := symbolOf(items[0])
								if it != p.subtype[0] {
									arrayOK = false
								} else {
									for _, v := range items {
										if symbolOf(v) != it {
											arrayOK = false
											break
										}
									}
								}
							}
						}
					}
					if !arrayOK {
						return nil, newError("T0412", -1, "").val(arg).with("index", float64(argIndex+1)).with("type", arraySignatureMapping[p.subtype])
					}
					if single != 'a' {
						arg, same = []any{arg}, false
					}
				}
			}
			add(arg, same)
			argIndex++
		}
	}
	if validated == nil {
		if n == len(args) {
			return args, nil
		}
		validated = ev.newArgs(n)[:n]
		copy(validated, args[:n])
	}
	return validated, nil
}

func (sig *signature) validationError(args []any, supplied string) error {
	partial := "^"
	goodTo := 0
	for _, p := range sig.params {
		partial += p.regex
		re, err := regexp.Compile(partial)
		if err != nil {
			break
		}
		loc := re.FindStringIndex(supplied)
		if loc == nil {
			var bad any = Undefined{}
			if goodTo < len(args) {
				bad = args[goodTo]
			}
			return newError("T0410", -1, "").val(bad).with("index", float64(goodTo+1))
		}
		goodTo = loc[1]
	}
	var bad any = Undefined{}
	if goodTo < len(args) {
		bad = args[goodTo]
	}
	return newError("T0410", -1, "").val(bad).with("index", float64(goodTo+1))
}

// validateExact is validate's fast path for the common call whose
// arguments match the leading parameters one for one: each parameter
// takes exactly one argument (with no quantifier, or an optional '?' one),
// the parameters left over are optional and take no context value, and
// no argument needs wrapping in an array. Matching with leftmost-first
// preferences then assigns the arguments one for one, as validate would,
// and the output is args, padded with undefined for the parameters left
// over. It reports false, having changed nothing, in every other case.
func (sig *signature) validateExact(ev *evaluator, args []any) ([]any, bool) {
	if !sig.fast || len(args) > len(sig.params) {
		return nil, false
	}
	for i, a := range args {
		p := &sig.params[i]
		sym := symbolOf(a)
		if !p.one || p.mask&(1<<(sym-'a')) == 0 {
			return nil, false
		}
		if p.typ == "a" {
			if sym != 'a' {
				return nil, false // wrapped in an array, or undefined
			}
			if p.subtype != "" {
				items, _ := asArray(a)
				for _, it := range items {
					if symbolOf(it) != p.subtype[0] {
						return nil, false // validate reports the error
					}
				}
			}
		}
	}
	rest := sig.params[len(args):]
	for i := range rest {
		if !rest[i].rest {
			return nil, false
		}
	}
	if len(rest) == 0 {
		return args, true
	}
	out := ev.newArgs(len(sig.params))[:len(sig.params)]
	copy(out, args)
	for i := len(args); i < len(out); i++ {
		out[i] = Undefined{}
	}
	return out, true
}
