package jsonata

import (
	"math"
	"strconv"
	"testing"
)

// TestToPrecision15 checks the shortcut for integers against the general
// formula, Number(x.toPrecision(15)).
func TestToPrecision15(t *testing.T) {
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1, 12, 1e14, 999999999999999, -999999999999999, 1e15, 1e15 + 1,
		123456789012345678, 0.1, 1.0000000000000002, -2.5, 1e300, 5e-324, 9007199254740993} {
		want, err := strconv.ParseFloat(strconv.FormatFloat(f, 'e', 14, 64), 64)
		if err != nil {
			t.Fatal(err)
		}
		if got := toPrecision15(f); got != want || math.Signbit(got) != math.Signbit(want) {
			t.Errorf("toPrecision15(%v) = %v, want %v", f, got, want)
		}
	}
}
