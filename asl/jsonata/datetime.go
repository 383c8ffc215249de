package jsonata

import (
	"math"
	"regexp"
	"strings"
	"time"
)

// This file ports jsonata-js's date/time pictures ($fromMillis, $toMillis,
// $now) from datetime.js (XPath F&O format-dateTime).

type dtMarker struct {
	literal       bool
	value         string
	component     byte
	presentation1 string
	presentation2 string
	ordinal       bool
	names         letterCase
	hasNames      bool
	integerFormat *integerFormat
	widthMin      int // -1 when absent
	widthMax      int // -1 when absent
	hasWidth      bool
	n             int
}

var defaultPresentation = map[byte]string{
	'Y': "1", 'M': "1", 'D': "1", 'd': "1", 'F': "n", 'W': "1", 'w': "1", 'X': "1", 'x': "1", 'H': "1", 'h': "1",
	'P': "n", 'm': "01", 's': "01", 'f': "1", 'Z': "01:01", 'z': "01:01", 'C': "n", 'E': "n",
}

var whitespaceRE = regexp.MustCompile(`\s+`)

func analyseDateTimePicture(picture string) ([]dtMarker, error) {
	var spec []dtMarker
	addLiteral := func(start, end int) {
		if end > start {
			lit := strings.ReplaceAll(picture[start:end], "]]", "]")
			spec = append(spec, dtMarker{literal: true, value: lit})
		}
	}
	start, pos := 0, 0
	for pos < len(picture) {
		if picture[pos] == '[' {
			if pos+1 < len(picture) && picture[pos+1] == '[' {
				addLiteral(start, pos)
				spec = append(spec, dtMarker{literal: true, value: "["})
				pos += 2
				start = pos
				continue
			}
			addLiteral(start, pos)
			start = pos
			end := strings.IndexByte(picture[start:], ']')
			if end == -1 {
				return nil, newError("D3135", -1, "")
			}
			pos = start + end
			marker := whitespaceRE.ReplaceAllString(picture[start+1:pos], "")
			def := dtMarker{widthMin: -1, widthMax: -1}
			if marker != "" {
				def.component = marker[0]
			}
			var presMod string
			if comma := strings.LastIndexByte(marker, ','); comma != -1 {
				widthMod := marker[comma+1:]
				parseWidth := func(w string) int {
					if w == "" || w == "*" {
						return -1
					}
					n, k := parseLeadingInt(w)
					if k == 0 {
						return -1
					}
					return n
				}
				if dash := strings.IndexByte(widthMod, '-'); dash == -1 {
					def.widthMin = parseWidth(widthMod)
				} else {
					def.widthMin = parseWidth(widthMod[:dash])
					def.widthMax = parseWidth(widthMod[dash+1:])
				}
				def.hasWidth = true
				presMod = marker[1:comma]
			} else if marker != "" {
				presMod = marker[1:]
			}
			hasPres := true
			switch {
			case len(presMod) == 1:
				def.presentation1 = presMod
			case len(presMod) > 1:
				last := presMod[len(presMod)-1]
				if strings.IndexByte("atco", last) != -1 {
					def.presentation2 = string(last)
					if last == 'o' {
						def.ordinal = true
					}
					def.presentation1 = presMod[:len(presMod)-1]
				} else {
					def.presentation1 = presMod
				}
			default:
				def.presentation1, hasPres = defaultPresentation[def.component]
			}
			if !hasPres {
				return nil, newError("D3132", -1, "").val(string(def.component))
			}
			if strings.HasPrefix(def.presentation1, "n") {
				def.names, def.hasNames = caseLower, true
			} else if strings.HasPrefix(def.presentation1, "N") {
				def.hasNames = true
				if len(def.presentation1) > 1 && def.presentation1[1] == 'n' {
					def.names = caseTitle
				} else {
					def.names = caseUpper
				}
			} else if strings.IndexByte("YMDdFWwXxHhmsf", def.component) != -1 {
				pattern := def.presentation1
				if def.presentation2 != "" {
					pattern += ";" + def.presentation2
				}
				f, err := analyseIntegerPicture(pattern)
				if err != nil {
					return nil, err
				}
				def.integerFormat = f
				if def.hasWidth && def.widthMin != -1 && f.mandatoryDigits < def.widthMin {
					f.mandatoryDigits = def.widthMin
				}
				if strings.IndexByte("YMD", def.component) != -1 {
					def.n = -1
					if def.hasWidth && def.widthMax != -1 {
						def.n = def.widthMax
						f.mandatoryDigits = def.n
					} else if w := f.mandatoryDigits + f.optionalDigits; w >= 2 {
						def.n = w
					}
				}
			}
			if def.component == 'Z' || def.component == 'z' {
				f, err := analyseIntegerPicture(def.presentation1)
				if err != nil {
					return nil, err
				}
				def.integerFormat = f
			}
			spec = append(spec, def)
			start = pos + 1
		}
		pos++
	}
	addLiteral(start, pos)
	return spec, nil
}

