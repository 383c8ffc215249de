package intrinsic

import (
	"errors"
	"strings"
	"testing"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/asl/jsonpath"
	"github.com/stepwise-run/stepwise/value"
)

// testEnv resolves "$" paths against input and "$$" against context.
type testEnv struct {
	input, context any
	rand           RandomSource
}

func (e *testEnv) Resolve(p *jsonpath.Path) (any, error) {
	doc := e.input
	if p.Root() == jsonpath.Context {
		doc = e.context
	}
	return p.Eval(doc)
}

func (e *testEnv) Rand() RandomSource { return e.rand }

// counter is a deterministic RandomSource.
type counter struct{ n uint64 }

func (c *counter) Uint64() uint64 { c.n += 0x9E3779B97F4A7C15; return c.n }

func TestEval(t *testing.T) {
	input := value.MustParse(`{"s":"a,b,,c","n":3,"arr":[1,"x",{"k":[1]},{"k":[1]},1,null,null],
		"obj":{"a":1,"b":2},"obj2":{"b":3,"c":4},"tmpl":"It's {}!","fmt":{"x":[1,2.5]}}`)
	ctx := value.MustParse(`{"StateMachine":{"Name":"my-machine-name"}}`)
	tests := []struct{ call, want string }{
		{`States.Format('Formatting argument {}.', $.n)`, `"Formatting argument 3."`},
		{`States.Format('{} {} {} {}', 1.1, true, null, $.fmt)`, `"1.1 true null {\"x\":[1,2.5]}"`},
		{`States.Format('esc \{\} \\ \' {}', 'v')`, `"esc {} \\ ' v"`},
		{`States.Format($.tmpl, 'Pikachu')`, `"It's Pikachu!"`},
		{`States.Format('none')`, `"none"`},
		{`States.StringToJson('{"a": [1, 2]}')`, `{"a":[1,2]}`},
		{`States.StringToJson(' ')`, `null`},
		{`States.StringToJson('')`, `null`},
		{`States.JsonToString($.obj)`, `"{\"a\":1,\"b\":2}"`},
		{`States.Array()`, `[]`},
		{`States.Array(1, 'a', $.obj, States.Array(null))`, `[1,"a",{"a":1,"b":2},[null]]`},
		{`States.ArrayPartition(States.ArrayRange(0, 4, 1), 2)`, `[[0,1],[2,3],[4]]`},
		{`States.ArrayPartition($.arr, 10)`, `[[1,"x",{"k":[1]},{"k":[1]},1,null,null]]`},
		{`States.ArrayContains($.arr, $.arr[2])`, `true`},
		{`States.ArrayContains($.arr, 2)`, `false`},
		{`States.ArrayRange(0, 9, 3)`, `[0,3,6,9]`},
		{`States.ArrayRange(1, 9, 9)`, `[1]`},
		{`States.ArrayRange(5, 1, -2)`, `[5,3,1]`},
		{`States.ArrayRange(5, 1, 1)`, `[]`},
		{`States.ArrayGetItem($.arr, 1)`, `"x"`},
		{`States.ArrayLength($.arr)`, `7`},
		{`States.ArrayUnique($.arr)`, `[1,"x",{"k":[1]},null]`},
		{`States.Base64Encode('Data to encode')`, `"RGF0YSB0byBlbmNvZGU="`},
		{`States.Base64Decode('RGF0YSB0byBlbmNvZGU=')`, `"Data to encode"`},
		{`States.Hash('input data', 'SHA-512')`, `"6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4"`},
		{`States.Hash('input data', 'MD5')`, `"812f45842bc6d66ee14572ce20db8e86"`},
		{`States.JsonMerge($.obj, $.obj2, false)`, `{"a":1,"b":3,"c":4}`},
		{`States.MathAdd(1.49, 1.5)`, `3`},
		{`States.MathAdd(-2.5, 0)`, `-2`},
		{`States.MathAdd(-3.5, 0)`, `-3`},
		{`States.MathAdd(2.5, 0)`, `3`},
		{`States.MathAdd(-0.5, 0)`, `0`},
		{`States.MathAdd($.n, -1)`, `2`},
		{`States.StringSplit($.s, ',')`, `["a","b","c"]`},
		{`States.StringSplit('This.is+a,test=string', '.+,=')`, `["This","is","a","test","string"]`},
		{`States.StringSplit(',,,,', ',')`, `[]`},
		{`States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 1)`, `"machine"`},
		{`States.MathRandom(0, 999, 3)`, `239`}, // java.util.Random(3).nextInt(999), checked on a JVM
		{`States.MathRandom(10, 1000010, -7)`, `934672`},
	}
	for _, tt := range tests {
		c, err := Parse(tt.call)
		if err != nil {
			t.Errorf("Parse(%s): %v", tt.call, err)
			continue
		}
		got, err := c.Eval(&testEnv{input: input, context: ctx, rand: &counter{}})
		if err != nil {
			t.Errorf("%s: %v", tt.call, err)
			continue
		}
		if value.String(got) != tt.want {
			t.Errorf("%s = %s, want %s", tt.call, value.String(got), tt.want)
		}
	}
}

