package intrinsic

import (
	"fmt"
	"math"
	"strings"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/asl/jsonpath"
	"github.com/stepwise-run/stepwise/value"
)

// Env is what a call reads while it runs.
type Env interface {
	// Resolve evaluates a path argument ("$.x", "$$.x", "$var.x"). Its
	// errors are returned unchanged by Eval, so the caller can word them
	// for the field that holds the call.
	Resolve(p *jsonpath.Path) (any, error)
	// Rand returns the source for States.UUID and unseeded
	// States.MathRandom; nil makes those functions fail.
	Rand() RandomSource
}

// Eval runs the call. Failures of the function itself are *failure.Error
// named States.Runtime; errors from Env.Resolve pass through unchanged.
func (c *Call) Eval(env Env) (any, error) {
	if c.format != nil {
		return c.evalFormat(env)
	}
	var buf [4]any
	args := buf[:0]
	for i := range c.args {
		v, err := c.arg(i, env)
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	if err := c.checkArgs(args); err != nil {
		return nil, err
	}
	return c.fn.eval(c, args, env)
}

// evalFormat runs States.Format with a literal template, the commonest
// call. Calling evalFormat directly rather than through the function table
// lets the arguments stay off the heap.
func (c *Call) evalFormat(env Env) (any, error) {
	var buf [4]any
	args := buf[:0]
	for i := range c.args {
		v, err := c.arg(i, env)
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	if err := c.checkArgs(args); err != nil {
		return nil, err
	}
	return evalFormat(c, args, env)
}

// arg evaluates the call's i-th argument.
func (c *Call) arg(i int, env Env) (any, error) {
	switch a := &c.args[i]; a.kind {
	case argPath:
		return env.Resolve(a.path)
	case argCall:
		return a.call.Eval(env)
	default:
		return a.lit, nil
	}
}

// checkArgs checks the types of the argument values.
func (c *Call) checkArgs(args []any) error {
	for i, v := range args {
		if err := c.fn.checkType(i, v); err != nil {
			return c.errorf("%v", err)
		}
	}
	return nil
}

// errorf returns the States.Runtime error of a failed call.
func (c *Call) errorf(format string, args ...any) error {
	return failure.Errorf(failure.Runtime, "Invalid arguments in %s: %s", c.fn.name, fmt.Sprintf(format, args...))
}

// check verifies arity and literal argument types at compile time.
func (c *Call) check() error {
	fn := c.fn
	if len(c.args) < fn.min || (fn.max >= 0 && len(c.args) > fn.max) {
		switch {
		case fn.min == fn.max:
			return fmt.Errorf("%s takes %d argument(s), got %d", fn.name, fn.min, len(c.args))
		case fn.max < 0:
			return fmt.Errorf("%s takes at least %d argument(s), got %d", fn.name, fn.min, len(c.args))
		default:
			return fmt.Errorf("%s takes %d to %d arguments, got %d", fn.name, fn.min, fn.max, len(c.args))
		}
	}
	for i, a := range c.args {
		if a.kind != argLiteral {
			continue
		}
		if err := fn.checkType(i, a.lit); err != nil {
			return fmt.Errorf("%s: %v", fn.name, err)
		}
	}
	if fn.name == "States.Format" && c.args[0].kind == argLiteral {
		c.format = splitTemplate(c.args[0].raw, true)
		if n := len(c.format) - 1; n != len(c.args)-1 {
			return fmt.Errorf("States.Format: the template has %d placeholder(s) but %d value(s) follow it", n, len(c.args)-1)
		}
	}
	return nil
}

// argument type constraints
const (
	tAny = iota
	tString
	tNumber
	tInteger
	tBoolean
	tArray
	tObject
)

var typeNames = [...]string{"any", "string", "number", "integer", "boolean", "array", "object"}

func (fn *function) typeAt(i int) int {
	if i < len(fn.types) {
		return fn.types[i]
	}
	if fn.max < 0 && len(fn.types) > 0 {
		return fn.types[len(fn.types)-1]
	}
	return tAny
}

func (fn *function) checkType(i int, v any) error {
	want := fn.typeAt(i)
	ok := true
	switch want {
	case tString:
		_, ok = v.(string)
	case tNumber:
		_, ok = v.(float64)
	case tInteger:
		f, isNum := v.(float64)
		ok = isNum && !math.IsInf(f, 0) && !math.IsNaN(f)
	case tBoolean:
		_, ok = v.(bool)
	case tArray:
		_, ok = v.([]any)
	case tObject:
		_, ok = v.(*value.Object)
	}
	if !ok {
		return fmt.Errorf("argument %d must be of type %s, but was %s", i+1, typeNames[want], value.TypeName(v))
	}
	return nil
}

// splitTemplate splits a States.Format template at its "{}" placeholders.
// In a literal (escaped true) "\{" and "\}" are literal braces and "\\" a
// backslash; a template that comes from a path is taken as is.
func splitTemplate(s string, escaped bool) []string {
	var parts []string
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case escaped && c == '\\' && i+1 < len(s):
			b.WriteByte(s[i+1])
			i++
		case c == '{' && i+1 < len(s) && s[i+1] == '}':
			parts = append(parts, b.String())
			b.Reset()
			i++
		default:
			b.WriteByte(c)
		}
	}
	return append(parts, b.String())
}

// javaRound is Java's Math.round: half up, towards positive infinity.
func javaRound(f float64) float64 { return math.Floor(f + 0.5) }
