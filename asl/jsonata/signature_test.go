package jsonata

import (
	"slices"
	"testing"
)

// TestSignatureMatch checks that the hand-written matcher of fast
// signatures finds the same spans as the signature's regular expression,
// for every signature of the built-in and AWS functions and a few more,
// over all strings of type symbols up to four long.
func TestSignatureMatch(t *testing.T) {
	sigs := []string{"<s-?:s>", "<(sn)+:s>", "<a<n>:n>", "<x+>", "<n?n?:n>", "<f??s+:a>", "<(ab)-n+:x>", "<j-:s>"}
	for _, f := range builtins {
		if f != nil && f.Signature != "" {
			sigs = append(sigs, f.Signature)
		}
	}
	for _, f := range AWSFunctions(nil) {
		if f != nil {
			sigs = append(sigs, f.Signature)
		}
	}
	const symbols = "asnblfom"
	var inputs [][]byte
	var gen func(prefix []byte)
	gen = func(prefix []byte) {
		inputs = append(inputs, slices.Clone(prefix))
		if len(prefix) == 4 {
			return
		}
		for i := range len(symbols) {
			gen(append(prefix, symbols[i]))
		}
	}
	gen(nil)
	fast := 0
	for _, src := range sigs {
		sig, err := parseSignature(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if !sig.fast {
			continue
		}
		fast++
		spans := make([]int, 2*len(sig.params))
		for _, in := range inputs {
			want := sig.re.FindSubmatchIndex(in)
			ok := sig.match(in, spans)
			if ok != (want != nil) || ok && !slices.Equal(spans, want[2:]) {
				t.Errorf("%s on %q: match %v %v, regexp %v", src, in, ok, spans, want)
			}
		}
	}
	if fast < len(sigs)/2 {
		t.Errorf("only %d of %d signatures are fast", fast, len(sigs))
	}
}
