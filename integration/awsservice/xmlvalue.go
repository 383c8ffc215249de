package awsservice

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/stepwise-run/stepwise/value"
)

// maxXMLDepth bounds the nesting of the XML documents read.
const maxXMLDepth = 64

// xmlNode is one element of an XML document: its local name, the
// character data directly inside it and its child elements.
type xmlNode struct {
	name     string
	text     string
	children []*xmlNode
}

// parseXML reads an XML document into its root element.
func parseXML(b []byte) (*xmlNode, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	var root *xmlNode
	var stack []*xmlNode
	var text [][]byte // the character data of each open element
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root != nil && len(stack) == 0 {
				return nil, errors.New("more than one root element")
			}
			if len(stack) >= maxXMLDepth {
				return nil, errors.New("elements nested too deeply")
			}
			n := &xmlNode{name: tok.Name.Local}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
			text = append(text, nil)
		case xml.EndElement:
			n := stack[len(stack)-1]
			n.text = string(text[len(text)-1])
			stack, text = stack[:len(stack)-1], text[:len(text)-1]
		case xml.CharData:
			if len(text) > 0 {
				text[len(text)-1] = append(text[len(text)-1], tok...)
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}

// child returns n's first child element named name, or nil.
func (n *xmlNode) child(name string) *xmlNode {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// childText returns the text of n's child element named name.
func (n *xmlNode) childText(name string) string {
	if c := n.child(name); c != nil {
		return c.text
	}
	return ""
}

// xmlShapes tells the XML converter the types of members it cannot infer,
// by element name: flattened lists (repeated elements with no wrapper),
// numbers, booleans and timestamps. With shapes, an element without
// children is always a scalar.
type xmlShapes struct {
	lists, numbers, bools, times map[string]bool
}

// set returns the names as a set.
func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// xmlToValue converts the XML element n, a response structure, to the
// JSON object the AWS SDK's response object becomes in Step Functions:
// child elements become members, in name order (Step Functions sorts the
// members of aws-sdk results).
//
// Without the service's model the converter infers every shape from the
// document (shapes == nil), as the query protocol writes it:
//
//   - an element whose children are all named "member" (or "item") is a
//     list, and so is a plural element whose children all bear the
//     singular's name (listWrapper: <DBInstances><DBInstance>);
//   - an element whose children are all named "entry", each with a key
//     and a value child (key/value, Key/Value or Name/Value), is a map;
//   - an element with other children is a structure, and a child name
//     that repeats is a (flattened) list;
//   - an element with no children and no text other than white space is
//     an empty list, since AWS omits absent scalars but writes empty
//     lists (<Subscriptions/>); inside a list or as a map's value it is
//     the empty string;
//   - any other element is a string.
//
// The limits follow: scalars stay strings ("5", "true", timestamps as
// written); a flattened list of one element is not a list, nor is a list
// whose item name does not extend its singular (<CacheNodeIdsToReboot>
// <CacheNodeId>); a plural-named structure whose members all share such
// a name is taken for a list; an empty string member reads as [], and an
// empty structure as []. With shapes
// (a model known in part, as for S3), the named lists, numbers, booleans
// and timestamps are typed and childless elements are scalars.
//
// EC2's answers are read by the same rules with the differences
// ec2Result gives.
func xmlToValue(n *xmlNode, shapes *xmlShapes) *value.Object {
	return xmlReader{shapes: shapes}.structure(n, "")
}

// xmlReader holds how a protocol's XML answers become JSON: the shapes
// known, and whether they are EC2's.
type xmlReader struct {
	shapes *xmlShapes
	// ec2 names members as ec2MemberName does, takes only <item> (and
	// <member>) children for lists, and an empty element for an empty
	// list only when its name is a list's (ec2ListName).
	ec2 bool
}

// structure converts the structure n; ctx is what holds its members
// (EC2's names depend on it): n's name, the list's name for an item, or
// the action at the top.
func (r xmlReader) structure(n *xmlNode, ctx string) *value.Object {
	var names []string
	groups := map[string][]*xmlNode{}
	for _, c := range n.children {
		if _, seen := groups[c.name]; !seen {
			names = append(names, c.name)
		}
		groups[c.name] = append(groups[c.name], c)
	}
	type member struct {
		name string
		v    any
	}
	members := make([]member, 0, len(names))
	for _, name := range names {
		g := groups[name]
		var v any
		if len(g) > 1 || r.shapes != nil && r.shapes.lists[name] {
			list := make([]any, len(g))
			for i, c := range g {
				list[i] = r.convert(c, name, true)
			}
			v = list
		} else {
			v = r.convert(g[0], name, false)
		}
		key := name
		if r.ec2 {
			_, list := v.([]any)
			key = ec2MemberName(ctx, name, list)
		}
		members = append(members, member{key, v})
	}
	sort.SliceStable(members, func(i, j int) bool { return members[i].name < members[j].name })
	o := value.NewObject(len(members))
	for _, m := range members {
		o.Set(m.name, m.v)
	}
	return o
}

// convert converts one element; ctx is what holds its members should
// it be a structure (see structure), and scalar is set where an element
// without children must be a scalar (a list's items, a map's values).
func (r xmlReader) convert(n *xmlNode, ctx string, scalar bool) any {
	if len(n.children) == 0 {
		switch {
		case r.shapes != nil:
			return typedScalar(n, r.shapes)
		case scalar || strings.TrimSpace(n.text) != "" || r.ec2 && !ec2ListName(n.name):
			return n.text
		default:
			return []any{}
		}
	}
	if allNamed(n.children, "member") || allNamed(n.children, "item") || !r.ec2 && listWrapper(n) {
		if n.name != "member" && n.name != "item" {
			ctx = n.name
		}
		list := make([]any, len(n.children))
		for i, c := range n.children {
			list[i] = r.convert(c, ctx, true)
		}
		return list
	}
	if m, ok := r.xmlMap(n); ok {
		return m
	}
	return r.structure(n, ctx)
}

// xmlMap converts an element whose children are map entries.
func (r xmlReader) xmlMap(n *xmlNode) (*value.Object, bool) {
	if !allNamed(n.children, "entry") {
		return nil, false
	}
	m := value.NewObject(len(n.children))
	for _, e := range n.children {
		if len(e.children) != 2 {
			return nil, false
		}
		k, v := e.children[0], e.children[1]
		switch {
		case k.name == "key" && v.name == "value", k.name == "Key" && v.name == "Value", k.name == "Name" && v.name == "Value":
		default:
			return nil, false
		}
		m.Set(k.text, r.convert(v, n.name, true))
	}
	return m, true
}

// listWrapper reports whether n looks like a list whose items are named
// after it rather than "member" (<DBInstances><DBInstance>,
// <VpcSecurityGroups><VpcSecurityGroupMembership>, <Policies><Policy>):
// n's name is a plural (…s, …es, …ies) whose stem starts every child's
// name, and no child's name starts with n's whole name (<Status>
// <StatusCode> is a structure).
func listWrapper(n *xmlNode) bool {
	if !strings.HasSuffix(n.name, "s") || !allNamed(n.children, n.children[0].name) {
		return false
	}
	item := n.children[0].name
	if strings.HasPrefix(item, n.name) {
		return false
	}
	stems := []string{n.name[:len(n.name)-1]}
	if s, ok := strings.CutSuffix(n.name, "es"); ok {
		stems = append(stems, s)
	}
	if s, ok := strings.CutSuffix(n.name, "ies"); ok {
		stems = append(stems, s+"y")
	}
	for _, s := range stems {
		if s != "" && strings.HasPrefix(item, s) {
			return true
		}
	}
	return false
}

func allNamed(nodes []*xmlNode, name string) bool {
	for _, c := range nodes {
		if c.name != name {
			return false
		}
	}
	return true
}

// typedScalar converts a childless element by the shapes: a number, a
// boolean, a timestamp (ISO 8601, see instantString) or a string. Text
// that does not parse as its type stays a string.
func typedScalar(n *xmlNode, shapes *xmlShapes) any {
	switch {
	case shapes.numbers[n.name]:
		if f, err := strconv.ParseFloat(strings.TrimSpace(n.text), 64); err == nil {
			return f
		}
	case shapes.bools[n.name]:
		if b, err := strconv.ParseBool(strings.TrimSpace(n.text)); err == nil {
			return b
		}
	case shapes.times[n.name]:
		return timestamp(n.text)
	}
	return n.text
}

// timestamp renders a timestamp as AWS writes it (ISO 8601 or the HTTP
// date form) in the form Step Functions gives it, as instantString does;
// text of neither form stays as it is.
func timestamp(s string) string {
	for _, layout := range []string{time.RFC3339Nano, time.RFC1123, time.RFC1123Z, time.RFC850, time.ANSIC} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return instantString(t)
		}
	}
	return s
}

// instantString formats t in UTC as Java's Instant.toString does:
// 2024-05-23T19:11:47Z, with .SSS, .SSSSSS or .SSSSSSSSS when the second
// has a fraction.
func instantString(t time.Time) string {
	t = t.UTC()
	ns := t.Nanosecond()
	switch {
	case ns == 0:
		return t.Format("2006-01-02T15:04:05Z")
	case ns%1e6 == 0:
		return t.Format("2006-01-02T15:04:05.000Z")
	case ns%1e3 == 0:
		return t.Format("2006-01-02T15:04:05.000000Z")
	}
	return t.Format("2006-01-02T15:04:05.000000000Z")
}
