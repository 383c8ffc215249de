package jsonata

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"math"
	"math/rand/v2"
	"strings"
	"sync"

	"github.com/stepwise-run/stepwise/value"
)

// maxAWSArray bounds the arrays $range and $partition build.
const maxAWSArray = 1e7

// AWSFunctions returns the functions AWS Step Functions adds to JSONata
// (see "Transforming data with JSONata in Step Functions"), for use as
// Env.Functions:
//
//	$partition(array, size)       split array into chunks of size items
//	$range(start, end[, step])    numbers from start to end inclusive
//	$hash(value, algorithm)       hex digest: MD5, SHA-1, SHA-256, SHA-384, SHA-512
//	$random([seed])               uniform number in [0, 1); deterministic for a seed
//	$uuid()                       random version 4 UUID
//	$parse(jsonString)            the value of a JSON text
//
// It also maps "eval" to nil: AWS does not provide $eval, and calling it
// fails as calling an unknown function does (T1006). r supplies the
// randomness of $random() without a seed, $uuid() and the standard
// $shuffle(); it must be safe for concurrent use if the map is shared
// between goroutines.
//
// The functions that need no randomness are built once and shared; the
// map and the three functions bound to r are built per call, in three
// allocations, because the engine calls AWSFunctions for every state.
// The returned functions must not be modified.
func AWSFunctions(r RandomSource) map[string]*Function {
	shared := awsShared()
	fs := &awsRandomFuncs{
		random:  Function{Signature: "<n?:n>", name: "random", sig: shared.randomSig, arity: 1, native: fnRandomAWS, checked: true, rand: r},
		uuid:    Function{Signature: "<:s>", name: "uuid", sig: shared.uuidSig, arity: 0, native: fnUUID, checked: true, rand: r},
		shuffle: Function{Signature: "<a:a>", name: "shuffle", sig: shared.shuffleSig, arity: 1, native: fnShuffleAWS, checked: true, rand: r},
	}
	return map[string]*Function{
		"partition": shared.partition,
		"range":     shared.rng,
		"hash":      shared.hash,
		"random":    &fs.random,
		"uuid":      &fs.uuid,
		"parse":     shared.parse,
		"shuffle":   &fs.shuffle,
		"eval":      nil,
	}
}

// awsRandomFuncs holds the functions of AWSFunctions bound to one
// RandomSource, so that they cost one allocation.
type awsRandomFuncs struct {
	random, uuid, shuffle Function
}

// awsSharedFuncs are the functions of AWSFunctions that need no
// randomness. They are immutable once built.
type awsSharedFuncs struct {
	partition, rng, hash, parse    *Function
	randomSig, uuidSig, shuffleSig *signature
}

var awsShared = sync.OnceValue(func() *awsSharedFuncs {
	return &awsSharedFuncs{
		partition:  awsFuncPtr("partition", "<an:a>", 2, fnPartition),
		rng:        awsFuncPtr("range", "<nnn?:a>", 3, fnRange),
		hash:       awsFuncPtr("hash", "<ss:s>", 2, fnHash),
		parse:      awsFuncPtr("parse", "<s-:j>", 1, fnParse),
		randomSig:  awsSignatures()["<n?:n>"],
		uuidSig:    awsSignatures()["<:s>"],
		shuffleSig: awsSignatures()["<a:a>"],
	}
})

func awsFuncPtr(name, sig string, arity int, fn func(c call, args []any) (any, error)) *Function {
	return &Function{Signature: sig, name: name, sig: awsSignatures()[sig], arity: arity, native: fn, checked: true}
}

// awsSignatures parses the signatures of AWS's functions once: AWSFunctions
// is called for every JSONata state the engine runs, and parsing a
// signature compiles a regular expression.
var awsSignatures = sync.OnceValue(func() map[string]*signature {
	m := map[string]*signature{}
	for _, s := range []string{"<an:a>", "<nnn?:a>", "<ss:s>", "<n?:n>", "<:s>", "<s-:j>", "<a:a>"} {
		m[s] = mustSignature(s)
	}
	return m
})

