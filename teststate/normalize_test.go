package teststate

// The normalisation of recorded responses (conformance/testdata/README.md,
// "Normalisation"), ported from run.py and conformance/normalize_test.go
// as far as TestState responses need it. Numbered tokens (<resource:3>,
// <uuid:1>) are compared without their numbers.

import (
	"regexp"
	"strings"

	"github.com/stepwise-run/stepwise/internal/awsnorm"
	"github.com/stepwise-run/stepwise/value"
)

var (
	isoDate   = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})`)
	token     = regexp.MustCompile(`<(json-input|uuid|resource|replacement)(:\d+)?>`)
	causeJSON = regexp.MustCompile(`^[^\n]*?'(\{.*\})'`)
	uuidStart = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)
)

// transform is a test-registered normalisation step (README rule 5).
type transform struct {
	Type        string `json:"type"`
	Pattern     string `json:"pattern"`
	Path        string `json:"path"`
	Key         string `json:"key"`
	Replacement string `json:"replacement"`
	Reference   *bool  `json:"reference"`
}

// normalizer turns our response (as a value) into the recorded form.
type normalizer struct {
	account, region string
	placeholders    map[string]string
	transforms      []transform
}

func (n *normalizer) normalize(v any) any {
	// Text replacements: test transforms, then account, region, partition.
	v = parseJSONStrings(v)
	var repl []func(string) string
	for _, t := range n.transforms {
		switch t.Type {
		case "regex":
			re := regexp.MustCompile(regexp.QuoteMeta(n.subst(t.Pattern)))
			r := t.Replacement
			repl = append(repl, func(s string) string { return re.ReplaceAllLiteralString(s, r) })
		case "resourceName":
			for _, name := range arnNames(v) {
				repl = append(repl, func(s string) string { return strings.ReplaceAll(s, name, "<resource>") })
			}
		}
	}
	replaced := map[string]bool{}
	awsnorm.QuotedJSON(v, replaced)
	for j := range replaced {
		repl = append(repl, func(s string) string { return strings.ReplaceAll(s, j, "<json-input>") })
	}
	repl = append(repl, func(s string) string {
		s = strings.ReplaceAll(s, n.account, "111111111111")
		s = strings.ReplaceAll(s, n.region, "<region>")
		s = strings.ReplaceAll(s, "arn:aws:", "arn:<partition>:")
		s = isoDate.ReplaceAllString(s, "date")
		return token.ReplaceAllString(s, "<$1>")
	})
	v = applyText(v, "", repl)
	for _, t := range n.transforms {
		if t.Type == "jsonpath" && (t.Reference == nil || !*t.Reference) {
			v = awsnorm.ReplaceAt(v, awsnorm.SplitPath(t.Path), t.Replacement)
		}
	}
	return v
}

func (n *normalizer) subst(s string) string {
	for k, r := range n.placeholders {
		s = strings.ReplaceAll(s, "${"+k+"}", r)
	}
	return s
}

// arnNames lists the resource names at the end of the ARNs in v.
func arnNames(v any) []string {
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case *value.Object:
			for _, e := range x.All() {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case string:
			if strings.HasPrefix(x, "arn:") && !strings.ContainsAny(x, " \"{") {
				i := strings.LastIndexAny(x, ":/")
				if name := x[i+1:]; name != "" {
					out = append(out, name)
				}
			}
		}
	}
	walk(v)
	return out
}

// parseJSONStrings replaces object members (and array elements) that are
// strings holding a JSON object by the object, one level deep (rule 3).
func parseJSONStrings(v any) any {
	return awsnorm.ParseStrings(v, func(_, s string) bool { return strings.HasPrefix(s, "{") })
}

// applyText applies the text replacements to every string and masks
// timestamps and UUIDs under id keys (rules 1 and 8).
func applyText(v any, key string, repl []func(string) string) any {
	switch x := v.(type) {
	case *value.Object:
		o := value.NewObject(x.Len())
		for k, e := range x.All() {
			if strings.Contains(strings.ToLower(k), "timestamp") {
				o.Set(k, "timestamp")
				continue
			}
			o.Set(k, applyText(e, k, repl))
		}
		return o
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = applyText(e, key, repl)
		}
		return out
	case string:
		if strings.HasSuffix(strings.ToLower(key), "id") && uuidStart.MatchString(x) {
			return "<uuid>"
		}
		for _, f := range repl {
			x = f(x)
		}
		return x
	}
	return v
}

// normalizeExpected collapses the numbered tokens of a recorded value.
func normalizeExpected(v any) any {
	switch x := v.(type) {
	case *value.Object:
		o := value.NewObject(x.Len())
		for k, e := range x.All() {
			o.Set(k, normalizeExpected(e))
		}
		return o
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalizeExpected(e)
		}
		return out
	case string:
		return token.ReplaceAllString(x, "<$1>")
	}
	return v
}
