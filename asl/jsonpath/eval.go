package jsonpath

import (
	"fmt"
	"math"

	"github.com/stepwise-run/stepwise/value"
)

// NotFoundError reports that a definite path matched nothing. Msg is
// Jayway's text, e.g. "No results for path: $['a']", which AWS quotes in
// its error causes.
type NotFoundError struct {
	Path *Path
	Msg  string
}

func (e *NotFoundError) Error() string { return e.Msg }

// Eval evaluates the path on doc, the document its root names (the input
// for "$", the context object for "$$", the variable's value for "$name").
//
// A definite path returns the value it identifies or a *NotFoundError. An
// indefinite path returns a []any of its matches in document order,
// possibly empty; it never fails. A path ending in a function call
// (".length()") matches nothing, as on AWS: it returns a *NotFoundError.
func (p *Path) Eval(doc any) (any, error) {
	if p.fn != "" {
		return nil, p.noResults()
	}
	if p.definite {
		v, ok := p.lookup(doc)
		if !ok {
			return nil, p.notFound(doc)
		}
		return v, nil
	}
	return p.collect(doc, doc, make([]any, 0, 4)), nil
}

// Find returns the value a reference path (IsReference) identifies in doc
// and whether there is one, without building an error when there is none.
// For any other path it reports false.
func (p *Path) Find(doc any) (any, bool) {
	if !p.definite || p.fn != "" {
		return nil, false
	}
	return p.lookup(doc)
}

// Lookup returns the value a definite path identifies in doc and whether
// it exists. For an indefinite path it returns the list of matches and
// reports whether there was at least one.
func (p *Path) Lookup(doc any) (any, bool) {
	v, err := p.Eval(doc)
	if err != nil {
		return nil, false
	}
	if !p.definite {
		return v, len(v.([]any)) > 0
	}
	return v, true
}

// lookup walks a definite path without allocating.
func (p *Path) lookup(doc any) (any, bool) {
	cur := doc
	for i := range p.segs {
		s := &p.segs[i]
		switch s.kind {
		case segName:
			obj, ok := cur.(*value.Object)
			if !ok {
				return nil, false
			}
			if cur, ok = obj.Get(s.name); !ok {
				return nil, false
			}
		case segIndex:
			arr, ok := cur.([]any)
			if !ok {
				return nil, false
			}
			idx := s.index
			if idx < 0 {
				idx += len(arr)
			}
			if idx < 0 || idx >= len(arr) {
				return nil, false
			}
			cur = arr[idx]
		default:
			return nil, false
		}
	}
	return cur, true
}

// notFound builds Jayway's message for a definite path that failed on doc.
func (p *Path) notFound(doc any) error {
	cur := doc
	for i := range p.segs {
		s := &p.segs[i]
		leaf := i == len(p.segs)-1
		switch s.kind {
		case segName:
			obj, ok := cur.(*value.Object)
			if !ok {
				return &NotFoundError{Path: p, Msg: fmt.Sprintf(
					"Expected to find an object with property %s in path %s but found '%s'. "+
						"This is not a json object according to the JsonProvider: "+
						"'com.jayway.jsonpath.spi.json.JacksonJsonProvider'.",
					s.fragment(), p.normalized(i, false), javaClass(cur))}
			}
			v, ok := obj.Get(s.name)
			if !ok {
				if leaf {
					return p.noResults()
				}
				return &NotFoundError{Path: p, Msg: "Missing property in path " + p.normalized(i+1, false)}
			}
			cur = v
		case segIndex:
			arr, ok := cur.([]any)
			if !ok {
				if cur == nil {
					return &NotFoundError{Path: p, Msg: "The path " + p.normalized(i, false) + " is null"}
				}
				return &NotFoundError{Path: p, Msg: fmt.Sprintf(
					"Filter: %s can only be applied to arrays. Current context is: %s", s.fragment(), value.String(cur))}
			}
			idx := s.index
			if idx < 0 {
				idx += len(arr)
			}
			if idx < 0 || idx >= len(arr) {
				return p.noResults()
			}
			cur = arr[idx]
		}
	}
	return p.noResults()
}