var dayNames = []string{"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
var monthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

const millisInADay = 86400000.0

func dateUTC(year, month int) float64 {
	return float64(time.Date(year, time.Month(month+1), 1, 0, 0, 0, 0, time.UTC).UnixMilli())
}

func startOfFirstWeek(year, month int) float64 {
	jan1 := dateUTC(year, month)
	day := int(time.UnixMilli(int64(jan1)).UTC().Weekday())
	if day == 0 {
		day = 7
	}
	if day > 4 {
		return jan1 + float64(8-day)*millisInADay
	}
	return jan1 - float64(day-1)*millisInADay
}

func nextMonth(y, m int) (int, int) {
	if m == 11 {
		return y + 1, 0
	}
	return y, m + 1
}

func prevMonth(y, m int) (int, int) {
	if m == 0 {
		return y - 1, 11
	}
	return y, m - 1
}

func deltaWeeks(start, end float64) float64 { return (end-start)/(millisInADay*7) + 1 }

func dayMillis(t time.Time) float64 {
	return float64(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).UnixMilli())
}

// dateFragment returns a component of a UTC date as a number or string.
func dateFragment(t time.Time, component byte) any {
	switch component {
	case 'Y':
		return float64(t.Year())
	case 'M':
		return float64(t.Month())
	case 'D':
		return float64(t.Day())
	case 'd':
		return (dayMillis(t)-dateUTC(t.Year(), 0))/millisInADay + 1
	case 'F':
		d := int(t.Weekday())
		if d == 0 {
			d = 7
		}
		return float64(d)
	case 'W':
		y := t.Year()
		start := startOfFirstWeek(y, 0)
		today := dayMillis(t)
		week := deltaWeeks(start, today)
		if week > 52 {
			if today >= startOfFirstWeek(y+1, 0) {
				week = 1
			}
		} else if week < 1 {
			week = deltaWeeks(startOfFirstWeek(y-1, 0), today)
		}
		return math.Floor(week)
	case 'w':
		y, m := t.Year(), int(t.Month())-1
		start := startOfFirstWeek(y, m)
		today := dayMillis(t)
		week := deltaWeeks(start, today)
		if week > 4 {
			ny, nm := nextMonth(y, m)
			if today >= startOfFirstWeek(ny, nm) {
				week = 1
			}
		} else if week < 1 {
			py, pm := prevMonth(y, m)
			week = deltaWeeks(startOfFirstWeek(py, pm), today)
		}
		return math.Floor(week)
	case 'X':
		y := t.Year()
		now := float64(t.UnixMilli())
		switch {
		case now < startOfFirstWeek(y, 0):
			return float64(y - 1)
		case now >= startOfFirstWeek(y+1, 0):
			return float64(y + 1)
		}
		return float64(y)
	case 'x':
		y, m := t.Year(), int(t.Month())-1
		now := float64(t.UnixMilli())
		ny, nm := nextMonth(y, m)
		switch {
		case now < startOfFirstWeek(y, m):
			_, pm := prevMonth(y, m)
			return float64(pm + 1)
		case now >= startOfFirstWeek(ny, nm):
			return float64(nm + 1)
		}
		return float64(m + 1)
	case 'H':
		return float64(t.Hour())
	case 'h':
		h := t.Hour() % 12
		if h == 0 {
			h = 12
		}
		return float64(h)
	case 'P':
		if t.Hour() >= 12 {
			return "pm"
		}
		return "am"
	case 'm':
		return float64(t.Minute())
	case 's':
		return float64(t.Second())
	case 'f':
		return float64(t.Nanosecond() / 1e6)
	case 'C', 'E':
		return "ISO"
	}
	return Undefined{}
}

