package jsonata_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/stepwise-run/stepwise/asl/jsonata"
	"github.com/stepwise-run/stepwise/value"
)

func Example() {
	e, err := jsonata.Compile(`{"total": $sum($states.input.items.price), "names": $states.input.items.name}`)
	if err != nil {
		panic(err)
	}
	states := value.MustParse(`{"input": {"items": [{"name": "a", "price": 2.5}, {"name": "b", "price": 4}]}}`)
	env := &jsonata.Env{Lookup: func(name string) (any, bool) {
		if name == "states" {
			return states, true
		}
		return nil, false
	}}
	v, defined, err := e.Eval(context.Background(), jsonata.Undefined{}, env)
	fmt.Println(value.String(v), defined, err)
	// Output: {"total":6.5,"names":["a","b"]} true <nil>
}

func ExampleNewFunction() {
	greet, err := jsonata.NewFunction("<s-:s>", func(ctx context.Context, args []any) (any, bool, error) {
		return "hello " + args[0].(string), true, nil
	})
	if err != nil {
		panic(err)
	}
	env := &jsonata.Env{Functions: map[string]*jsonata.Function{"greet": greet}}
	e, _ := jsonata.Compile(`name.$greet()`)
	v, _, err := e.Eval(context.Background(), value.MustParse(`{"name": "world"}`), env)
	fmt.Println(v, err)
	// Output: hello world <nil>
}

func ExampleAWSFunctions() {
	env := &jsonata.Env{Functions: jsonata.AWSFunctions(rand.New(rand.NewPCG(1, 2)))}
	e, _ := jsonata.Compile(`{"chunks": $partition([1,2,3,4,5], 2), "range": $range(0, 10, 5), "sha1": $hash("abc", "SHA-1")}`)
	v, _, _ := e.Eval(context.Background(), jsonata.Undefined{}, env)
	fmt.Println(value.String(v))
	e, _ = jsonata.Compile(`$eval("1")`)
	_, _, err := e.Eval(context.Background(), nil, env)
	fmt.Println(err)
	// Output:
	// {"chunks":[[1,2],[3,4],[5]],"range":[0,5,10],"sha1":"a9993e364706816aba3e25717850c26c9cd0d89d"}
	// T1006: Attempted to invoke a non-function
}
