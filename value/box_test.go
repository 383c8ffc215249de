package value

import (
	"runtime"
	"strings"
	"testing"
)

// TestBoxedValuesOutliveTheirDocument checks that scalars and arrays boxed
// in a document's slabs (box.go) stay intact once nothing refers to the
// rest of the document and the garbage collector has run, and that
// values taken from one document are independent of another's.
func TestBoxedValuesOutliveTheirDocument(t *testing.T) {
	const n = 200
	kept := make([]any, 0, 3*n)
	for i := range n {
		doc, err := ParseString(`{"s":"text-` + strings.Repeat("y", i%7) + `","f":1234.5,"a":[1,"b",[]],"i":300}`)
		if err != nil {
			t.Fatal(err)
		}
		o := doc.(*Object)
		s, _ := o.Get("s")
		f, _ := o.Get("f")
		a, _ := o.Get("a")
		kept = append(kept, s, f, a)
	}
	runtime.GC()
	garbage := make([][]byte, 0, 1000)
	for range 1000 {
		garbage = append(garbage, make([]byte, 64))
	}
	runtime.GC()
	_ = garbage
	for i := range n {
		s, f, a := kept[3*i], kept[3*i+1], kept[3*i+2]
		if want := "text-" + strings.Repeat("y", i%7); s != want {
			t.Fatalf("%d: string %q, want %q", i, s, want)
		}
		if f != 1234.5 {
			t.Fatalf("%d: number %v", i, f)
		}
		if got := String(a); got != `[1,"b",[]]` {
			t.Fatalf("%d: array %s", i, got)
		}
		if arr := a.([]any); len(arr[2].([]any)) != 0 || arr[2].([]any) == nil {
			t.Fatalf("%d: empty array %#v", i, arr[2])
		}
	}
}

// TestParseAllocations keeps Parse's allocations per document fixed,
// whatever the number of scalars and arrays in it.
func TestParseAllocations(t *testing.T) {
	doc := `{"a":[{"s":"x","f":1.5,"n":1000,"l":[]},{"s":"y","f":2.5,"n":2000,"l":[1]}],"t":"z","u":[true,null,-7]}`
	if n := testing.AllocsPerRun(50, func() {
		if _, err := ParseString(doc); err != nil {
			t.Fatal(err)
		}
	}); n > 6 {
		t.Errorf("Parse made %v allocations, want at most 6", n)
	}
}

func TestStringValue(t *testing.T) {
	for _, n := range []int{0, 1, 15, 16, 17, 32, 33, 48, 63, 64, 65, 112, 113, 500} {
		b := []byte(strings.Repeat("a", n))
		if n > 0 {
			b[n-1] = 'z'
		}
		v := StringValue(b)
		for i := range b {
			b[i] = '!' // the value must not share b
		}
		runtime.GC()
		want := strings.Repeat("a", max(n-1, 0)) + strings.Repeat("z", min(n, 1))
		if s, ok := v.(string); !ok || s != want {
			t.Fatalf("StringValue of %d bytes = %#v, want %q", n, v, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = StringValue([]byte("a short string")) }); n != 1 {
		t.Errorf("StringValue made %v allocations, want 1", n)
	}
}