var iso8601Spec = func() []dtMarker {
	s, err := analyseDateTimePicture("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]")
	if err != nil {
		panic(err)
	}
	return s
}()

func millisToTime(ms float64) time.Time {
	return time.UnixMilli(int64(math.Floor(ms))).UTC()
}

func formatDateTime(millis float64, picture *string, timezone *string) (string, error) {
	offsetHours, offsetMinutes := 0, 0
	if timezone != nil {
		n, k := parseLeadingSignedInt(*timezone)
		if k > 0 {
			offsetHours = int(math.Floor(float64(n) / 100))
			offsetMinutes = n % 100
		}
	}
	var spec []dtMarker
	if picture == nil {
		spec = iso8601Spec
	} else {
		var err error
		if spec, err = analyseDateTimePicture(*picture); err != nil {
			return "", err
		}
	}
	offsetMillis := float64((60*offsetHours + offsetMinutes) * 60 * 1000)
	t := millisToTime(millis + offsetMillis)
	var b strings.Builder
	for _, part := range spec {
		if part.literal {
			b.WriteString(part.value)
			continue
		}
		s, err := formatComponent(t, part, offsetHours, offsetMinutes)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

func parseLeadingSignedInt(s string) (int, int) {
	s = strings.TrimLeft(s, " \t\n\r")
	neg := false
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	n, k := parseLeadingInt(s[i:])
	if k == 0 {
		return 0, 0
	}
	if neg {
		n = -n
	}
	return n, i + k
}

func formatComponent(t time.Time, m dtMarker, offH, offM int) (string, error) {
	cv := dateFragment(t, m.component)
	c := m.component
	switch {
	case strings.IndexByte("YMDdFWwXxHhms", c) != -1:
		num, _ := cv.(float64)
		if c == 'Y' && m.n != -1 && m.n != 0 {
			num = math.Mod(num, math.Pow(10, float64(m.n)))
		}
		if m.hasNames {
			var name string
			switch c {
			case 'M', 'x':
				name = monthNames[int(num)-1]
			case 'F':
				name = dayNames[int(num)]
			default:
				return "", errv("D3133", string(c))
			}
			switch m.names {
			case caseUpper:
				name = strings.ToUpper(name)
			case caseLower:
				name = strings.ToLower(name)
			}
			if m.hasWidth && m.widthMax != -1 && len(name) > m.widthMax {
				name = name[:m.widthMax]
			}
			return name, nil
		}
		if m.integerFormat == nil {
			return formatNum(num), nil
		}
		return formatIntegerWith(num, m.integerFormat)
	case c == 'f':
		num, _ := cv.(float64)
		if m.integerFormat == nil {
			return formatNum(num), nil
		}
		return formatIntegerWith(num, m.integerFormat)
	case c == 'Z' || c == 'z':
		offset := offH*100 + offM
		var s string
		var err error
		f := m.integerFormat
		if f.regular {
			s, err = formatIntegerWith(float64(offset), f)
		} else {
			switch f.mandatoryDigits {
			case 1, 2:
				s, err = formatIntegerWith(float64(offH), f)
				if err == nil && offM != 0 {
					mm, _ := formatIntegerWith(float64(offM), &integerFormat{primary: primaryDecimal, zeroCode: '0', mandatoryDigits: 2})
					s += ":" + mm
				}
			case 3, 4:
				s, err = formatIntegerWith(float64(offset), f)
			default:
				return "", errv("D3134", float64(f.mandatoryDigits))
			}
		}
		if err != nil {
			return "", err
		}
		if offset >= 0 {
			s = "+" + s
		}
		if c == 'z' {
			s = "GMT" + s
		}
		if offset == 0 && m.presentation2 == "t" {
			s = "Z"
		}
		return s, nil
	case c == 'P':
		s, _ := cv.(string)
		if m.hasNames && m.names == caseUpper {
			s = strings.ToUpper(s)
		}
		return s, nil
	}
	switch x := cv.(type) {
	case string:
		return x, nil
	case float64:
		return formatNum(x), nil
	}
	return "undefined", nil
}

func (c call) timestamp() (time.Time, error) {
	if !c.ev.hasNow {
		return time.Time{}, newError("U1004", -1, "")
	}
	return c.ev.now, nil
}

func optString(args []any, i int) *string {
	if s, ok := arg(args, i).(string); ok {
		return &s
	}
	return nil
}

func fnFromMillis(c call, args []any) (any, error) {
	ms, ok := arg(args, 0).(float64)
	if !ok {
		return Undefined{}, nil
	}
	return formatDateTime(ms, optString(args, 1), optString(args, 2))
}

func fnNow(c call, args []any) (any, error) {
	now, err := c.timestamp()
	if err != nil {
		return nil, err
	}
	return formatDateTime(float64(now.UnixMilli()), optString(args, 0), optString(args, 1))
}

func fnMillis(c call, args []any) (any, error) {
	now, err := c.timestamp()
	if err != nil {
		return nil, err
	}
	return float64(now.UnixMilli()), nil
}

var iso8601RE = regexp.MustCompile(`^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$`)

func fnToMillis(c call, args []any) (any, error) {
	ts, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	if pic := optString(args, 1); pic != nil {
		return c.parseDateTime(ts, *pic)
	}
	if !iso8601RE.MatchString(ts) {
		return nil, errv("D3110", ts)
	}
	return jsDateParse(ts), nil
}

// jsDateParse is Date.parse for the ISO 8601 forms iso8601RE admits.
func jsDateParse(s string) any {
	layouts := []string{
		"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05Z07:00",
		"2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05Z0700",
		"2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05",
		"2006-01-02", "2006-01", "2006",
	}
	for _, l := range layouts {
		t, err := time.Parse(l, s)
		if err == nil {
			return float64(t.UnixMilli())
		}
	}
	return math.NaN()
}

type dtPartMatcher struct {
	regex     string
	parse     func(string) (float64, bool)
	component byte
}

func (c call) parseDateTime(ts, picture string) (any, error) {
	spec, err := analyseDateTimePicture(picture)
	if err != nil {
		return nil, err
	}
	var parts []dtPartMatcher
	for _, part := range spec {
		var pm dtPartMatcher
		switch {
		case part.literal:
			pm.regex = regexp.QuoteMeta(part.value)
		case part.component == 'Z' || part.component == 'z':
			var sep *groupSep
			if part.integerFormat.regular {
				s := part.integerFormat.regularSep
				sep = &s
			}
			pm.regex = ""
			if part.component == 'z' {
				pm.regex = "GMT"
			}
			pm.regex += "[-+][0-9]+"
			if sep != nil {
				pm.regex += regexp.QuoteMeta(sep.char) + "[0-9]+"
			}
			comp := part.component
			pm.parse = func(v string) (float64, bool) {
				if comp == 'z' && len(v) >= 3 {
					v = v[3:]
				}
				h, m := 0, 0
				if sep != nil {
					i := strings.Index(v, sep.char)
					h, _ = parseLeadingSignedInt(v[:i])
					m, _ = parseLeadingSignedInt(v[i+len(sep.char):])
				} else if len(v)-1 <= 2 {
					h, _ = parseLeadingSignedInt(v)
				} else {
					h, _ = parseLeadingSignedInt(v[:3])
					m, _ = parseLeadingSignedInt(v[3:])
				}
				return float64(h*60 + m), true
			}
		case part.integerFormat != nil:
			part.integerFormat.n = part.n
			im, err := integerMatcher(part.integerFormat)
			if err != nil {
				return nil, err
			}
			pm.regex = im.regex
			pm.parse = func(v string) (float64, bool) { return im.parse(v), true }
		default:
			pm.regex = "[a-zA-Z]+"
			lookup := map[string]float64{}
			switch part.component {
			case 'M', 'x':
				for i, name := range monthNames {
					if part.hasWidth && part.widthMax > 0 && len(name) > part.widthMax {
						name = name[:part.widthMax]
					}
					lookup[name] = float64(i + 1)
				}
			case 'F':
				for i, name := range dayNames {
					if i == 0 {
						continue
					}
					if part.hasWidth && part.widthMax > 0 && len(name) > part.widthMax {
						name = name[:part.widthMax]
					}
					lookup[name] = float64(i)
				}
			case 'P':
				lookup = map[string]float64{"am": 0, "AM": 0, "pm": 1, "PM": 1}
			default:
				return nil, errv("D3133", string(part.component))
			}
			pm.parse = func(v string) (float64, bool) {
				f, ok := lookup[v]
				return f, ok
			}
		}
		pm.component = part.component
		parts = append(parts, pm)
	}
	var full strings.Builder
	full.WriteString("(?i)^")
	for _, p := range parts {
		full.WriteString("(" + p.regex + ")")
	}
	full.WriteString("$")
	re, rerr := regexp.Compile(full.String())
	if rerr != nil {
		return Undefined{}, nil
	}
	info := re.FindStringSubmatch(ts)
	if info == nil {
		return Undefined{}, nil
	}
	components := map[byte]float64{}
	defined := map[byte]bool{}
	for i := 1; i < len(info); i++ {
		p := parts[i-1]
		if p.parse != nil {
			v, ok := p.parse(info[i])
			if ok {
				components[p.component] = v
				defined[p.component] = true
			} else {
				defined[p.component] = false
				components[p.component] = math.NaN()
			}
		}
	}
	if len(defined) == 0 {
		return Undefined{}, nil
	}
	has := func(k byte) bool {
		v := components[k]
		return defined[k] && v != 0 && !math.IsNaN(v)
	}
	mask := 0
	shift := func(bit bool) {
		mask <<= 1
		if bit {
			mask++
		}
	}
	isType := func(t int) bool { return (^t&mask) == 0 && (t&mask) != 0 }
	for _, p := range "YXMxWwdD" {
		shift(has(byte(p)))
	}
	dateA := isType(161)
	dateB := !dateA && isType(130)
	dateC := isType(84)
	dateD := !dateC && isType(72)
	mask = 0
	for _, p := range "PHhmsf" {
		shift(has(byte(p)))
	}
	timeA := isType(23)
	timeB := !timeA && isType(47)
	dateComps := "YMD"
	switch {
	case dateB:
		dateComps = "Yd"
	case dateC:
		dateComps = "XxwF"
	case dateD:
		dateComps = "XWF"
	}
	timeComps := "Hmsf"
	if timeB {
		timeComps = "Phmsf"
	}
	now, nowErr := c.timestamp()
	startSpecified, endSpecified := false, false
	for _, p := range dateComps + timeComps {
		k := byte(p)
		if !defined[k] {
			if startSpecified {
				if strings.IndexByte("MDd", k) != -1 {
					components[k] = 1
				} else {
					components[k] = 0
				}
				endSpecified = true
			} else {
				if nowErr != nil {
					return nil, nowErr
				}
				f, _ := dateFragment(now, k).(float64)
				components[k] = f
			}
		} else {
			startSpecified = true
			if endSpecified {
				return nil, newError("D3136", -1, "")
			}
		}
	}
	if components['M'] > 0 {
		components['M']--
	} else {
		components['M'] = 0
	}
	if dateB {
		firstJan := dateUTC(int(components['Y']), 0)
		d := millisToTime(firstJan + (components['d']-1)*millisInADay)
		components['M'] = float64(int(d.Month()) - 1)
		components['D'] = float64(d.Day())
	}
	if dateC || dateD {
		return nil, newError("D3136", -1, "")
	}
	if timeB {
		if components['h'] == 12 {
			components['H'] = 0
		} else {
			components['H'] = components['h']
		}
		if components['P'] == 1 {
			components['H'] += 12
		}
	}
	for _, k := range []byte("YMDHmsf") {
		if math.IsNaN(components[k]) {
			return math.NaN(), nil
		}
	}
	year := int(components['Y'])
	if year >= 0 && year <= 99 {
		year += 1900 // Date.UTC maps two-digit years to the 1900s
	}
	t := time.Date(year, time.Month(int(components['M'])+1), int(components['D']),
		int(components['H']), int(components['m']), int(components['s']), int(components['f'])*1e6, time.UTC)
	millis := float64(t.UnixMilli())
	if z := components['Z']; defined['Z'] && z != 0 {
		millis -= z * 60 * 1000
	} else if z := components['z']; defined['z'] && z != 0 {
		millis -= z * 60 * 1000
	}
	return millis, nil
}
