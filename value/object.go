package value

// indexThreshold is the size at which an Object starts keeping a key index;
// below it a linear scan of the keys is faster than hashing.
const indexThreshold = 12

// Object is a JSON object whose members keep their insertion order.
// The zero value is an empty object ready to use. An Object is not safe for
// concurrent mutation; once shared it must be treated as read-only.
type Object struct {
	keys  []string
	vals  []any
	index map[string]int // key -> position; only when len(keys) >= indexThreshold
	// encLen caches EncodedLen (0: unknown). Set and Delete reset it; the
	// cache relies on the rule that shared values are not mutated.
	encLen int
}

// NewObject returns an empty object with room for n members.
func NewObject(n int) *Object {
	return &Object{keys: make([]string, 0, n), vals: make([]any, 0, n)}
}

// Len reports the number of members.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.keys)
}

func (o *Object) find(key string) int {
	if o.index != nil {
		if i, ok := o.index[key]; ok {
			return i
		}
		return -1
	}
	for i, k := range o.keys {
		if k == key {
			return i
		}
	}
	return -1
}

// Get returns the member named key and whether it exists.
func (o *Object) Get(key string) (any, bool) {
	if o == nil {
		return nil, false
	}
	if i := o.find(key); i >= 0 {
		return o.vals[i], true
	}
	return nil, false
}

// Has reports whether the object has a member named key.
func (o *Object) Has(key string) bool {
	return o != nil && o.find(key) >= 0
}

// Set sets the member named key. A new key is appended at the end; an
// existing key keeps its position and gets the new value.
func (o *Object) Set(key string, v any) {
	o.encLen = 0
	if i := o.find(key); i >= 0 {
		o.vals[i] = v
		return
	}
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, v)
	if o.index != nil {
		o.index[key] = len(o.keys) - 1
	} else if len(o.keys) >= indexThreshold {
		o.reindex()
	}
}

func (o *Object) reindex() {
	if len(o.keys) < indexThreshold {
		o.index = nil
		return
	}
	o.index = make(map[string]int, len(o.keys))
	for i, k := range o.keys {
		o.index[k] = i
	}
}

// Delete removes the member named key, if present, keeping the order of the
// others.
func (o *Object) Delete(key string) {
	i := o.find(key)
	if i < 0 {
		return
	}
	o.encLen = 0
	o.keys = append(o.keys[:i], o.keys[i+1:]...)
	o.vals = append(o.vals[:i], o.vals[i+1:]...)
	if o.index != nil {
		o.reindex()
	}
}

// Keys returns the member names in order. The slice must not be modified.
func (o *Object) Keys() []string {
	if o == nil {
		return nil
	}
	return o.keys
}

// At returns the i-th member in order.
func (o *Object) At(i int) (key string, v any) {
	return o.keys[i], o.vals[i]
}

// All iterates over the members in order.
func (o *Object) All() func(yield func(string, any) bool) {
	return func(yield func(string, any) bool) {
		if o == nil {
			return
		}
		for i, k := range o.keys {
			if !yield(k, o.vals[i]) {
				return
			}
		}
	}
}

// Copy returns a shallow copy of o: a new object with the same members.
func (o *Object) Copy() *Object {
	if o == nil {
		return NewObject(0)
	}
	c := &Object{keys: append([]string(nil), o.keys...), vals: append([]any(nil), o.vals...), encLen: o.encLen}
	if o.index != nil {
		c.reindex()
	}
	return c
}

// MarshalJSON encodes the object with its members in order, so that an
// Object can sit inside structs encoded by encoding/json.
func (o *Object) MarshalJSON() ([]byte, error) {
	return Append(nil, o), nil
}

// UnmarshalJSON decodes a JSON object into o, replacing its members.
func (o *Object) UnmarshalJSON(b []byte) error {
	v, err := Parse(b)
	if err != nil {
		return err
	}
	obj, ok := v.(*Object)
	if !ok {
		return &SyntaxError{Offset: 0, Msg: "expected a JSON object"}
	}
	*o = *obj
	return nil
}
