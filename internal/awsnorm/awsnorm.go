// Package awsnorm holds the pieces of the conformance runner's
// normalisation (../shared/conformance/README.md, "Normalisation") that the
// Go tests replaying AWS-recorded cases share: simple JSONPath-like paths
// ("$..a.b") to replace or remove values, causes that quote JSON, and a
// structural difference report. It is test support; nothing in the server
// imports it.
package awsnorm

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/stepwise-run/stepwise/value"
)

var causeJSON = regexp.MustCompile(`^[^\n]*?'(\{.*\})'`)

// QuotedJSON collects, from every "cause" member in v, the JSON text the
// cause quotes between single quotes (rule 4), so that it can be replaced
// by a token everywhere.
func QuotedJSON(v any, out map[string]bool) {
	switch x := v.(type) {
	case *value.Object:
		for k, e := range x.All() {
			if s, ok := e.(string); ok && k == "cause" {
				if m := causeJSON.FindStringSubmatch(s); m != nil {
					if _, err := value.ParseString(m[1]); err == nil {
						out[m[1]] = true
					}
				}
			}
			QuotedJSON(e, out)
		}
	case []any:
		for _, e := range x {
			QuotedJSON(e, out)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// SplitPath splits "$..a..b.c" into ["..a", "..b", ".c"].
func SplitPath(p string) []string {
	p = strings.TrimPrefix(p, "$")
	var out []string
	for len(p) > 0 {
		deep := strings.HasPrefix(p, "..")
		if deep {
			p = p[2:]
		} else {
			p = strings.TrimPrefix(p, ".")
		}
		end := strings.IndexByte(p, '.')
		if end < 0 {
			end = len(p)
		}
		name := p[:end]
		p = p[end:]
		if deep {
			out = append(out, ".."+name)
		} else {
			out = append(out, "."+name)
		}
	}
	return out
}

// ReplaceAt replaces the values the simple path segs selects.
func ReplaceAt(v any, segs []string, repl any) any {
	if len(segs) == 0 {
		return repl
	}
	seg := segs[0]
	deep := strings.HasPrefix(seg, "..")
	name := strings.TrimLeft(seg, ".")
	switch x := v.(type) {
	case *value.Object:
		o := value.NewObject(x.Len())
		for k, e := range x.All() {
			switch {
			case k == name:
				o.Set(k, ReplaceAt(e, segs[1:], repl))
			case deep:
				o.Set(k, ReplaceAt(e, segs, repl))
			default:
				o.Set(k, e)
			}
		}
		return o
	case []any:
		if !deep {
			return v
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = ReplaceAt(e, segs, repl)
		}
		return out
	}
	return v
}

// RemovePaths removes the "$..key" skip paths (and "$..a.b") from v.
func RemovePaths(v any, paths []string) any {
	for _, p := range paths {
		segs := SplitPath(p)
		v = removeAt(v, segs)
	}
	return v
}

func removeAt(v any, segs []string) any {
	if len(segs) == 0 {
		return v
	}
	seg := segs[0]
	deep := strings.HasPrefix(seg, "..")
	name := strings.TrimLeft(seg, ".")
	switch x := v.(type) {
	case *value.Object:
		o := value.NewObject(x.Len())
		for k, e := range x.All() {
			switch {
			case k == name && len(segs) == 1:
				continue
			case k == name:
				o.Set(k, removeAt(e, segs[1:]))
			case deep:
				o.Set(k, removeAt(e, segs))
			default:
				o.Set(k, e)
			}
		}
		return o
	case []any:
		if !deep {
			return v
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = removeAt(e, segs)
		}
		return out
	}
	return v
}

// FirstDifference describes where got and want differ, or "" when equal.
func FirstDifference(path string, got, want any) string {
	switch x := got.(type) {
	case *value.Object:
		y, ok := want.(*value.Object)
		if !ok {
			return path + ": got " + Short(got) + ", want " + Short(want)
		}
		for k, e := range x.All() {
			w, ok := y.Get(k)
			if !ok {
				return path + "." + k + ": unexpected field " + Short(e)
			}
			if d := FirstDifference(path+"."+k, e, w); d != "" {
				return d
			}
		}
		for k, w := range y.All() {
			if !x.Has(k) {
				return path + "." + k + ": missing field, want " + Short(w)
			}
		}
		return ""
	case []any:
		y, ok := want.([]any)
		if !ok {
			return path + ": got " + Short(got) + ", want " + Short(want)
		}
		for i := 0; i < len(x) && i < len(y); i++ {
			if d := FirstDifference(path+"["+itoa(i)+"]", x[i], y[i]); d != "" {
				return d
			}
		}
		if len(x) != len(y) {
			return path + ": got " + itoa(len(x)) + " elements, want " + itoa(len(y))
		}
		return ""
	default:
		if !value.Equal(got, want) {
			return path + ": got " + Short(got) + ", want " + Short(want)
		}
		return ""
	}
}

// Short renders v for a difference message, cut at 300 bytes.
func Short(v any) string {
	s := value.String(v)
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// ParseStrings returns v with every object member whose string value pick
// accepts (given the member's key and the string) replaced by the JSON the
// string holds, when it parses. It serves rule 3 (strings holding an
// object) and the parseEventOutputs transform ("output" members).
func ParseStrings(v any, pick func(key, s string) bool) any {
	switch x := v.(type) {
	case *value.Object:
		o := value.NewObject(x.Len())
		for k, e := range x.All() {
			if s, ok := e.(string); ok && pick(k, s) {
				if parsed, err := value.ParseString(s); err == nil {
					o.Set(k, parsed)
					continue
				}
			}
			o.Set(k, ParseStrings(e, pick))
		}
		return o
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = ParseStrings(e, pick)
		}
		return out
	}
	return v
}
