package jsonpath

import (
	"errors"

	"github.com/stepwise-run/stepwise/value"
)

// ErrCannotSet is returned (wrapped) by Set when the path cannot be applied
// to the document: a step meets a value that is not an object (for a name)
// or an array holding that index, or the path is not a reference path on
// "$". AWS reports this as States.ResultPathMatchFailure.
var ErrCannotSet = errors.New("path cannot be applied to the document")

// Set returns a copy of doc with v placed where the path points, with
// ResultPath semantics: missing object members along the path are created
// as empty objects; existing ones are replaced. Containers on the written
// path are copied and everything else is shared, so doc is not modified.
// The path must be a reference path rooted at "$"; "$" itself replaces the
// whole document.
func (p *Path) Set(doc, v any) (any, error) {
	if p.root != Input || !p.IsReference() {
		return nil, ErrCannotSet
	}
	return setAt(p.segs, doc, true, v)
}

func setAt(segs []segment, cur any, exists bool, v any) (any, error) {
	if len(segs) == 0 {
		return v, nil
	}
	s := &segs[0]
	switch s.kind {
	case segName:
		var obj *value.Object
		switch x := cur.(type) {
		case *value.Object:
			obj = x
		default:
			if exists {
				return nil, ErrCannotSet
			}
		}
		child, ok := obj.Get(s.name)
		nv, err := setAt(segs[1:], child, ok, v)
		if err != nil {
			return nil, err
		}
		return withMember(obj, s.name, nv), nil
	case segIndex:
		arr, ok := cur.([]any)
		if !ok {
			return nil, ErrCannotSet
		}
		idx := normIndex(s.index, len(arr))
		if idx < 0 {
			return nil, ErrCannotSet
		}
		nv, err := setAt(segs[1:], arr[idx], true, v)
		if err != nil {
			return nil, err
		}
		out := make([]any, len(arr))
		copy(out, arr)
		out[idx] = nv
		return out, nil
	}
	return nil, ErrCannotSet
}

// withMember returns a copy of obj (nil for none) with member key set to v.
// The copy has room for a new member and keeps obj's cached encoded length
// up to date.
func withMember(obj *value.Object, key string, v any) *value.Object {
	out := obj.Copy()
	out.Set(key, v)
	return out
}
