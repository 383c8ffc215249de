package payload

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stepwise-run/stepwise/asl/jsonpath"
	"github.com/stepwise-run/stepwise/value"
)

// benchDoc is a document of about 1 KiB.
func benchDoc(b *testing.B) any {
	var sb strings.Builder
	sb.WriteString(`{"order":{"id":"ord-123456","customer":{"name":"Ada Lovelace","email":"ada@example.com","tier":"gold"},"items":[`)
	for i := range 12 {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(`{"sku":"SKU-00` + strconv.Itoa(i) + `","qty":2,"price":19.99,"tags":["a","b"]}`)
	}
	sb.WriteString(`],"total":159.92,"currency":"EUR"},"meta":{"source":"web","trace":"0123456789abcdef0123456789abcdef","retries":0,"flags":{"gift":false,"express":true}}}`)
	doc := value.MustParse(sb.String())
	if n := len(value.Marshal(doc)); n < 900 || n > 1200 {
		b.Fatalf("bench document is %d bytes", n)
	}
	return doc
}

func BenchmarkTemplateApply(b *testing.B) {
	tm, err := Compile(value.MustParse(`{
		"orderId.$": "$.order.id",
		"customer.$": "$.order.customer.name",
		"firstSku.$": "$.order.items[0].sku",
		"total.$": "$.order.total",
		"express.$": "$.meta.flags.express",
		"constant": {"kind": "bench"}
	}`), "Parameters")
	if err != nil {
		b.Fatal(err)
	}
	s := &Scope{Input: benchDoc(b)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tm.Apply(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMergeResult(b *testing.B) {
	doc := benchDoc(b)
	p := jsonpath.MustParse("$.meta.result")
	result := value.MustParse(`{"ok":true}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MergeResult(doc, p, result); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSelect(b *testing.B) {
	s := &Scope{Input: benchDoc(b)}
	p := jsonpath.MustParse("$.order.customer")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Select(p, s, "OutputPath"); err != nil {
			b.Fatal(err)
		}
	}
}
