package awsnorm

import (
	"strings"
	"testing"

	"github.com/stepwise-run/stepwise/value"
)

func TestPathsAndDifferences(t *testing.T) {
	doc := value.MustParse(`{"events":[{"details":{"output":{"r":1},"cause":"bad input '{\"a\":1}' here"}},{"x":2}]}`)
	if got := strings.Join(SplitPath("$..events..details.output"), " "); got != "..events ..details .output" {
		t.Fatalf("SplitPath = %s", got)
	}
	replaced := ReplaceAt(doc, SplitPath("$..details.output"), "masked")
	if !strings.Contains(value.String(replaced), `"output":"masked"`) {
		t.Fatalf("ReplaceAt: %s", value.String(replaced))
	}
	removed := RemovePaths(doc, []string{"$..cause"})
	if strings.Contains(value.String(removed), "cause") {
		t.Fatalf("RemovePaths: %s", value.String(removed))
	}
	quoted := map[string]bool{}
	QuotedJSON(doc, quoted)
	if !quoted[`{"a":1}`] || len(quoted) != 1 {
		t.Fatalf("QuotedJSON: %v", quoted)
	}
	if d := FirstDifference("", doc, value.Clone(doc)); d != "" {
		t.Fatalf("equal documents differ: %s", d)
	}
	if d := FirstDifference("", doc, replaced); !strings.Contains(d, ".events[0].details.output") {
		t.Fatalf("difference %q", d)
	}
}

func TestParseStrings(t *testing.T) {
	doc := value.MustParse(`{"output":"{\"a\":1}","other":"{\"b\":2}","list":[{"output":"[1]"}]}`)
	got := ParseStrings(doc, func(key, _ string) bool { return key == "output" })
	if want := `{"output":{"a":1},"other":"{\"b\":2}","list":[{"output":[1]}]}`; value.String(got) != want {
		t.Fatalf("got %s, want %s", value.String(got), want)
	}
}
