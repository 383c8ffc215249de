package history

import "testing"

func TestPayloadForms(t *testing.T) {
	tests := []struct {
		name string
		p    Payload
		want string
	}{
		{"text", Text(`{"a":1}`), `{"a":1}`},
		{"value", Value(map[string]any(nil) == nil), `true`},
		{"null value", Value(nil), `null`},
		{"empty text", Text(""), ``},
		{"zero", Payload{}, ``},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%s: String() = %q, want %q", tt.name, got, tt.want)
		}
		if got := tt.p.Size(); got != len(tt.want) {
			t.Errorf("%s: Size() = %d, want %d", tt.name, got, len(tt.want))
		}
		b, err := tt.p.MarshalJSON()
		if err != nil || string(b) != `"`+jsonEscape(tt.want)+`"` {
			t.Errorf("%s: MarshalJSON() = %s, %v", tt.name, b, err)
		}
	}
}

// jsonEscape escapes the quotes of s, enough for the texts above.
func jsonEscape(s string) string {
	out := ""
	for _, c := range s {
		if c == '"' {
			out += `\`
		}
		out += string(c)
	}
	return out
}
