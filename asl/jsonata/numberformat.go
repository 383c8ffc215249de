package jsonata

import (
	"math"
	"strings"

	"github.com/stepwise-run/stepwise/value"
)

// This file ports jsonata-js's $formatNumber (XPath F&O fn:format-number).

type numberFormatProps struct {
	decimal, grouping, exponent, percent, perMille, zero, digit, pattern string
	minus                                                                string
}

type pictureParts struct {
	prefix, suffix, active, mantissa, integer, fractional string
	exponent                                              *string
	sub                                                   string
}

type pictureVars struct {
	integerGroups    []int
	regularGrouping  int
	minInt           int
	scaling          int
	prefix, suffix   string
	fractionalGroups []int
	minFrac, maxFrac int
	minExp           int
	picture          string
}

func runeIndex(s, sub string) int {
	i := strings.Index(s, sub)
	if i < 0 {
		return -1
	}
	return len([]rune(s[:i]))
}

func runeLastIndex(s, sub string) int {
	i := strings.LastIndex(s, sub)
	if i < 0 {
		return -1
	}
	return len([]rune(s[:i]))
}

func runeSub(s string, start, end int) string {
	rs := []rune(s)
	if start < 0 {
		start = 0
	}
	if end > len(rs) {
		end = len(rs)
	}
	if start >= end {
		return ""
	}
	return string(rs[start:end])
}

func runeLen(s string) int { return len([]rune(s)) }

func fnFormatNumber(c call, args []any) (any, error) {
	v, ok := arg(args, 0).(float64)
	if !ok {
		return Undefined{}, nil
	}
	picture, _ := arg(args, 1).(string)
	p := numberFormatProps{decimal: ".", grouping: ",", exponent: "e", percent: "%", perMille: "\u2030",
		zero: "0", digit: "#", pattern: ";", minus: "-"}
	if o, ok := arg(args, 2).(*value.Object); ok {
		for k, val := range o.All() {
			s, _ := val.(string)
			switch k {
			case "decimal-separator":
				p.decimal = s
			case "grouping-separator":
				p.grouping = s
			case "exponent-separator":
				p.exponent = s
			case "percent":
				p.percent = s
			case "per-mille":
				p.perMille = s
			case "zero-digit":
				p.zero = s
			case "digit":
				p.digit = s
			case "pattern-separator":
				p.pattern = s
			case "minus-sign":
				p.minus = s
			}
		}
	}
	return formatNumber(v, picture, p)
}

