package httpinvoke

import (
	"testing"

	"github.com/stepwise-run/stepwise/value"
)

func TestURLEncode(t *testing.T) {
	const body = `{"a":["x","y"],"o":{"k":"v","n":null},"m":[{"p":1},[2]],"s":"a&b=c","b":true}`
	tests := []struct{ format, want string }{
		{ArrayIndices, "a%5B0%5D=x&a%5B1%5D=y&o%5Bk%5D=v&o%5Bn%5D=&m%5B0%5D%5Bp%5D=1&m%5B1%5D%5B0%5D=2&s=a%26b%3Dc&b=true"},
		{ArrayRepeat, "a=x&a=y&o%5Bk%5D=v&o%5Bn%5D=&m%5B0%5D%5Bp%5D=1&m%5B1%5D=2&s=a%26b%3Dc&b=true"},
		{ArrayBrackets, "a%5B%5D=x&a%5B%5D=y&o%5Bk%5D=v&o%5Bn%5D=&m%5B0%5D%5Bp%5D=1&m%5B1%5D%5B%5D=2&s=a%26b%3Dc&b=true"},
		{ArrayCommas, "a=x%2Cy&o%5Bk%5D=v&o%5Bn%5D=&m%5B0%5D%5Bp%5D=1&m%5B1%5D=2&s=a%26b%3Dc&b=true"},
	}
	for _, tc := range tests {
		t.Run(tc.format, func(t *testing.T) {
			if got := urlEncode(value.MustParse(body).(*value.Object), tc.format); got != tc.want {
				t.Errorf("urlEncode =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}