// fnShuffleAWS is $shuffle with the randomness of c.fn.rand.
func fnShuffleAWS(c call, args []any) (any, error) { return shuffle(c.fn.rand, args) }

// awsError reports a bad argument to one of AWS's functions. AWS's own
// error texts for these are not recorded, so the code is ours.
func awsError(fn, msg string) *Error {
	return newError("D3200", -1, "").with("functionName", fn).with("message", msg)
}

func fnPartition(c call, args []any) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return Undefined{}, nil
	}
	items, _ := asArray(v)
	size, _ := arg(args, 1).(float64)
	if !value.IsInteger(size) || size < 1 {
		return nil, awsError("partition", "the chunk size must be a positive integer")
	}
	n := max(int(math.Min(size, float64(len(items)))), 1) // 1 for no items: no chunks
	out := make([]any, 0, (len(items)+n-1)/n)
	for i := 0; i < len(items); i += n {
		end := min(i+n, len(items))
		chunk := make([]any, end-i)
		copy(chunk, items[i:end])
		out = append(out, chunk)
	}
	if err := c.ev.charge(int64(len(items))); err != nil {
		return nil, err
	}
	return out, nil
}

func fnRange(c call, args []any) (any, error) {
	start, ok := arg(args, 0).(float64)
	if !ok {
		return Undefined{}, nil
	}
	end, ok := arg(args, 1).(float64)
	if !ok {
		return Undefined{}, nil
	}
	step := 1.0
	if s, ok := arg(args, 2).(float64); ok {
		step = s
	}
	if step == 0 || isNonFinite(step) {
		return nil, awsError("range", "the step must be a non-zero number")
	}
	if math.IsNaN(start) || math.IsNaN(end) {
		return nil, awsError("range", "the start and end must be numbers")
	}
	count := math.Floor((end-start)/step) + 1
	if count <= 0 {
		return []any{}, nil
	}
	if count > maxAWSArray {
		return nil, awsError("range", "the range has too many items")
	}
	if err := c.ev.charge(int64(count)); err != nil {
		return nil, err
	}
	out := make([]any, 0, int(count))
	for i := 0; i < int(count); i++ {
		out = append(out, start+float64(i)*step)
	}
	return out, nil
}

func fnHash(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	alg, _ := arg(args, 1).(string)
	var h hash.Hash
	switch strings.ToUpper(alg) {
	case "MD5":
		h = md5.New()
	case "SHA-1":
		h = sha1.New()
	case "SHA-256":
		h = sha256.New()
	case "SHA-384":
		h = sha512.New384()
	case "SHA-512":
		h = sha512.New()
	default:
		return nil, awsError("hash", "the algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512")
	}
	h.Write([]byte(s))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fnRandomAWS is AWS's $random([seed]), reading c.fn.rand when there
// is no seed.
func fnRandomAWS(c call, args []any) (any, error) {
	r := c.fn.rand
	{
		if seed, ok := arg(args, 0).(float64); ok {
			var s uint64
			if value.IsInteger(seed) && math.Abs(seed) < 1<<63 {
				s = uint64(int64(seed))
			} else {
				s = math.Float64bits(seed)
			}
			return randomFloat(rand.New(rand.NewPCG(s, 0x9e3779b97f4a7c15))), nil
		}
		if r == nil {
			return nil, newError("U1006", -1, "")
		}
		return randomFloat(r), nil
	}
}

// fnUUID is AWS's $uuid(), reading c.fn.rand.
func fnUUID(c call, args []any) (any, error) {
	r := c.fn.rand
	{
		if r == nil {
			return nil, newError("U1006", -1, "")
		}
		var b [16]byte
		binary.BigEndian.PutUint64(b[:8], r.Uint64())
		binary.BigEndian.PutUint64(b[8:], r.Uint64())
		b[6] = b[6]&0x0f | 0x40
		b[8] = b[8]&0x3f | 0x80
		h := hex.EncodeToString(b[:])
		return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
	}
}

func fnParse(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return Undefined{}, nil
	}
	v, err := value.ParseString(s)
	if err != nil {
		return nil, awsError("parse", "the argument is not valid JSON: "+err.Error())
	}
	return v, nil
}
