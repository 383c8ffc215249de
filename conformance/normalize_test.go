package conformance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/stepwise-run/stepwise/value"
)

// Case is one recorded conformance case (see testdata/README.md).
type Case struct {
	ID                string          `json:"id"`
	Kind              string          `json:"kind"`
	Feature           string          `json:"feature"`
	Definition        json.RawMessage `json:"definition"`
	DefinitionString  *string         `json:"definitionString"`
	Input             *string         `json:"input"`
	StateMachineType  string          `json:"stateMachineType"`
	StartMode         string          `json:"startMode"`
	ParallelTransform bool            `json:"parallelTransform"`
	Expected          json.RawMessage `json:"expected"`
	SkipPaths         []string        `json:"skipPaths"`
	Transforms        []Transform     `json:"transforms"`
}

func loadCases(kind string) ([]Case, error) {
	files, err := filepath.Glob(filepath.Join("testdata", "cases", kind, "*.json"))
	if err != nil {
		return nil, err
	}
	var all []Case
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var cs []Case
		if err := json.Unmarshal(b, &cs); err != nil {
			return nil, err
		}
		all = append(all, cs...)
	}
	return all, nil
}

var (
	isoDate   = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})`)
	token     = regexp.MustCompile(`<(json-input|uuid|MapRunArnPart[01]_\d+idx|resource)(:\d+)?>`)
	causeJSON = regexp.MustCompile(`^[^\n]*?'(\{.*\})'`)
	mapRunArn = regexp.MustCompile(`(:mapRun:[^/"\\]+)/[^:"\\]+:[0-9a-f-]{36}`)
)

// normalize applies the recording pipeline's rules (README "Normalisation")
// to a value built from our response, so it can be compared with the
// recorded one: JSON inside strings parsed one level, causes quoting JSON
// replaced by a token, dates and timestamps masked, map-run ARNs tokenised.
func normalize(v any) any {
	replaced := map[string]bool{}
	collectCauses(v, replaced)
	return normalizeValue(v, "", replaced)
}

func collectCauses(v any, out map[string]bool) {
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
			collectCauses(e, out)
		}
	case []any:
		for _, e := range x {
			collectCauses(e, out)
		}
	}
}

func normalizeString(s string, replaced map[string]bool) string {
	for j := range replaced {
		s = strings.ReplaceAll(s, j, "<json-input>")
	}
	s = mapRunArn.ReplaceAllString(s, "$1/<MapRunArnPart0>:<MapRunArnPart1>")
	s = isoDate.ReplaceAllString(s, "date")
	return token.ReplaceAllStringFunc(s, func(t string) string {
		name := token.FindStringSubmatch(t)[1]
		if strings.HasPrefix(name, "MapRunArnPart") {
			return "<MapRunArnPart" + name[len("MapRunArnPart"):len("MapRunArnPart")+1] + ">"
		}
		return "<" + name + ">"
	})
}

func normalizeValue(v any, key string, replaced map[string]bool) any {
	switch x := v.(type) {
	case *value.Object:
		o := value.NewObject(x.Len())
		for k, e := range x.All() {
			if strings.Contains(strings.ToLower(k), "timestamp") {
				o.Set(k, "timestamp")
				continue
			}
			if s, ok := e.(string); ok && strings.HasPrefix(s, "{") {
				if parsed, err := value.ParseString(s); err == nil {
					o.Set(k, normalizeValue(parsed, k, replaced))
					continue
				}
			}
			o.Set(k, normalizeValue(e, k, replaced))
		}
		return o
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalizeValue(e, key, replaced)
		}
		return out
	case string:
		return normalizeString(x, replaced)
	default:
		return v
	}
}

// firstDifference describes where a and b differ, or "" when equal.
func firstDifference(path string, a, b any) string {
	switch x := a.(type) {
	case *value.Object:
		y, ok := b.(*value.Object)
		if !ok {
			return path + ": got " + short(a) + ", want " + short(b)
		}
		for k, e := range x.All() {
			w, ok := y.Get(k)
			if !ok {
				return path + "." + k + ": unexpected field " + short(e)
			}
			if d := firstDifference(path+"."+k, e, w); d != "" {
				return d
			}
		}
		for k, w := range y.All() {
			if !x.Has(k) {
				return path + "." + k + ": missing field, want " + short(w)
			}
		}
		return ""
	case []any:
		y, ok := b.([]any)
		if !ok {
			return path + ": got " + short(a) + ", want " + short(b)
		}
		for i := 0; i < len(x) && i < len(y); i++ {
			if d := firstDifference(path+"["+itoa(i)+"]", x[i], y[i]); d != "" {
				return d
			}
		}
		if len(x) != len(y) {
			return path + ": got " + itoa(len(x)) + " elements, want " + itoa(len(y))
		}
		return ""
	default:
		if !value.Equal(a, b) {
			return path + ": got " + short(a) + ", want " + short(b)
		}
		return ""
	}
}

func short(v any) string {
	s := value.String(v)
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// Transform is a test-registered normalisation step (README rule 5). The
// harness applies the non-reference "jsonpath" and "keyValue" kinds, which
// mask nondeterministic values such as random numbers and map-run ARNs;
// the others only rename what our placeholders already name.
type Transform struct {
	Type        string `json:"type"`
	Path        string `json:"path"`
	Key         string `json:"key"`
	Replacement string `json:"replacement"`
	Reference   *bool  `json:"reference"`
}

func applyTransforms(v any, ts []Transform) any {
	for _, t := range ts {
		if t.Reference != nil && *t.Reference {
			continue
		}
		switch t.Type {
		case "parseEventOutputs":
			v = parseOutputs(v)
		case "keyValue":
			v = replaceAtKeys(v, []string{".." + t.Key}, t.Replacement)
		case "jsonpath":
			v = replaceAtKeys(v, splitPath(t.Path), t.Replacement)
		}
	}
	return v
}

// splitPath splits "$..a..b.c" into ["..a", "..b", ".c"].
func splitPath(p string) []string {
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

// replaceAtKeys replaces the values the simple path segs selects.
func replaceAtKeys(v any, segs []string, repl string) any {
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
				o.Set(k, replaceAtKeys(e, segs[1:], repl))
			case deep:
				o.Set(k, replaceAtKeys(e, segs, repl))
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
			out[i] = replaceAtKeys(e, segs, repl)
		}
		return out
	}
	return v
}

// parseOutputs parses the string values of "output" fields (the
// parseEventOutputs transform).
func parseOutputs(v any) any {
	switch x := v.(type) {
	case *value.Object:
		o := value.NewObject(x.Len())
		for k, e := range x.All() {
			if s, ok := e.(string); ok && k == "output" {
				if p, err := value.ParseString(s); err == nil {
					o.Set(k, p)
					continue
				}
			}
			o.Set(k, parseOutputs(e))
		}
		return o
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = parseOutputs(e)
		}
		return out
	}
	return v
}