func formatNumber(v float64, picture string, p numberFormatProps) (any, error) {
	zeroRunes := []rune(p.zero)
	zeroCode := rune('0')
	if len(zeroRunes) > 0 {
		zeroCode = zeroRunes[0]
	}
	var family []string
	for i := zeroCode; i < zeroCode+10; i++ {
		family = append(family, string(i))
	}
	inFamily := func(ch string) bool {
		for _, f := range family {
			if f == ch {
				return true
			}
		}
		return false
	}
	active := append(append([]string{}, family...), p.decimal, p.exponent, p.grouping, p.digit, p.pattern)
	isActive := func(ch string) bool {
		for _, a := range active {
			if a == ch {
				return true
			}
		}
		return false
	}
	subPictures := strings.Split(picture, p.pattern)
	if len(subPictures) > 2 {
		return nil, errv("D3080", Undefined{})
	}
	split := func(sub string) pictureParts {
		rs := []rune(sub)
		prefix := ""
		for i, r := range rs {
			ch := string(r)
			if isActive(ch) && ch != p.exponent {
				prefix = string(rs[:i])
				break
			}
		}
		suffix := ""
		for i := len(rs) - 1; i >= 0; i-- {
			ch := string(rs[i])
			if isActive(ch) && ch != p.exponent {
				suffix = string(rs[i+1:])
				break
			}
		}
		activePart := runeSub(sub, runeLen(prefix), len(rs)-runeLen(suffix))
		var mantissa string
		var exponent *string
		expPos := -1
		if i := strings.Index(string(rs[min(runeLen(prefix), len(rs)):]), p.exponent); i >= 0 && p.exponent != "" {
			expPos = runeLen(prefix) + runeLen(string(rs[runeLen(prefix):])[:i])
		}
		if expPos == -1 || expPos > len(rs)-runeLen(suffix) {
			mantissa = activePart
		} else {
			mantissa = runeSub(activePart, 0, expPos)
			e := runeSub(activePart, expPos+1, runeLen(activePart))
			exponent = &e
		}
		var integer, fractional string
		if dp := runeIndex(mantissa, p.decimal); dp == -1 {
			integer = mantissa
			fractional = suffix
		} else {
			integer = runeSub(mantissa, 0, dp)
			fractional = runeSub(mantissa, dp+1, runeLen(mantissa))
		}
		return pictureParts{prefix: prefix, suffix: suffix, active: activePart, mantissa: mantissa,
			exponent: exponent, integer: integer, fractional: fractional, sub: sub}
	}
	validate := func(pp pictureParts) error {
		code := ""
		sub := pp.sub
		decimalPos := runeIndex(sub, p.decimal)
		if decimalPos != runeLastIndex(sub, p.decimal) {
			code = "D3081"
		}
		if runeIndex(sub, p.percent) != runeLastIndex(sub, p.percent) {
			code = "D3082"
		}
		if runeIndex(sub, p.perMille) != runeLastIndex(sub, p.perMille) {
			code = "D3083"
		}
		if runeIndex(sub, p.percent) != -1 && runeIndex(sub, p.perMille) != -1 {
			code = "D3084"
		}
		valid := false
		for _, r := range pp.mantissa {
			ch := string(r)
			if inFamily(ch) || ch == p.digit {
				valid = true
				break
			}
		}
		if !valid {
			code = "D3085"
		}
		for _, r := range pp.active {
			if !isActive(string(r)) {
				code = "D3086"
			}
		}
		if decimalPos != -1 {
			if runeSub(sub, decimalPos-1, decimalPos) == p.grouping || runeSub(sub, decimalPos+1, decimalPos+2) == p.grouping {
				code = "D3087"
			}
		} else if n := runeLen(pp.integer); n > 0 && runeSub(pp.integer, n-1, n) == p.grouping {
			code = "D3088"
		}
		if strings.Contains(sub, p.grouping+p.grouping) {
			code = "D3089"
		}
		if odp := runeIndex(pp.integer, p.digit); odp != -1 {
			for _, r := range runeSub(pp.integer, 0, odp) {
				if inFamily(string(r)) {
					code = "D3090"
				}
			}
		}
		if odp := runeLastIndex(pp.fractional, p.digit); odp != -1 {
			for _, r := range runeSub(pp.fractional, odp, runeLen(pp.fractional)) {
				if inFamily(string(r)) {
					code = "D3091"
				}
			}
		}
		if pp.exponent != nil {
			if len(*pp.exponent) > 0 && (runeIndex(sub, p.percent) != -1 || runeIndex(sub, p.perMille) != -1) {
				code = "D3092"
			}
			bad := len(*pp.exponent) == 0
			for _, r := range *pp.exponent {
				if !inFamily(string(r)) {
					bad = true
				}
			}
			if bad {
				code = "D3093"
			}
		}
		if code != "" {
			return newError(code, -1, "")
		}
		return nil
	}
	analyse := func(pp pictureParts) pictureVars {
		groupingPositions := func(part string, toLeft bool) []int {
			var positions []int
			gp := runeIndex(part, p.grouping)
			for gp != -1 {
				var seg string
				if toLeft {
					seg = runeSub(part, 0, gp)
				} else {
					seg = runeSub(part, gp, runeLen(part))
				}
				n := 0
				for _, r := range seg {
					if inFamily(string(r)) || string(r) == p.digit {
						n++
					}
				}
				positions = append(positions, n)
				next := runeIndex(runeSub(pp.integer, gp+1, runeLen(pp.integer)), p.grouping)
				if next == -1 {
					gp = -1
				} else {
					gp = gp + 1 + next
				}
			}
			return positions
		}
		intGroups := groupingPositions(pp.integer, false)
		regular := func(idx []int) int {
			if len(idx) == 0 {
				return 0
			}
			gcd := func(a, b int) int {
				for b != 0 {
					a, b = b, a%b
				}
				return a
			}
			factor := idx[0]
			for _, x := range idx[1:] {
				factor = gcd(factor, x)
			}
			for i := 1; i <= len(idx); i++ {
				found := false
				for _, x := range idx {
					if x == i*factor {
						found = true
					}
				}
				if !found {
					return 0
				}
			}
			return factor
		}
		pv := pictureVars{integerGroups: intGroups, regularGrouping: regular(intGroups), prefix: pp.prefix,
			suffix: pp.suffix, picture: pp.sub}
		pv.fractionalGroups = groupingPositions(pp.fractional, true)
		for _, r := range pp.integer {
			if inFamily(string(r)) {
				pv.minInt++
			}
		}
		pv.scaling = pv.minInt
		for _, r := range pp.fractional {
			ch := string(r)
			if inFamily(ch) {
				pv.minFrac++
			}
			if inFamily(ch) || ch == p.digit {
				pv.maxFrac++
			}
		}
		expPresent := pp.exponent != nil
		if pv.minInt == 0 && pv.maxFrac == 0 {
			if expPresent {
				pv.minFrac, pv.maxFrac = 1, 1
			} else {
				pv.minInt = 1
			}
		}
		if expPresent && pv.minInt == 0 && strings.Contains(pp.integer, p.digit) {
			pv.minInt = 1
		}
		if pv.minInt == 0 && pv.minFrac == 0 {
			pv.minFrac = 1
		}
		if expPresent {
			for _, r := range *pp.exponent {
				if inFamily(string(r)) {
					pv.minExp++
				}
			}
		}
		return pv
	}
	var parts []pictureParts
	for _, sp := range subPictures {
		parts = append(parts, split(sp))
	}
	for _, pp := range parts {
		if err := validate(pp); err != nil {
			return nil, err
		}
	}
	var vars []pictureVars
	for _, pp := range parts {
		vars = append(vars, analyse(pp))
	}
	if len(vars) == 1 {
		neg := vars[0]
		neg.prefix = p.minus + neg.prefix
		vars = append(vars, neg)
	}
	pic := vars[0]
	if !(v >= 0) { // NaN takes the negative sub-picture, as in jsonata-js
		pic = vars[1]
	}
	adjusted := v
	if strings.Contains(pic.picture, p.percent) {
		adjusted = v * 100
	} else if strings.Contains(pic.picture, p.perMille) {
		adjusted = v * 1000
	}
	mantissa := adjusted
	var exponent int
	hasExp := false
	if pic.minExp != 0 {
		hasExp = true
		maxM := math.Pow(10, float64(pic.scaling))
		minM := math.Pow(10, float64(pic.scaling-1))
		// jsonata-js loops forever on zero and negative mantissas; stop
		// after the float64 exponent range instead.
		for i := 0; mantissa < minM && i < 700; i++ {
			mantissa *= 10
			exponent--
		}
		for i := 0; mantissa > maxM && i < 700; i++ {
			mantissa /= 10
			exponent++
		}
	}
	rounded := roundHalfEven(mantissa, pic.maxFrac)
	makeString := func(x float64, dp int) string {
		s := jsToFixed(math.Abs(x), dp)
		if p.zero != "0" {
			var b strings.Builder
			for _, r := range s {
				if r >= '0' && r <= '9' {
					b.WriteString(family[r-'0'])
				} else {
					b.WriteRune(r)
				}
			}
			s = b.String()
		}
		return s
	}
	sv := makeString(rounded, pic.maxFrac)
	if i := strings.IndexByte(sv, '.'); i == -1 {
		sv += p.decimal
	} else {
		sv = sv[:i] + p.decimal + sv[i+1:]
	}
	for strings.HasPrefix(sv, p.zero) && p.zero != "" {
		sv = sv[len(p.zero):]
	}
	for strings.HasSuffix(sv, p.zero) && p.zero != "" {
		sv = sv[:len(sv)-len(p.zero)]
	}
	decimalPos := runeIndex(sv, p.decimal)
	padLeft := pic.minInt - decimalPos
	padRight := pic.minFrac - (runeLen(sv) - decimalPos - 1)
	if padLeft > 0 {
		sv = strings.Repeat(p.zero, padLeft) + sv
	}
	if padRight > 0 {
		sv += strings.Repeat(p.zero, padRight)
	}
	decimalPos = runeIndex(sv, p.decimal)
	insert := func(s string, at int, ins string) string {
		rs := []rune(s)
		if at < 0 {
			at = 0
		}
		if at > len(rs) {
			at = len(rs)
		}
		return string(rs[:at]) + ins + string(rs[at:])
	}
	if pic.regularGrouping > 0 {
		groupCount := int(math.Floor(float64(decimalPos-1) / float64(pic.regularGrouping)))
		for g := 1; g <= groupCount; g++ {
			sv = insert(sv, decimalPos-g*pic.regularGrouping, p.grouping)
		}
	} else {
		for _, pos := range pic.integerGroups {
			sv = insert(sv, decimalPos-pos, p.grouping)
			decimalPos++
		}
	}
	decimalPos = runeIndex(sv, p.decimal)
	for _, pos := range pic.fractionalGroups {
		sv = insert(sv, pos+decimalPos+1, p.grouping)
	}
	decimalPos = runeIndex(sv, p.decimal)
	if !strings.Contains(pic.picture, p.decimal) || decimalPos == runeLen(sv)-1 {
		sv = runeSub(sv, 0, runeLen(sv)-1)
	}
	if hasExp {
		se := makeString(float64(exponent), 0)
		if pl := pic.minExp - runeLen(se); pl > 0 {
			se = strings.Repeat(p.zero, pl) + se
		}
		sign := ""
		if exponent < 0 {
			sign = p.minus
		}
		sv = sv + p.exponent + sign + se
	}
	return pic.prefix + sv + pic.suffix, nil
}
