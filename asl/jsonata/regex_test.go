package jsonata

import (
	"strings"
	"testing"

	"github.com/stepwise-run/stepwise/value"
)

func TestTranslateRegex(t *testing.T) {
	tests := []struct {
		js, subject string
		match       bool
		unsupported string
	}{
		{js: `\d+`, subject: "a12", match: true},
		{js: `^a.c$`, subject: "a\nc", match: false},
		{js: `^a.c$`, subject: "abc", match: true},
		{js: `\s`, subject: "\u00a0", match: true},
		{js: `[\s,]+`, subject: "\u2003", match: true},
		{js: `\S`, subject: " ", match: false},
		{js: `\u00e9`, subject: "é", match: true},
		{js: `\x41`, subject: "A", match: true},
		{js: `a\/b`, subject: "a/b", match: true},
		{js: `[[]`, subject: "[", match: true},
		{js: `[^]`, subject: "\n", match: true},
		{js: `(?<year>\d{4})`, subject: "2024", match: true},
		{js: `\cJ`, subject: "\n", match: true},
		{js: `[\b]`, subject: "\b", match: true},
		{js: `(a)\1`, unsupported: "backreferences"},
		{js: `(?<n>a)\k<n>`, unsupported: "named backreferences"},
		{js: `a(?=b)`, unsupported: "lookahead"},
		{js: `a(?!b)`, unsupported: "lookahead"},
		{js: `(?<=a)b`, unsupported: "lookbehind"},
		{js: `(?<!a)b`, unsupported: "lookbehind"},
	}
	for _, tt := range tests {
		re, err := compileRegex(tt.js, "")
		if tt.unsupported != "" {
			if err == nil || err.Code != "S0303" || !strings.Contains(err.finish().Message, tt.unsupported) {
				t.Errorf("/%s/: got %v, want S0303 about %s", tt.js, err, tt.unsupported)
			}
			continue
		}
		if err != nil {
			t.Errorf("/%s/: %v", tt.js, err.finish())
			continue
		}
		if got := re.re.MatchString(tt.subject); got != tt.match {
			t.Errorf("/%s/ on %q = %v, want %v", tt.js, tt.subject, got, tt.match)
		}
	}
}

func TestRegexMatchObjects(t *testing.T) {
	tests := []struct{ expr, want string }{
		{`$match("日本 abc ab", /a(b)?/)`, `[{"match":"ab","index":3,"groups":["b"]},{"match":"ab","index":7,"groups":["b"]}]`},
		{`$match("ac", /a(b)?/).groups`, `[null]`},
		{`$split("a1b22c", /\d+/)`, `["a","b","c"]`},
		{`$replace("😀a😀a", /a/, "b")`, `"😀b😀b"`},
		{`/ab/i("xAB").start`, `1`},
	}
	for _, tt := range tests {
		got, _, err := evalString(t, tt.expr, Undefined{}, nil)
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		if !value.Equal(got, value.MustParse(tt.want)) {
			t.Errorf("%s = %s, want %s", tt.expr, value.String(got), tt.want)
		}
	}
}
