package payload

import (
	"fmt"

	"github.com/stepwise-run/stepwise/asl/intrinsic"
	"github.com/stepwise-run/stepwise/asl/jsonpath"
)

// Scope is what paths and intrinsic functions can read.
type Scope struct {
	Input   any                           // "$"
	Context any                           // "$$", the context object
	Lookup  func(name string) (any, bool) // workflow variables "$name"; nil means none
	Random  intrinsic.RandomSource        // for States.UUID and States.MathRandom
}

// UndefinedVariableError reports a "$name" path whose variable has no
// value in the scope.
type UndefinedVariableError struct {
	Name string
}

func (e *UndefinedVariableError) Error() string {
	return fmt.Sprintf("the variable '$%s' is not defined", e.Name)
}

// Doc returns the document a path's root names, and false when the path
// names a variable that is not defined.
func (s *Scope) Doc(p *jsonpath.Path) (any, bool) {
	switch p.Root() {
	case jsonpath.Context:
		return s.Context, true
	case jsonpath.Variable:
		if s.Lookup == nil {
			return nil, false
		}
		return s.Lookup(p.Variable())
	default:
		return s.Input, true
	}
}

// Resolve evaluates p in the scope. It returns a *jsonpath.NotFoundError
// when a definite path matches nothing and an *UndefinedVariableError when
// the path's variable is not defined. It implements intrinsic.Env.
func (s *Scope) Resolve(p *jsonpath.Path) (any, error) {
	if p.Root() == jsonpath.Input {
		// The commonest case, in one call.
		if v, ok := p.Find(s.Input); ok {
			return v, nil
		}
	}
	doc, ok := s.Doc(p)
	if !ok {
		return nil, &UndefinedVariableError{Name: p.Variable()}
	}
	return p.Eval(doc)
}

// Rand returns the scope's random source. It implements intrinsic.Env.
func (s *Scope) Rand() intrinsic.RandomSource { return s.Random }