func TestRandomFunctions(t *testing.T) {
	env := &testEnv{rand: &counter{}}
	seen := map[string]bool{}
	for range 100 {
		u, err := MustParseForTest(t, "States.UUID()").Eval(env)
		if err != nil {
			t.Fatal(err)
		}
		s := u.(string)
		if len(s) != 36 || s[14] != '4' || strings.IndexByte("89ab", s[19]) < 0 || seen[s] {
			t.Fatalf("bad or repeated UUID %q", s)
		}
		seen[s] = true
		r, err := MustParseForTest(t, "States.MathRandom(-5, 5)").Eval(env)
		if err != nil {
			t.Fatal(err)
		}
		if f := r.(float64); f < -5 || f >= 5 || f != float64(int(f)) {
			t.Fatalf("MathRandom(-5, 5) = %v", f)
		}
	}
	if _, err := MustParseForTest(t, "States.UUID()").Eval(&testEnv{}); err == nil {
		t.Fatal("UUID without a random source: want error")
	}
}

func MustParseForTest(t *testing.T, s string) *Call {
	t.Helper()
	c, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Known outputs of java.util.Random: new Random(0).nextInt() and
// new Random(42).nextInt().
func TestJavaRandom(t *testing.T) {
	if got := newJavaRandom(0).next(32); got != -1155484576 {
		t.Errorf("Random(0).nextInt() = %d", got)
	}
	if got := newJavaRandom(42).next(32); got != -1170105035 {
		t.Errorf("Random(42).nextInt() = %d", got)
	}
	// Values printed by OpenJDK for new Random(seed).nextInt(bound).
	for _, tt := range []struct{ seed, bound, want int32 }{{42, 10, 0}, {3, 999, 239}, {-7, 1000000, 934662}, {123456789, 1 << 20, 696294}} {
		if got := newJavaRandom(int64(tt.seed)).nextInt(tt.bound); got != tt.want {
			t.Errorf("Random(%d).nextInt(%d) = %d, want %d", tt.seed, tt.bound, got, tt.want)
		}
	}
}

func TestRuntimeErrors(t *testing.T) {
	input := value.MustParse(`{"arr":[1,2],"s":"x","big":"` + strings.Repeat("a", 10001) + `"}`)
	for _, call := range []string{
		`States.ArrayGetItem($.arr, 2)`, `States.ArrayGetItem($.arr, -1)`, `States.ArrayPartition($.arr, 0)`,
		`States.ArrayRange(0, 1000, 1)`, `States.ArrayRange(0, 10, 0)`, `States.Hash($.s, 'SHA-3')`,
		`States.Hash($.big, 'MD5')`, `States.Base64Encode($.big)`, `States.Base64Decode('!!')`,
		`States.StringToJson('{')`, `States.JsonMerge(States.StringToJson('{}'), States.StringToJson('{}'), true)`,
		`States.MathRandom(5, 5)`, `States.ArrayLength($.s)`, `States.MathAdd($.s, 1)`, `States.Format($.s, 1)`,
	} {
		c, err := Parse(call)
		if err != nil {
			t.Errorf("Parse(%s): %v", call, err)
			continue
		}
		_, err = c.Eval(&testEnv{input: input})
		var fe *failure.Error
		if !errors.As(err, &fe) || fe.Name != failure.Runtime || !strings.Contains(fe.Cause, c.Name()) {
			t.Errorf("%s: err = %v, want States.Runtime naming the function", call, err)
		}
	}
	// Path errors pass through unchanged.
	_, err := MustParseForTest(t, `States.Array($.missing)`).Eval(&testEnv{input: input})
	var nf *jsonpath.NotFoundError
	if !errors.As(err, &nf) {
		t.Errorf("missing path: err = %v, want NotFoundError", err)
	}
}

func TestParseErrors(t *testing.T) {
	for _, s := range []string{
		``, `States`, `States.Nope()`, `States.UUID`, `States.UUID(1)`, `States.Format()`, `States.ArrayLength()`,
		`States.ArrayLength(1)`, `States.ArrayLength('a')`, `States.MathAdd('a', 1)`, `States.Format('{}')`,
		`States.Format('{} {}', 1)`, `States.Format('x', 1)`, `States.StringToJson('a \"b\"')`,
		`States.Array('unterminated)`, `States.Array(1,)`, `States.Array(1) x`, `States.Array($.a b)`,
		`States.Array($[)`, `States.Hash('a')`, `States.JsonMerge('a', 'b', false)`, `States.Array(tru)`,
		strings.Repeat("States.Array(", 11) + strings.Repeat(")", 11),
	} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q): want error", s)
		}
	}
	if _, err := Parse(strings.Repeat("States.Array(", 10) + strings.Repeat(")", 10)); err != nil {
		t.Errorf("10 nested calls: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`States.Format('a {} \{\} \' \\ {}', $.a, $$.b)`, `States.Array(1, -2.5e3, true, false, null, 'x')`,
		`States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))`,
		`States.JsonMerge($.a, $v.b['c d'], false)`, `States.UUID()`, `States.MathRandom(1, 10, 3)`, `States.Hash($.a[?(@.b, 1)], 'MD5')`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			return
		}
		if c.String() == "" {
			t.Fatalf("empty String() for %q", s)
		}
		_, _ = c.Eval(&testEnv{input: value.MustParse(`{"a":[1,2,{"b":"x"}],"s":"a-b"}`), rand: &counter{}})
	})
}
