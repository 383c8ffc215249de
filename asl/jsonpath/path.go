package jsonpath

import (
	"strconv"
	"strings"
)

// Root says which document a path starts from.
type Root int

const (
	// Input is "$", the state's input.
	Input Root = iota
	// Context is "$$", the context object.
	Context
	// Variable is "$name", a workflow variable.
	Variable
)

// Path is a compiled JSONPath expression. It is immutable and safe for
// concurrent use.
type Path struct {
	src      string
	root     Root
	variable string
	segs     []segment
	fn       string // a trailing function call, e.g. "length"; never matches
	definite bool
}

type segKind uint8

const (
	segName     segKind = iota // ['a']
	segIndex                   // [0]
	segWildcard                // [*]
	segSlice                   // [1:5]
	segNames                   // ['a','b']
	segIndexes                 // [0,2]
	segFilter                  // [?(...)]
)

// segment is one step of a path. A deep segment applies its selector to
// the current node and to every node below it (Jayway's "..").
type segment struct {
	kind    segKind
	deep    bool
	name    string
	index   int
	names   []string
	indexes []int
	// slice bounds; has* say whether a bound was written
	start, end, step int
	hasStart, hasEnd bool
	filter           expr
	filterSrc        string
}

// String returns the path as it was written.
func (p *Path) String() string { return p.src }

// Root reports which document the path reads.
func (p *Path) Root() Root { return p.root }

// Variable returns the variable name of a "$name" path, or "".
func (p *Path) Variable() string { return p.variable }

// IsDefinite reports whether the path can match at most one value: it has
// only names and single indexes, as Jayway defines it.
func (p *Path) IsDefinite() bool { return p.definite }

// IsRoot reports whether the path is just its root ("$", "$$" or "$name").
func (p *Path) IsRoot() bool { return len(p.segs) == 0 && p.fn == "" }

// IsReference reports whether the path is a reference path in the sense of
// the States Language: it identifies a single node using only names and
// indexes (no wildcards, slices, unions, filters, deep scans or functions).
func (p *Path) IsReference() bool { return p.definite && p.fn == "" }

// Normalized returns the path in Jayway's canonical form, e.g.
// "$['a']['b'][0]", as AWS quotes it in error messages.
func (p *Path) Normalized() string { return p.normalized(len(p.segs), true) }

func (p *Path) normalized(n int, withFn bool) string {
	var b strings.Builder
	b.WriteString(p.rootText())
	for _, s := range p.segs[:n] {
		s.appendNormalized(&b)
	}
	if withFn && p.fn != "" {
		b.WriteString("." + p.fn + "()")
	}
	return b.String()
}

func (p *Path) rootText() string {
	switch p.root {
	case Context:
		return "$$"
	case Variable:
		return "$" + p.variable
	default:
		return "$"
	}
}

func (s *segment) appendNormalized(b *strings.Builder) {
	if s.deep {
		b.WriteString("..")
	}
	switch s.kind {
	case segName:
		writeQuoted(b, s.name)
	case segIndex:
		b.WriteByte('[')
		b.WriteString(strconv.Itoa(s.index))
		b.WriteByte(']')
	case segWildcard:
		b.WriteString("[*]")
	case segNames:
		b.WriteByte('[')
		for i, n := range s.names {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('\'')
			b.WriteString(n)
			b.WriteByte('\'')
		}
		b.WriteByte(']')
	case segIndexes:
		b.WriteByte('[')
		for i, n := range s.indexes {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(n))
		}
		b.WriteByte(']')
	case segSlice:
		b.WriteByte('[')
		if s.hasStart {
			b.WriteString(strconv.Itoa(s.start))
		}
		b.WriteByte(':')
		if s.hasEnd {
			b.WriteString(strconv.Itoa(s.end))
		}
		if s.step != 1 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(s.step))
		}
		b.WriteByte(']')
	case segFilter:
		b.WriteString("[?]")
	}
}

func writeQuoted(b *strings.Builder, name string) {
	b.WriteString("['")
	b.WriteString(name)
	b.WriteString("']")
}

// fragment is the normalized text of one segment, as Jayway's messages
// quote it ("['b']").
func (s *segment) fragment() string {
	var b strings.Builder
	s.appendNormalized(&b)
	return b.String()
}