func (p *Path) noResults() error {
	return &NotFoundError{Path: p, Msg: "No results for path: " + p.Normalized()}
}

// javaClass names the Java class Jackson would decode v into, for messages
// that quote it.
func javaClass(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "java.lang.Boolean"
	case float64:
		if x == math.Trunc(x) && math.Abs(x) <= math.MaxInt32 {
			return "java.lang.Integer"
		}
		if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
			return "java.lang.Long"
		}
		return "java.lang.Double"
	case string:
		return "java.lang.String"
	case []any:
		return "java.util.ArrayList"
	default:
		return "java.util.LinkedHashMap"
	}
}

// collect appends the matches of the path on cur to out.
func (p *Path) collect(cur, root any, out []any) []any {
	return walk(p.segs, cur, root, out)
}

func walk(segs []segment, cur, root any, out []any) []any {
	if len(segs) == 0 {
		return append(out, cur)
	}
	s := &segs[0]
	if !s.deep {
		return apply(s, segs[1:], cur, root, out)
	}
	out = apply(s, segs[1:], cur, root, out)
	switch x := cur.(type) {
	case []any:
		for _, e := range x {
			out = walk(segs, e, root, out)
		}
	case *value.Object:
		for i := 0; i < x.Len(); i++ {
			_, v := x.At(i)
			out = walk(segs, v, root, out)
		}
	}
	return out
}

// apply applies one selector to cur and walks the rest from each match.
func apply(s *segment, rest []segment, cur, root any, out []any) []any {
	switch s.kind {
	case segName:
		if obj, ok := cur.(*value.Object); ok {
			if v, ok := obj.Get(s.name); ok {
				out = walk(rest, v, root, out)
			}
		}
	case segNames:
		if obj, ok := cur.(*value.Object); ok {
			for _, n := range s.names {
				if v, ok := obj.Get(n); ok {
					out = walk(rest, v, root, out)
				}
			}
		}
	case segIndex:
		if arr, ok := cur.([]any); ok {
			if idx := normIndex(s.index, len(arr)); idx >= 0 {
				out = walk(rest, arr[idx], root, out)
			}
		}
	case segIndexes:
		if arr, ok := cur.([]any); ok {
			for _, i := range s.indexes {
				if idx := normIndex(i, len(arr)); idx >= 0 {
					out = walk(rest, arr[idx], root, out)
				}
			}
		}
	case segWildcard:
		switch x := cur.(type) {
		case []any:
			for _, e := range x {
				out = walk(rest, e, root, out)
			}
		case *value.Object:
			for i := 0; i < x.Len(); i++ {
				_, v := x.At(i)
				out = walk(rest, v, root, out)
			}
		}
	case segSlice:
		if arr, ok := cur.([]any); ok {
			from, to := sliceBounds(s, len(arr))
			for i := from; i < to; i += s.step {
				out = walk(rest, arr[i], root, out)
			}
		}
	case segFilter:
		switch x := cur.(type) {
		case []any:
			for _, e := range x {
				if s.filter.eval(e, root) {
					out = walk(rest, e, root, out)
				}
			}
		case *value.Object:
			if s.filter.eval(x, root) {
				out = walk(rest, x, root, out)
			}
		}
	}
	return out
}

func normIndex(i, n int) int {
	if i < 0 {
		i += n
	}
	if i < 0 || i >= n {
		return -1
	}
	return i
}

// sliceBounds resolves a slice against an array of length n, as Jayway
// does: negative bounds count from the end, and bounds are clamped.
func sliceBounds(s *segment, n int) (from, to int) {
	from, to = 0, n
	if s.hasStart {
		from = s.start
		if from < 0 {
			from += n
		}
	}
	if s.hasEnd {
		to = s.end
		if to < 0 {
			to += n
		}
	}
	from = max(0, min(from, n))
	to = max(0, min(to, n))
	return from, to
}
