package value

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseRoundTrip(t *testing.T) {
	tests := []struct{ in, want string }{
		{`null`, `null`},
		{` true `, `true`},
		{`{"b":1,"a":[1,2.5,-3e2,"x"],"c":{}}`, `{"b":1,"a":[1,2.5,-300,"x"],"c":{}}`},
		{`"\u00e9\ud83d\ude00\n\"\\/"`, `"é😀\n\"\\/"`},
		{`{"a":1,"a":2}`, `{"a":2}`},
		{`[1e21, 1e-7, 0.000001, 123456789012, -0]`, `[1e+21,1e-7,0.000001,123456789012,0]`},
		{`"\u0001<>&"`, `"\u0001<>&"`},
	}
	for _, tt := range tests {
		v, err := ParseString(tt.in)
		if err != nil {
			t.Fatalf("Parse(%s): %v", tt.in, err)
		}
		if got := String(v); got != tt.want {
			t.Errorf("Parse(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{``, `{`, `[1,]`, `{"a"}`, `01`, `1.`, `"abc`, `nul`, `{"a":1} x`, "\"\x01\"", `1e999`, `"\x"`} {
		if _, err := ParseString(in); err == nil {
			t.Errorf("Parse(%q): want error", in)
		}
	}
}

func TestObjectOrderAndIndex(t *testing.T) {
	o := NewObject(0)
	for i := range 20 {
		o.Set(string(rune('a'+i)), float64(i))
	}
	o.Set("c", "x")
	o.Delete("a")
	if got, _ := o.Get("c"); got != "x" {
		t.Fatalf("Get(c) = %v", got)
	}
	if o.Keys()[0] != "b" || o.Len() != 19 {
		t.Fatalf("keys = %v", o.Keys())
	}
	if _, ok := o.Get("a"); ok {
		t.Fatal("deleted key still present")
	}
	if v, _ := o.Get("t"); v != float64(19) {
		t.Fatalf("Get(t) = %v", v)
	}
}

func TestEqualAndClone(t *testing.T) {
	a := MustParse(`{"x":[1,{"y":null}],"z":"s"}`)
	b := MustParse(`{"z":"s","x":[1,{"y":null}]}`)
	if !Equal(a, b) {
		t.Fatal("want equal regardless of key order")
	}
	c := Clone(a).(*Object)
	c.Set("z", "t")
	if Equal(a, c) {
		t.Fatal("clone shares storage")
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		f    float64
		want string
	}{
		{1, "1"}, {-2.5, "-2.5"}, {0.30000000000000004, "0.30000000000000004"}, {1e21, "1e+21"},
		{1.5e-7, "1.5e-7"}, {math.NaN(), "null"}, {9007199254740993, "9007199254740992"},
	}
	for _, tt := range tests {
		if got := FormatNumber(tt.f); got != tt.want {
			t.Errorf("FormatNumber(%v) = %s, want %s", tt.f, got, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":null}]}`, `"\ud83d\ude00"`, `-1.5e3`, `[[[]]]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := Parse(b)
		// encoding/json is the reference: the same documents are valid,
		// with the same values, but for numbers beyond float64's range,
		// which the value model cannot hold.
		if se, ok := err.(*SyntaxError); ok && se.Msg == "number out of range" {
			return
		}
		if valid := json.Valid(b); valid != (err == nil) {
			t.Fatalf("Parse(%q): error %v, but encoding/json says valid=%v", b, err, valid)
		}
		if err != nil {
			return
		}
		var std any
		if err := json.Unmarshal(b, &std); err != nil {
			t.Fatalf("encoding/json: %v", err)
		}
		if !Equal(v, FromGo(std)) {
			t.Fatalf("Parse(%q) = %s, encoding/json reads %#v", b, Marshal(v), std)
		}
		out := Marshal(v)
		w, err := Parse(out)
		if err != nil {
			t.Fatalf("re-parse of %s: %v", out, err)
		}
		if !Equal(v, w) {
			t.Fatalf("round trip changed %s", out)
		}
		checkLengths(t, v)
		checkExceeds(t, v)
	})
}

// checkExceeds checks EncodedLenExceeds against EncodedLen around the
// value's length.
func checkExceeds(t *testing.T, v any) {
	t.Helper()
	n := len(Marshal(v))
	for _, limit := range []int{0, n / 6, n/2 - 1, n - 1, n, n + 1, 2 * n, 6 * n} {
		if got := EncodedLenExceeds(v, limit); got != (n > limit) {
			t.Fatalf("EncodedLenExceeds(%s, %d) = %v", Marshal(v), limit, got)
		}
	}
}

// checkLengths checks that EncodedLen and the lengths objects cache agree
// with the encoded text.
func checkLengths(t *testing.T, v any) {
	t.Helper()
	if n, want := EncodedLen(v), len(Marshal(v)); n != want {
		t.Fatalf("EncodedLen(%s) = %d, want %d", Marshal(v), n, want)
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			checkLengths(t, e)
		}
	case *Object:
		if x.encLen != 0 && x.encLen != len(Marshal(x)) {
			t.Fatalf("%s: cached length %d, want %d", Marshal(x), x.encLen, len(Marshal(x)))
		}
		for _, m := range x.members {
			checkLengths(t, m.val)
		}
	}
}

func TestParsedLengths(t *testing.T) {
	for _, s := range []string{
		`{"a":[1,2.5,-0.0,-0,0.000001,0.0000001,0.0000019,123456789012345.5,1.10,1e2,1E-2,12345678901234567890]}`,
		`{"a":1,"a":22,"b":{}}`, `[0.1234567890123456,-0.5,100.25]`, `{"k":["é","\n","\u0041",{},[]]}`, "{\"a\xffb\":\"\xff\"}",
	} {
		v, err := ParseString(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		checkLengths(t, v)
		checkExceeds(t, Clone(v))
	}
	// Numbers with a fraction: parsed lengths come from the text when it
	// is the shortest form.
	r := rand.New(rand.NewPCG(1, 2))
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + r.IntN(10))
		}
		return string(b)
	}
	for range 100000 {
		in := "0"
		if r.IntN(3) > 0 {
			in = strconv.Itoa(1+r.IntN(9)) + digits(r.IntN(17))
		}
		s := in + "." + strings.Repeat("0", r.IntN(9)) + digits(1+r.IntN(17))
		if r.IntN(2) == 0 {
			s = "-" + s
		}
		checkLengths(t, MustParse("["+s+"]"))
	}
}

func TestScan(t *testing.T) {
	for _, s := range []string{
		`{"a":[1,{"b":"x,y]}"},[]],"c":{}}`, `[[],[[]],{"k":"\\\""},"\\"]`,
		`{"0123456789abcd\"":"0123456789abcdef\\","x":"0123456789abcdef0123\"45,6789\\\\"}`,
		`{"a":1,"a":2}`, `"\\`, `["abc\`, `[1,2`, `]]}}`, `["é","\u00e9","tab\there"]`,
	} {
		c := scan(s, nil)
		v, err := ParseString(s)
		if err != nil {
			continue // malformed: the tape is only hints
		}
		// The tape as the value implies it; str marks a string's entry.
		const str = -2
		var want []int32
		objects, members, elems := 0, 0, 0
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case string:
				want = append(want, str)
			case []any:
				want = append(want, int32(len(x)))
				elems += len(x)
				for _, e := range x {
					walk(e)
				}
			case *Object:
				objects++
				want = append(want, int32(cap(x.members)))
				members += cap(x.members)
				for _, m := range x.members {
					want = append(want, str)
					walk(m.val)
				}
				for range cap(x.members) - len(x.members) { // duplicate keys
					want = append(want, str)
				}
			}
		}
		walk(v)
		ok := len(c.tape) == len(want) && c.objects == objects && c.members == members && c.elems == elems
		for i := 0; ok && i < len(want); i++ {
			if want[i] == str {
				// A plain string's closing quote, or -1.
				ok = c.tape[i] == -1 || c.tape[i] > 0 && int(c.tape[i]) < len(s) && s[c.tape[i]] == '"'
			} else {
				ok = c.tape[i] == want[i]
			}
		}
		if !ok {
			t.Errorf("%s: tape %v %d %d %d, want %v %d %d %d", s, c.tape, c.objects, c.members, c.elems, want, objects, members, elems)
		}
	}
}

func TestSetKeepsLength(t *testing.T) {
	o := MustParse(`{"a":1,"b":[1,2],"c":{"d":"x"}}`).(*Object)
	EncodedLen(o)
	c := o.Copy()
	c.Set("a", "longer\n")
	c.Set("e", MustParse(`{"f":[null,true]}`))
	c.Set("c", 2.5)
	checkLengths(t, c)
	checkLengths(t, o)
	c.Set("long", strings.Repeat("é\n", 100))
	checkLengths(t, c)
	c.Set("a", []any{1.0})
	checkLengths(t, c)
	checkExceeds(t, c)
	e := NewObject(0)
	EncodedLen(e)
	e.Set("x", 1.0)
	checkLengths(t, e)
}

func FuzzPlainPrefix(f *testing.F) {
	for _, s := range []string{"abcdefghijk\"lmnop", "abc\x1fdefghijklmnop", "0123456789abcdé", "abcdefgh\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := 0
		for want < len(s) && s[want] >= 0x20 && s[want] != '"' && s[want] != '\\' && s[want] < utf8.RuneSelf {
			want++
		}
		if got := plainPrefix(s); got != want {
			t.Fatalf("plainPrefix(%q) = %d, want %d", s, got, want)
		}
		if n, want := stringLen(s), len(AppendString(nil, s)); n != want {
			t.Fatalf("stringLen(%q) = %d, want %d", s, n, want)
		}
	})
}

func TestEncodedLen(t *testing.T) {
	for _, s := range []string{`null`, `{"a":[1,2.5,"x\n\u0001é"],"b":{},"c":true,"d":false}`, `[]`, `"\ud83d\ude00"`, `1e+21`} {
		v := MustParse(s)
		if got, want := EncodedLen(v), len(Marshal(v)); got != want {
			t.Errorf("EncodedLen(%s) = %d, want %d", s, got, want)
		}
	}
}
