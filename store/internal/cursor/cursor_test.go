package cursor

import (
	"errors"
	"testing"

	"github.com/stepwise-run/stepwise/store"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind  string
		parts []string
	}{
		{"sm", []string{"arn:aws:states:us-east-1:1:stateMachine:a"}},
		{"exec", []string{"1700000000000000000", "arn:x"}},
		{"empty", []string{""}},
		{"unicode", []string{"é\x00\"", "}"}},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			t.Parallel()
			got, err := Decode(Encode(tt.kind, tt.parts...), tt.kind, len(tt.parts))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			for i := range got {
				if got[i] != tt.parts[i] {
					t.Fatalf("part %d = %q, want %q", i, got[i], tt.parts[i])
				}
			}
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, token, kind string
		n                 int
	}{
		{"not base64", "!!!", "sm", 1},
		{"not json", "bm90IGpzb24", "sm", 1},
		{"other kind", Encode("alias", "a"), "sm", 1},
		{"wrong arity", Encode("sm", "a", "b"), "sm", 1},
		{"too long", string(make([]byte, maxLen+1)), "sm", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := Decode(tt.token, tt.kind, tt.n); !errors.Is(err, store.ErrInvalidToken) {
				t.Fatalf("Decode(%q) error = %v, want ErrInvalidToken", tt.token, err)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(Encode("sm", "a"), 1)
	f.Add(Encode("exec", "1", "b"), 2)
	f.Add("", 0)
	f.Add("W10", 0)
	f.Fuzz(func(t *testing.T, token string, n int) {
		if n < 0 || n > 4 {
			return
		}
		parts, err := Decode(token, "sm", n)
		if err != nil {
			if !errors.Is(err, store.ErrInvalidToken) {
				t.Fatalf("error %v does not wrap ErrInvalidToken", err)
			}
			return
		}
		if len(parts) != n {
			t.Fatalf("got %d parts, want %d", len(parts), n)
		}
		again, err := Decode(Encode("sm", parts...), "sm", n)
		if err != nil || len(again) != n {
			t.Fatalf("re-encoded token does not decode: %v", err)
		}
	})
}

func TestDecodeOne(t *testing.T) {
	if s, err := DecodeString("", "arn"); s != "" || err != nil {
		t.Fatalf("empty: %q %v", s, err)
	}
	if s, err := DecodeString(Encode("arn", "a:b"), "arn"); s != "a:b" || err != nil {
		t.Fatalf("round trip: %q %v", s, err)
	}
	if n, err := DecodeInt("", "n", 7); n != 7 || err != nil {
		t.Fatalf("empty int: %d %v", n, err)
	}
	if n, err := DecodeInt(Encode("n", "42"), "n", 0); n != 42 || err != nil {
		t.Fatalf("int: %d %v", n, err)
	}
	if _, err := DecodeInt(Encode("n", "x"), "n", 0); !errors.Is(err, store.ErrInvalidToken) {
		t.Fatalf("bad int: %v", err)
	}
}
