package value

// indexThreshold is the size at which an Object starts keeping a key index;
// below it a linear scan of the keys is faster than hashing.
const indexThreshold = 12

// Object is a JSON object whose members keep their insertion order.
// The zero value is an empty object ready to use. An Object is not safe for
// concurrent mutation; once shared it must be treated as read-only.
type Object struct {
	members []member
	index   map[string]int // key -> position; only when len(members) >= indexThreshold
	// encLen caches EncodedLen (0: unknown). It is set only while the
	// object holds only values of the model (see Plain). Once known, Set
	// keeps it up to date when the lengths of the values involved are
	// cheap to know (a copy of a measured document given a measured or
	// small member stays measured), and resets it otherwise; Delete resets
	// it. The cache relies on the rule that shared values are not mutated.
	encLen int
}

// member is one key and its value; keeping both in one slice makes an
// object two allocations instead of three.
type member struct {
	key string
	val any
}

// NewObject returns an empty object with room for n members. An object of
// up to eight members is one allocation: its members are stored with it.
func NewObject(n int) *Object {
	switch {
	case n <= 0:
		return &Object{}
	case n <= 2:
		b := new(struct {
			o Object
			m [2]member
		})
		b.o.members = b.m[:0]
		return &b.o
	case n <= 4:
		b := new(struct {
			o Object
			m [4]member
		})
		b.o.members = b.m[:0]
		return &b.o
	case n <= 6:
		b := new(struct {
			o Object
			m [6]member
		})
		b.o.members = b.m[:0]
		return &b.o
	case n <= 8:
		b := new(struct {
			o Object
			m [8]member
		})
		b.o.members = b.m[:0]
		return &b.o
	}
	return &Object{members: make([]member, 0, n)}
}

// Plain reports whether o is known to hold only values of the model,
// nothing of another type (such as the internal values of an expression
// evaluator) anywhere inside it, so that code that would check or convert
// every value inside can skip it. Objects parsed from JSON text are plain;
// an object built member by member is known to be plain once EncodedLen
// has measured it, and stays so while the members set have lengths that
// are cheap to know. Plain can report false for an object that is plain.
func (o *Object) Plain() bool { return o != nil && o.encLen > 0 }

// Len reports the number of members.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.members)
}

func (o *Object) find(key string) int {
	if o.index != nil {
		if i, ok := o.index[key]; ok {
			return i
		}
		return -1
	}
	for i := range o.members {
		if o.members[i].key == key {
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
		return o.members[i].val, true
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
	if i := o.find(key); i >= 0 {
		if o.encLen > 0 {
			n, ok := cheapLen(v)
			old, ok2 := cheapLen(o.members[i].val)
			if ok && ok2 {
				o.encLen += n - old
			} else {
				o.encLen = 0
			}
		}
		o.members[i].val = v
		return
	}
	o.Append(key, v)
}

// Append adds a member named key at the end, without looking for a member
// of that name: the caller knows that there is none (for instance a
// template whose keys are distinct). Appending a key that exists would
// give the object two members of that name.
func (o *Object) Append(key string, v any) {
	if o.encLen > 0 {
		if n, ok := cheapLen(v); ok {
			if len(o.members) > 0 {
				o.encLen++ // comma
			}
			o.encLen += stringLen(key) + 1 + n
		} else {
			o.encLen = 0
		}
	}
	o.members = append(o.members, member{key, v})
	if o.index != nil {
		o.index[key] = len(o.members) - 1
	} else if len(o.members) >= indexThreshold {
		o.reindex()
	}
}

func (o *Object) reindex() {
	if len(o.members) < indexThreshold {
		o.index = nil
		return
	}
	o.index = make(map[string]int, len(o.members))
	for i, m := range o.members {
		o.index[m.key] = i
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
	o.members = append(o.members[:i], o.members[i+1:]...)
	if o.index != nil {
		o.reindex()
	}
}

// Keys returns the member names in order, in a new slice.
func (o *Object) Keys() []string {
	if o == nil {
		return nil
	}
	keys := make([]string, len(o.members))
	for i, m := range o.members {
		keys[i] = m.key
	}
	return keys
}

// At returns the i-th member in order.
func (o *Object) At(i int) (key string, v any) {
	return o.members[i].key, o.members[i].val
}

// All iterates over the members in order.
func (o *Object) All() func(yield func(string, any) bool) {
	return func(yield func(string, any) bool) {
		if o == nil {
			return
		}
		for _, m := range o.members {
			if !yield(m.key, m.val) {
				return
			}
		}
	}
}

// Copy returns a shallow copy of o: a new object with the same members,
// with room for one more.
func (o *Object) Copy() *Object {
	if o == nil {
		return NewObject(0)
	}
	c := NewObject(len(o.members) + 1)
	c.members = append(c.members, o.members...)
	c.encLen = o.encLen
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
