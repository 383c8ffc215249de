package intrinsic

// RandomSource supplies the randomness of States.UUID and unseeded
// States.MathRandom. *math/rand/v2.Rand satisfies it; the engine injects a
// source so that executions can be replayed deterministically.
type RandomSource interface {
	// Uint64 returns a uniformly distributed pseudo-random 64-bit value.
	Uint64() uint64
}

// javaRandom reproduces java.util.Random, the 48-bit linear congruential
// generator AWS's runtime uses for seeded States.MathRandom.
type javaRandom struct{ seed int64 }

const (
	javaMultiplier = 0x5DEECE66D
	javaAddend     = 0xB
	javaMask       = (1 << 48) - 1
)

func newJavaRandom(seed int64) *javaRandom {
	return &javaRandom{seed: (seed ^ javaMultiplier) & javaMask}
}

func (r *javaRandom) next(bits uint) int32 {
	r.seed = (r.seed*javaMultiplier + javaAddend) & javaMask
	return int32(uint64(r.seed) >> (48 - bits))
}

// nextInt is java.util.Random.nextInt(bound); bound must be positive.
func (r *javaRandom) nextInt(bound int32) int32 {
	rnd := r.next(31)
	m := bound - 1
	if bound&m == 0 {
		return int32((int64(bound) * int64(rnd)) >> 31)
	}
	for u := rnd; ; u = r.next(31) {
		rnd = u % bound
		if u-rnd+m >= 0 { // int32 overflow makes this negative for biased draws
			return rnd
		}
	}
}

// uniform returns a uniformly distributed value in [0, n) from src, n > 0.
func uniform(src RandomSource, n uint64) uint64 {
	// Rejection sampling removes the modulo bias.
	limit := -n % n // (2^64 - n) % n
	for {
		v := src.Uint64()
		if v >= limit {
			return v % n
		}
	}
}

// newUUID returns a random (version 4) UUID in its canonical text form.
func newUUID(src RandomSource) string {
	var b [16]byte
	hi, lo := src.Uint64(), src.Uint64()
	for i := range 8 {
		b[i] = byte(hi >> (56 - 8*i))
		b[8+i] = byte(lo >> (56 - 8*i))
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	const hex = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hex[c>>4], hex[c&0xf])
	}
	return string(out)
}
