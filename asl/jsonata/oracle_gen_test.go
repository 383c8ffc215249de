package jsonata

import "strings"

// Typed generators produce well-typed expressions, so that most of them
// evaluate to a value and exercise the function library rather than its
// error paths.

func (g *exprGen) num(d int) string {
	if d <= 0 {
		return g.pick("0", "1", "2", "3.5", "-4", "10", "0.125", "1e3", "123456.789", "-0.5", "a", "n", "b[0]", "c.e[1].f", "$count(b)", "objs[0].v")
	}
	d--
	switch g.r.IntN(12) {
	case 0:
		return "(" + g.num(d) + " " + g.pick("+", "-", "*", "/", "%") + " " + g.num(d) + ")"
	case 1:
		return "$" + g.pick("abs", "floor", "ceil", "sqrt") + "(" + g.pick("$abs(", "(") + g.num(d) + "))"
	case 2:
		return "$round(" + g.num(d) + ", " + g.pick("0", "1", "2", "-1", "3") + ")"
	case 3:
		return "$" + g.pick("sum", "max", "min", "average", "count") + "(" + g.numArr(d) + ")"
	case 4:
		return "$length(" + g.str(d) + ")"
	case 5:
		return "$number(" + g.pick(`"12"`, `"-3.5e2"`, `"0x1F"`, `true`, `"0.1"`) + ")"
	case 6:
		return "$power(" + g.pick("2", "3", "10", "0.5") + ", " + g.pick("0", "2", "10", "-1", "0.5") + ")"
	case 7:
		return "$toMillis(" + g.pick(`"2024-02-29T12:34:56.789Z"`, `"1999-12-31"`, `"2021-06-01T00:00:00+02:00"`) + ")"
	case 8:
		return "$parseInteger(" + g.pick(`"12,345"`, `"twelve thousand three hundred and four"`, `"MCMXCIV"`, `"ab"`, `"003"`) + ", " +
			g.pick(`"#,##0"`, `"w"`, `"I"`, `"a"`, `"000"`) + ")"
	case 9:
		return "$reduce(" + g.numArr(d) + ", function($a, $b){ $a " + g.pick("+", "*", "-") + " $b })"
	case 10:
		return "(" + g.cond(d) + " ? " + g.num(d) + " : " + g.num(d) + ")"
	default:
		return "$sum(" + g.numArr(d) + ".($ * 2))"
	}
}

func (g *exprGen) str(d int) string {
	if d <= 0 {
		return g.pick(`"abc"`, `"Hello World"`, `""`, `"  spaced   out  "`, `"héllo wörld"`, `"日本語テキスト"`, `"a,b,,c"`, `"😀 smile"`,
			"s", "c.d", "objs[1].k", `"x/y?z=1&w=ä"`, `"MiXeD"`)
	}
	d--
	switch g.r.IntN(20) {
	case 0:
		return "(" + g.str(d) + " & " + g.str(d) + ")"
	case 1:
		return "$substring(" + g.str(d) + ", " + g.pick("0", "1", "-3", "2") + g.pick("", ", 2", ", 0", ", 5") + ")"
	case 2:
		return "$" + g.pick("uppercase", "lowercase", "trim") + "(" + g.str(d) + ")"
	case 3:
		return "$pad(" + g.str(d) + ", " + g.pick("8", "-8", "3") + g.pick("", `, "*"`, `, "ab"`) + ")"
	case 4:
		return "$" + g.pick("substringBefore", "substringAfter") + "(" + g.str(d) + ", " + g.pick(`"l"`, `" "`, `","`, `"zz"`) + ")"
	case 5:
		return "$join(" + g.strArr(d) + ", " + g.pick(`""`, `"-"`, `", "`) + ")"
	case 6:
		if g.r.IntN(3) == 0 {
			// jsonata-js inserts a function's JavaScript source for a string
			// pattern, so functions go with regular expressions only.
			return "$replace(" + g.str(d) + ", " + g.pick(`/[aeiou]/`, `/(\w+) (\w+)/`, `/o/i`) + ", function($m){ $uppercase($m.match) })"
		}
		return "$replace(" + g.str(d) + ", " + g.pick(`"l"`, `/[aeiou]/`, `/(\w+) (\w+)/`, `/o/i`, `" "`) + ", " + g.pick(`"_"`, `"$2 $1"`, `"[$0]"`, `"$$"`) + g.pick("", ", 1", ", 2") + ")"
	case 7:
		return "$string(" + g.any(d) + g.pick("", ", true") + ")"
	case 8:
		return "$formatNumber(" + g.num(d) + ", " + g.pick(`"#,##0.00"`, `"0.000"`, `"#"`, `"#,###.##"`, `"000,000"`, `"#%"`, `"0.00;(0.00)"`, `"##0.0##"`) + ")"
	case 9:
		return "$formatBase(" + g.num(d) + ", " + g.pick("2", "8", "16", "36") + ")"
	case 10:
		return "$formatInteger(" + g.pick("0", "1", "7", "12", "99", "1234", "2024", "-15", "1000000") + ", " +
			g.pick(`"w"`, `"W"`, `"Ww"`, `"I"`, `"i"`, `"A"`, `"a"`, `"000"`, `"#,##0"`, `"1;o"`, `"w;o"`) + ")"
	case 11:
		return "$fromMillis(" + g.pick("0", "1700000000000", "951782400000", "-86400000", "1234567890123") + g.pick("",
			`, "[Y0001]-[M01]-[D01]"`, `, "[D1o] [MNn] [Y]"`, `, "[H01]:[m01]:[s01].[f001]"`, `, "[FNn], [D] [MNn,*-3] [Y]"`,
			`, "[h].[m01][P]"`, `, "[Y]-[d]"`, `, "[W] [w] [X] [x]"`, `, "[Y0001]-[M01]-[D01]T[H01]:[m01][Z]", "+0530"`, `, "[z]", "-0800"`) + ")"
	case 12:
		return "$" + g.pick("base64encode", "encodeUrlComponent", "encodeUrl") + "(" + g.str(d) + ")"
	case 13:
		return "$base64decode($base64encode(" + g.str(d) + "))"
	case 14:
		return "$decodeUrlComponent($encodeUrlComponent(" + g.str(d) + "))"
	case 15:
		return "$type(" + g.any(d) + ")"
	case 16:
		return "$lookup(" + g.obj(d) + ", " + g.pick(`"k1"`, `"k"`, `"zz"`) + ")"
	case 17:
		return "(" + g.cond(d) + " ? " + g.str(d) + " : " + g.str(d) + ")"
	case 18:
		return "$string($match(" + g.str(d) + ", " + g.pick(`/l+/`, `/(\w)(\w)/`, `/[A-Z]/`) + "))"
	default:
		return "$string(" + g.num(d) + ")"
	}
}

