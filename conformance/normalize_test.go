package conformance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/stepwise-run/stepwise/internal/awsnorm"
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
	awsnorm.QuotedJSON(v, replaced)
	return normalizeValue(v, "", replaced)
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
			v = awsnorm.ReplaceAt(v, []string{".." + t.Key}, t.Replacement)
		case "jsonpath":
			v = awsnorm.ReplaceAt(v, awsnorm.SplitPath(t.Path), t.Replacement)
		}
	}
	return v
}

// parseOutputs parses the string values of "output" fields (the
// parseEventOutputs transform).
func parseOutputs(v any) any {
	return awsnorm.ParseStrings(v, func(key, _ string) bool { return key == "output" })
}
