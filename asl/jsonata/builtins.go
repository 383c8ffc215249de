package jsonata

// builtin defines a native function with jsonata-js's signature and arity
// (the number of parameters of its JavaScript implementation, which
// decides the arguments higher-order functions pass to it).
func builtin(name, sig string, arity int, fn func(c call, args []any) (any, error)) *Function {
	return &Function{Signature: sig, name: name, sig: mustSignature(sig), arity: arity, native: fn, checked: true}
}

// builtins are the standard JSONata 2.0.6 functions. The map is built once
// and never modified.
var builtins = map[string]*Function{}

func init() {
	for _, f := range []*Function{
		builtin("sum", "<a<n>:n>", 1, fnSum),
		builtin("count", "<a:n>", 1, fnCount),
		builtin("max", "<a<n>:n>", 1, fnMax),
		builtin("min", "<a<n>:n>", 1, fnMin),
		builtin("average", "<a<n>:n>", 1, fnAverage),
		builtin("string", "<x-b?:s>", 1, fnString),
		builtin("substring", "<s-nn?:s>", 3, fnSubstring),
		builtin("substringBefore", "<s-s:s>", 2, fnSubstringBefore),
		builtin("substringAfter", "<s-s:s>", 2, fnSubstringAfter),
		builtin("lowercase", "<s-:s>", 1, fnLowercase),
		builtin("uppercase", "<s-:s>", 1, fnUppercase),
		builtin("length", "<s-:n>", 1, fnLength),
		builtin("trim", "<s-:s>", 1, fnTrim),
		builtin("pad", "<s-ns?:s>", 3, fnPad),
		builtin("match", "<s-f<s:o>n?:a<o>>", 3, fnMatch),
		builtin("contains", "<s-(sf):b>", 2, fnContains),
		builtin("replace", "<s-(sf)(sf)n?:s>", 4, fnReplace),
		builtin("split", "<s-(sf)n?:a<s>>", 3, fnSplit),
		builtin("join", "<a<s>s?:s>", 2, fnJoin),
		builtin("formatNumber", "<n-so?:s>", 3, fnFormatNumber),
		builtin("formatBase", "<n-n?:s>", 2, fnFormatBase),
		builtin("formatInteger", "<n-s:s>", 2, fnFormatInteger),
		builtin("parseInteger", "<s-s:n>", 2, fnParseInteger),
		builtin("number", "<(nsb)-:n>", 1, fnNumber),
		builtin("floor", "<n-:n>", 1, fnFloor),
		builtin("ceil", "<n-:n>", 1, fnCeil),
		builtin("round", "<n-n?:n>", 2, fnRound),
		builtin("abs", "<n-:n>", 1, fnAbs),
		builtin("sqrt", "<n-:n>", 1, fnSqrt),
		builtin("power", "<n-n:n>", 2, fnPower),
		builtin("random", "<:n>", 0, fnRandom),
		builtin("boolean", "<x-:b>", 1, fnBoolean),
		builtin("not", "<x-:b>", 1, fnNot),
		builtin("map", "<af>", 2, fnMap),
		builtin("zip", "<a+>", 0, fnZip),
		builtin("filter", "<af>", 2, fnFilter),
		builtin("single", "<af?>", 2, fnSingle),
		builtin("reduce", "<afj?:j>", 3, fnReduce),
		builtin("sift", "<o-f?:o>", 2, fnSift),
		builtin("keys", "<x-:a<s>>", 1, fnKeys),
		builtin("lookup", "<x-s:x>", 2, fnLookup),
		builtin("append", "<xx:a>", 2, fnAppend),
		builtin("exists", "<x:b>", 1, fnExists),
		builtin("spread", "<x-:a<o>>", 1, fnSpread),
		builtin("merge", "<a<o>:o>", 1, fnMerge),
		builtin("reverse", "<a:a>", 1, fnReverse),
		builtin("each", "<o-f:a>", 2, fnEach),
		builtin("error", "<s?:x>", 1, fnError),
		builtin("assert", "<bs?:x>", 2, fnAssert),
		builtin("type", "<x:s>", 1, fnType),
		builtin("sort", "<af?:a>", 2, fnSort),
		builtin("shuffle", "<a:a>", 1, fnShuffle),
		builtin("distinct", "<x:x>", 1, fnDistinct),
		builtin("base64encode", "<s-:s>", 1, fnBase64Encode),
		builtin("base64decode", "<s-:s>", 1, fnBase64Decode),
		builtin("encodeUrlComponent", "<s-:s>", 1, fnEncodeURLComponent),
		builtin("encodeUrl", "<s-:s>", 1, fnEncodeURL),
		builtin("decodeUrlComponent", "<s-:s>", 1, fnDecodeURLComponent),
		builtin("decodeUrl", "<s-:s>", 1, fnDecodeURL),
		builtin("eval", "<sx?:x>", 2, fnEval),
		builtin("toMillis", "<s-s?:n>", 2, fnToMillis),
		builtin("fromMillis", "<n-s?s?:s>", 3, fnFromMillis),
		builtin("clone", "<(oa)-:o>", 1, fnClone),
		builtin("now", "<s?s?:s>", 2, fnNow),
		builtin("millis", "<:n>", 0, fnMillis),
	} {
		builtins[f.name] = f
	}
	mergeFunction = builtins["merge"]
	stringFunction = builtins["string"]
}

// fnEval is $eval: it parses and evaluates an expression at run time.
func fnEval(c call, args []any) (any, error) {
	src, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	input := c.input
	if focus := arg(args, 1); !isUndef(focus) {
		input = focus
		if xs, ok := focus.([]any); ok {
			input = &seq{items: []any{xs}, sequence: true, outerWrapper: true}
		}
	}
	ast, err := parse(src)
	if err != nil {
		e := err.(*Error)
		return nil, errv("D3120", e.Message)
	}
	markAll(ast)
	r, err := c.ev.eval(ast, input, c.env)
	if err != nil {
		if e, ok := err.(*Error); ok {
			if e.Code == "U1001" || e.Code == "U1002" || e.Code == "U1003" {
				return nil, e
			}
			return nil, errv("D3121", e.finish().Message)
		}
		return nil, err
	}
	return r, nil
}