func (g *exprGen) cond(d int) string {
	if d <= 0 {
		return g.pick("true", "false", "t", "a > 0", "$exists(missing)", `s = "Hello World"`)
	}
	d--
	switch g.r.IntN(6) {
	case 0:
		return "(" + g.num(d) + " " + g.pick("<", "<=", ">", ">=", "=", "!=") + " " + g.num(d) + ")"
	case 1:
		return "(" + g.str(d) + " " + g.pick("<", ">", "=", "!=") + " " + g.str(d) + ")"
	case 2:
		return "$contains(" + g.str(d) + ", " + g.pick(`"o"`, `/l{2}/`, `"z"`) + ")"
	case 3:
		return "(" + g.cond(d) + " " + g.pick("and", "or") + " " + g.cond(d) + ")"
	case 4:
		return "$boolean(" + g.any(d) + ")"
	default:
		return "(" + g.num(d) + " in " + g.numArr(d) + ")"
	}
}

func (g *exprGen) numArr(d int) string {
	if d <= 0 {
		return g.pick("b", "[1,2,3]", "[]", "[5]", "objs.v", "c.e.f", "[3, 1.5, -2, 8]", "[1..4]")
	}
	d--
	switch g.r.IntN(8) {
	case 0:
		return "$sort(" + g.numArr(d) + g.pick("", ", function($x, $y){ $x < $y }") + ")"
	case 1:
		return "$reverse(" + g.numArr(d) + ")"
	case 2:
		return "$append(" + g.numArr(d) + ", " + g.numArr(d) + ")"
	case 3:
		return "$map(" + g.numArr(d) + ", function($v, $i){ $v " + g.pick("+", "*") + " $i })"
	case 4:
		return "$filter(" + g.numArr(d) + ", function($v){ $v > " + g.num(0) + " })"
	case 5:
		return "$distinct(" + g.numArr(d) + ")"
	case 6:
		return g.numArr(d) + "[$ > 1]"
	default:
		return "[" + g.num(d) + ", " + g.num(d) + "]"
	}
}

func (g *exprGen) strArr(d int) string {
	if d <= 0 {
		return g.pick(`["a","b"]`, "objs.k", "c.e.g", `$split("x,y,z", ",")`, `$keys(c)`, `[]`)
	}
	d--
	switch g.r.IntN(5) {
	case 0:
		return "$split(" + g.str(d) + ", " + g.pick(`","`, `" "`, `""`, `/[ ,]+/`) + g.pick("", ", 2") + ")"
	case 1:
		return "$sort(" + g.strArr(d) + ")"
	case 2:
		return "$keys(" + g.obj(d) + ")"
	case 3:
		return "$map(" + g.strArr(d) + ", $uppercase)"
	default:
		return "[" + g.str(d) + ", " + g.str(d) + "]"
	}
}

