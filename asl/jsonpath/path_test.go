package jsonpath

import (
	"errors"
	"testing"

	"github.com/stepwise-run/stepwise/value"
)

const storeDoc = `{
 "store": {
  "book": [
   {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
   {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
   {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
   {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99}
  ],
  "bicycle": {"color": "red", "price": 19.95}
 },
 "expensive": 10,
 "a\"b": 2,
 "it's": 3,
 "a-b": {"c d": 1},
 "Test\\\"\"Name\"": "Value\"\\"
}`

func TestEval(t *testing.T) {
	doc := value.MustParse(storeDoc)
	tests := []struct {
		path, want string
		definite   bool
	}{
		{"$", "", true},
		{"$.expensive", `10`, true},
		{"$.store.book[0].author", `"Nigel Rees"`, true},
		{"$['store']['book'][-1]['price']", `22.99`, true},
		{`$["store"].bicycle.color`, `"red"`, true},
		{"$.a-b['c d']", `1`, true},
		{`$['Test\""Name"']`, `"Value\"\\"`, true}, // recorded case test_escape_sequence_parsing
		{`$["a\"b"]`, `2`, true},
		{`$['it\'s']`, `3`, true},
		{"$.store.book[*].author", `["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]`, false},
		{"$.store.book.*.price", `[8.95,12.99,8.99,22.99]`, false},
		{"$..author", `["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]`, false},
		{"$.store..price", `[8.95,12.99,8.99,22.99,19.95]`, false},
		{"$..book[2].title", `["Moby Dick"]`, false},
		{"$..book[-2:].price", `[8.99,22.99]`, false},
		{"$..book[:2].price", `[8.95,12.99]`, false},
		{"$..book[1:3].price", `[12.99,8.99]`, false},
		{"$..book[::2].price", `[8.95,8.99]`, false},
		{"$..book[0,2].price", `[8.95,8.99]`, false},
		{"$.store.bicycle['color','price']", `["red",19.95]`, false},
		{"$..book[?(@.isbn)].title", `["Moby Dick","The Lord of the Rings"]`, false},
		{"$..book[?(@.price < 10)].title", `["Sayings of the Century","Moby Dick"]`, false},
		{"$..book[?(@.price <= $['expensive'])].price", `[8.95,8.99]`, false},
		{"$..book[?(@.category == 'fiction' && @.price > 20)].title", `["The Lord of the Rings"]`, false},
		{"$..book[?(@.price > 20 || @.category == \"reference\")].price", `[8.95,22.99]`, false},
		{"$..book[?(!(@.price > 9))].price", `[8.95,8.99]`, false},
		{"$..book[?(@.author =~ /.*REES/i)].price", `[8.95]`, false},
		{"$..book[?(@.category in ['reference'])].price", `[8.95]`, false},
		{"$..book[?(@.category nin ['reference'])].price", `[12.99,8.99,22.99]`, false},
		{"$..book[?(@.isbn != '0-553-21311-3')].price", `[8.95,12.99,22.99]`, false},
		{"$..book[?(@.tags.length() > 0)].price", `[]`, false},
		{"$.nothing[*]", `[]`, false},
		{"$.nothing[1:]", `[]`, false},
		{"$.store.book[9:]", `[]`, false},
	}
	for _, tt := range tests {
		p, err := Parse(tt.path)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.path, err)
			continue
		}
		if p.IsDefinite() != tt.definite {
			t.Errorf("%q: IsDefinite = %v, want %v", tt.path, p.IsDefinite(), tt.definite)
		}
		got, err := p.Eval(doc)
		if err != nil {
			t.Errorf("%q: Eval: %v", tt.path, err)
			continue
		}
		want := tt.want
		if want == "" {
			want = value.String(doc)
		}
		if value.String(got) != want {
			t.Errorf("%q = %s, want %s", tt.path, value.String(got), want)
		}
	}
}

func TestEvalNotFound(t *testing.T) {
	doc := value.MustParse(`{"a":{"b":"x","n":null},"arr":[1,2]}`)
	tests := []struct{ path, msg string }{
		{"$.NoSuchOutputPath", "No results for path: $['NoSuchOutputPath']"},
		{"$.a.c", "No results for path: $['a']['c']"},
		{"$.x.y", "Missing property in path $['x']"},
		{"$.arr[5]", "No results for path: $['arr'][5]"},
		{"$.arr.length()", "No results for path: $['arr'].length()"},
		{"$.arr[*].sum()", "No results for path: $['arr'][*].sum()"},
		{"$.a.n[0]", "The path $['a']['n'] is null"},
		{"$.a[0]", `Filter: [0] can only be applied to arrays. Current context is: {"b":"x","n":null}`},
		{"$.a.b.c", "Expected to find an object with property ['c'] in path $['a']['b'] but found 'java.lang.String'. " +
			"This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JacksonJsonProvider'."},
	}
	for _, tt := range tests {
		_, err := MustParse(tt.path).Eval(doc)
		var nf *NotFoundError
		if !errors.As(err, &nf) {
			t.Errorf("%q: err = %v, want NotFoundError", tt.path, err)
			continue
		}
		if nf.Msg != tt.msg {
			t.Errorf("%q: msg = %q, want %q", tt.path, nf.Msg, tt.msg)
		}
	}
}

