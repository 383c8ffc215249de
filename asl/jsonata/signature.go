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
}

type sigParam struct {
	typ          string // s n b l o a f j x or "(...)" for a choice
	regex        string
	array        bool
	context      bool
	contextRegex *regexp.Regexp
	subtype      string
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
			param.typ = string(symbol)
			next()
		case 'a':
			param.regex = "[asnblfom]"
			param.typ = "a"
			param.array = true
			next()
		case 'f':
			param.regex = "f"
			param.typ = "f"
			next()
		case 'j':
			param.regex = "[asnblom]"
			param.typ = "j"
			next()
		case 'x':
			param.regex = "[asnblfom]"
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
	sig.params = params
	sig.re = re
	return sig, nil
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
// context values substituted and 'a' arguments wrapped in arrays.
func (sig *signature) validate(args []any, context any) ([]any, error) {
	var sb [16]byte
	supplied := sb[:0]
	for _, a := range args {
		supplied = append(supplied, symbolOf(a))
	}
	m := sig.re.FindSubmatchIndex(supplied)
	if m == nil {
		return nil, sig.validationError(args, string(supplied))
	}
	validated := make([]any, 0, len(sig.params))
	argIndex := 0
	for i, p := range sig.params {
		match := string(supplied[m[2*i+2]:m[2*i+3]])
		if match == "" {
			if p.context && p.contextRegex != nil {
				ct := symbolOf(context)
				if p.contextRegex.MatchString(string(ct)) {
					validated = append(validated, context)
				} else {
					return nil, newError("T0411", -1, "").val(context).with("index", float64(argIndex+1))
				}
			} else {
				var a any = Undefined{}
				if argIndex < len(args) {
					a = args[argIndex]
				}
				validated = append(validated, a)
				argIndex++
			}
			continue
		}
		for _, single := range []byte(match) {
			arg := args[argIndex]
			if p.typ == "a" {
				if single == 'm' {
					arg = Undefined{}
				} else {
					arrayOK := true
					if p.subtype != "" {
						if single != 'a' && match != p.subtype {
							arrayOK = false
						} else if single == 'a' {
							items, _ := asArray(arg)
							if len(items) > 0 {
								it := symbolOf(items[0])
								if string(it) != p.subtype[:1] {
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
						arg = []any{arg}
					}
				}
			}
			validated = append(validated, arg)
			argIndex++
		}
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