func (g *exprGen) obj(d int) string {
	if d <= 0 {
		return g.pick("c", "objs[0]", `{"k1": 1, "k2": "two"}`, "$", `{}`)
	}
	d--
	switch g.r.IntN(8) {
	case 0:
		return "$merge([" + g.obj(d) + ", " + g.obj(d) + "])"
	case 1:
		return "$sift(" + g.obj(d) + ", function($v, $k){ $k != 'k1' })"
	case 2:
		return "objs{k: $sum(v)}"
	case 3:
		return "objs{k: v[]}"
	case 4:
		return "{\"k1\": " + g.any(d) + ", \"k2\": " + g.any(d) + "}"
	case 5:
		return "(" + g.obj(d) + " ~> |$|{\"added\": " + g.num(d) + "}, [\"k2\"]|)"
	case 6:
		return "$spread(" + g.obj(d) + ")[0]"
	default:
		return `{"n": ` + g.num(d) + `, "s": ` + g.str(d) + "}"
	}
}

func (g *exprGen) any(d int) string {
	switch g.r.IntN(7) {
	case 0:
		return g.num(d)
	case 1:
		return g.str(d)
	case 2:
		return g.cond(d)
	case 3:
		return g.numArr(d)
	case 4:
		return g.strArr(d)
	case 5:
		return g.obj(d)
	default:
		return g.pick("objs^(>v, k).k", "c.e@$e#$i.{'i': $i, 'f': $e.f}", "c.e.%.d", "**.g", "objs.(k & '=' & v)", "c.e[]", "$zip(b, objs.k)",
			"$each(c, function($v, $k){ $k })", "$single(objs, function($o){ $o.v = 2 }).k", "objs[v>1][0].k", "arr.$", "$.arr[1][0]",
			`$eval("a + 1")`, "[1..3]#$p.($p * 10)", `$string(b)`)
	}
}

// typed returns a well-typed expression.
func (g *exprGen) typed() string { return g.any(1 + g.r.IntN(3)) }

// oraclePathDoc is the input of generated path expressions.
const oraclePathDoc = `{"orders": [
  {"id": 1, "items": [{"sku": "a", "qty": 2, "price": 3.5}, {"sku": "b", "qty": 1, "price": 10}], "customer": {"name": "Ann", "tags": ["x", "y"]}},
  {"id": 2, "items": [{"sku": "a", "qty": 5, "price": 3.5}], "customer": {"name": "Bob", "tags": []}},
  {"id": 3, "items": [], "customer": {"name": "Cy", "tags": ["z"]}}],
 "meta": {"count": 3, "flags": {"a": true, "b": false}, "nested": [[1, [2, 3]], [[4]]]}}`

// path returns a path expression over oraclePathDoc.
func (g *exprGen) path() string {
	var b []string
	b = append(b, g.pick("orders", "$.orders", "$$.orders", "orders[]", "meta.nested", "*", "meta"))
	for i, n := 0, 1+g.r.IntN(3); i < n; i++ {
		step := g.pick("items", "customer", "customer.tags", "id", "sku", "price", "qty", "*", "name", "tags", "nested")
		switch g.r.IntN(10) {
		case 0:
			step += "[" + g.pick("0", "-1", "1", "[0,1]", "qty > 1", "sku = 'a'", "$count(items) > 0", "price", "true", "id != 2") + "]"
		case 1:
			step += "[]"
		case 2:
			step += "@$" + g.pick("o", "p")
		case 3:
			step += "#$" + g.pick("i", "j")
		case 4:
			step += "^(" + g.pick("price", ">qty", "sku, >price", "id", ">$") + ")"
		case 5:
			step = g.pick("%", "%.id", "%.%.id", "$string()", "($ ~> $type())", "{sku: qty}", "{'n': $count($)}")
		}
		b = append(b, step)
	}
	p := strings.Join(b, ".")
	switch g.r.IntN(8) {
	case 0:
		p += ".{" + g.pick("'k': $", "sku: $sum(price)", "$string(id): customer.name") + "}"
	case 1:
		p = "$count(" + p + ")"
	case 2:
		p = "(" + p + ")[" + g.pick("0", "-1", "$ > 2", "$type($) = 'object'") + "]"
	case 3:
		p = p + " ~> $string()"
	case 4:
		p = "orders ~> |items|{'total': qty * price}, ['sku']|"
	case 5:
		p = "orders.items@$i.{'sku': $i.sku, 'order': %.id}"
	case 6:
		p = "orders#$pos[$pos > 0].customer.name"
	}
	return p
}