func TestRootsAndNormalized(t *testing.T) {
	tests := []struct {
		path       string
		root       Root
		variable   string
		normalized string
		reference  bool
	}{
		{"$", Input, "", "$", true},
		{"$$", Context, "", "$$", true},
		{"$$.Execution.Input", Context, "", "$$['Execution']['Input']", true},
		{"$myVar.a.b[0]", Variable, "myVar", "$myVar['a']['b'][0]", true},
		{"$_x1", Variable, "_x1", "$_x1", true},
		{"$.a[*].b", Input, "", "$['a'][*]['b']", false},
		{"$..a", Input, "", "$..['a']", false},
		{"$.a[1:5]", Input, "", "$['a'][1:5]", false},
		{"$.a[-2:]", Input, "", "$['a'][-2:]", false},
		{"$.a[0,2]", Input, "", "$['a'][0,2]", false},
		{"$.a[?(@.x)]", Input, "", "$['a'][?]", false},
		{"$.a.length()", Input, "", "$['a'].length()", false},
	}
	for _, tt := range tests {
		p, err := Parse(tt.path)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.path, err)
		}
		if p.Root() != tt.root || p.Variable() != tt.variable || p.Normalized() != tt.normalized || p.IsReference() != tt.reference {
			t.Errorf("%q: root=%v var=%q norm=%q ref=%v", tt.path, p.Root(), p.Variable(), p.Normalized(), p.IsReference())
		}
		if p.String() != tt.path {
			t.Errorf("String() = %q", p.String())
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, s := range []string{
		"", "a", "$.", "$..", "$[", "$[]", "$['a'", "$[a]", "$.a[?(@.a ==)]", "$.a[?@.a]",
		"$.a.length().b", "$[1:2:0]", "$ .a", "$.a b", "$1", "$.a[?(@.a =~ /[/)]", "$.a.b-c()", "$.a.f(1)", "$[99999999999]",
	} {
		if p, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) = %v, want error", s, p.segs)
		}
	}
}

func TestSet(t *testing.T) {
	tests := []struct {
		doc, path, v, want string
	}{
		{`{"a":1}`, "$", `{"r":1}`, `{"r":1}`},
		{`{"a":1}`, "$.b", `2`, `{"a":1,"b":2}`},
		{`{"a":1}`, "$.a", `2`, `{"a":2}`},
		{`{"a":1}`, "$.x.y.z", `true`, `{"a":1,"x":{"y":{"z":true}}}`},
		{`{"a":{"k":1}}`, "$.a.b", `2`, `{"a":{"k":1,"b":2}}`},
		{`{"a":[1,{"c":2}]}`, "$.a[1].c", `3`, `{"a":[1,{"c":3}]}`},
		{`{"a":[1,2]}`, "$.a[-1]", `9`, `{"a":[1,9]}`},
		{`"str"`, "$", `1`, `1`},
	}
	for _, tt := range tests {
		doc := value.MustParse(tt.doc)
		before := value.String(doc)
		got, err := MustParse(tt.path).Set(doc, value.MustParse(tt.v))
		if err != nil {
			t.Errorf("Set(%s, %s): %v", tt.doc, tt.path, err)
			continue
		}
		if value.String(got) != tt.want {
			t.Errorf("Set(%s, %s) = %s, want %s", tt.doc, tt.path, value.String(got), tt.want)
		}
		if value.String(doc) != before {
			t.Errorf("Set modified its input: %s", value.String(doc))
		}
	}
	for _, tt := range []struct{ doc, path string }{
		{`"str"`, "$.a"}, {`{"a":"s"}`, "$.a.b"}, {`{"a":[1]}`, "$.a[3]"}, {`{"a":null}`, "$.a.b"},
		{`{}`, "$.a[0]"}, {`{}`, "$.a[*]"}, {`{}`, "$$.a"}, {`{}`, "$v.a"},
	} {
		if _, err := MustParse(tt.path).Set(value.MustParse(tt.doc), 1.0); !errors.Is(err, ErrCannotSet) {
			t.Errorf("Set(%s, %s): err = %v, want ErrCannotSet", tt.doc, tt.path, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"$", "$$.Execution.Input", "$v.a[0]", "$.a.b[-1]", "$['x','y']", "$..a[?(@.b >= 5 && !(@.c == 'x'))]",
		"$.a[1:5]", "$.a[::2]", "$.a.length()", "$..*", "$.a[?(@.x =~ /a.*/i)]", "$.a[?(@.x in [1,'a',true])]",
		`$['Test\\\"\"Name\"']`, "$.a[?($.b)]",
	} {
		f.Add(s, `{"a":[{"b":6,"c":"y","x":"abc"},{"b":1}],"b":{"a":[1,2,3]}}`)
	}
	f.Fuzz(func(t *testing.T, path, doc string) {
		p, err := Parse(path)
		if err != nil {
			return
		}
		if p.String() != path {
			t.Fatalf("String() = %q, want %q", p.String(), path)
		}
		_ = p.Normalized()
		v, err := value.ParseString(doc)
		if err != nil {
			return
		}
		got, err := p.Eval(v)
		if err == nil && !p.IsDefinite() {
			if _, ok := got.([]any); !ok {
				t.Fatalf("indefinite path %q returned %T", path, got)
			}
		}
		if p.IsReference() && p.Root() == Input {
			if out, err := p.Set(v, "x"); err == nil {
				if got, err := p.Eval(out); err != nil || got != "x" {
					t.Fatalf("Set then Eval of %q = %v, %v", path, got, err)
				}
			}
		}
	})
}

func TestParseReference(t *testing.T) {
	for _, s := range []string{"$", "$.a.b[0]", "$['a b'][-1]", "$$.Execution.Input", "$var.x"} {
		if _, err := ParseReference(s); err != nil {
			t.Errorf("ParseReference(%q): %v", s, err)
		}
	}
	for _, s := range []string{"$.a[*]", "$..a", "$.a[0,1]", "$.a[1:]", "$.a[?(@.b)]", "$.a.length()", "$['a','b']", "x"} {
		if _, err := ParseReference(s); err == nil {
			t.Errorf("ParseReference(%q): want error", s)
		}
	}
}
