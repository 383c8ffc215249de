package value

import "unsafe"

// Boxing parsed scalars in bulk.
//
// Storing a string or a float64 in an interface value (any) allocates a
// copy of it on the heap, one small allocation per string and per number.
// A parsed document is mostly such scalars, so that was most of Parse's
// allocations and a good part of the engine's time. Parse instead stores
// each scalar once in a slab sized by its first pass and makes the
// interface value refer to the slab entry, as the runtime's own boxing
// refers to its fresh copy. This needs unsafe: Go offers no other way to
// build an interface value around memory that already exists. It is safe
// because an interface value's data is never written through (every
// entry is written once, before it is boxed, and never again), and the
// garbage collector keeps the whole slab alive while any entry is
// referenced, as it does for any interior pointer.

// eface is the layout of an interface value with no methods (the runtime's
// eface): the dynamic type and a pointer to the data.
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

// typeWord returns the type word of v's interface value.
func typeWord(v any) unsafe.Pointer { return (*eface)(unsafe.Pointer(&v)).typ }

// The type words of the boxed types. They never change.
var (
	stringType  = typeWord("")
	float64Type = typeWord(float64(0))
	arrayType   = typeWord([]any(nil))
)

// boxed returns the interface value of dynamic type typ whose data is at
// data, without copying it.
func boxed(typ, data unsafe.Pointer) any {
	var v any
	e := (*eface)(unsafe.Pointer(&v))
	e.typ, e.data = typ, data
	return v
}

// boxString returns the interface value holding *p, referring to *p
// itself. *p must never be modified afterwards.
func boxString(p *string) any { return boxed(stringType, unsafe.Pointer(p)) }

// boxFloat returns the interface value holding *p, referring to *p itself.
// *p must never be modified afterwards.
func boxFloat(p *float64) any { return boxed(float64Type, unsafe.Pointer(p)) }

// boxArray returns the interface value holding *p (a slice header),
// referring to *p itself. *p must never be modified afterwards.
func boxArray(p *[]any) any { return boxed(arrayType, unsafe.Pointer(p)) }

// StringValue returns string(b) as an interface value, in one allocation
// where the runtime would make two (the string's bytes, then the boxed
// string header): header and bytes share one block of memory, the header
// first. The bytes are copied; b may be reused.
func StringValue(b []byte) any {
	switch n := len(b); {
	case n == 0:
		return ""
	case n <= 16:
		return newBoxedString[[16]byte](b)
	case n <= 32:
		return newBoxedString[[32]byte](b)
	case n <= 48:
		return newBoxedString[[48]byte](b)
	case n <= 64:
		return newBoxedString[[64]byte](b)
	case n <= 112:
		return newBoxedString[[112]byte](b)
	}
	s := string(b)
	return s
}

// boxedString is a string header followed by room for its bytes.
type boxedString[A any] struct {
	s     string
	bytes A // an array of bytes
}

// newBoxedString copies b into a new boxedString and returns its string as
// an interface value. A must be a byte array at least len(b) long.
func newBoxedString[A any](b []byte) any {
	x := new(boxedString[A])
	room := unsafe.Slice((*byte)(unsafe.Pointer(&x.bytes)), unsafe.Sizeof(x.bytes))
	n := copy(room, b)
	x.s = unsafe.String(&room[0], n)
	return boxString(&x.s)
}
