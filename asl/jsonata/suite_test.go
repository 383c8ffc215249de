package jsonata

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/value"
)

// suiteCase is one case of the official JSONata test suite (see
// testdata/suite/TESTSUITE.md).
type suiteCase struct {
	id        string
	expr      string
	input     any // Undefined{} for no input
	bindings  *value.Object
	result    any
	hasResult bool
	undefined bool
	code      string
	token     string
	message   string
	timelimit time.Duration
	depth     int
}

func loadSuite(t testing.TB) []suiteCase {
	t.Helper()
	root := filepath.Join("testdata", "suite")
	datasets := map[string]any{}
	dsFiles, err := filepath.Glob(filepath.Join(root, "datasets", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range dsFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		v, err := value.Parse(b)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		datasets[strings.TrimSuffix(filepath.Base(f), ".json")] = v
	}
	files, err := filepath.Glob(filepath.Join(root, "groups", "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var cases []suiteCase
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		v, err := value.Parse(b)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		group := filepath.Base(filepath.Dir(f))
		name := group + "/" + strings.TrimSuffix(filepath.Base(f), ".json")
		var objs []*value.Object
		switch x := v.(type) {
		case *value.Object:
			objs = []*value.Object{x}
		case []any:
			for _, e := range x {
				objs = append(objs, e.(*value.Object))
			}
		}
		for i, o := range objs {
			c := suiteCase{id: name, input: Undefined{}}
			if len(objs) > 1 {
				c.id = fmt.Sprintf("%s[%d]", name, i)
			}
			if e, ok := o.Get("expr"); ok {
				c.expr, _ = e.(string)
			} else if ef, ok := o.Get("expr-file"); ok {
				eb, err := os.ReadFile(filepath.Join(filepath.Dir(f), ef.(string)))
				if err != nil {
					t.Fatal(err)
				}
				c.expr = string(eb)
			}
			if d, ok := o.Get("data"); ok {
				c.input = d
			} else if ds, ok := o.Get("dataset"); ok && ds != nil {
				c.input = datasets[ds.(string)]
			}
			if bnd, ok := o.Get("bindings"); ok {
				c.bindings, _ = bnd.(*value.Object)
			}
			if r, ok := o.Get("result"); ok {
				c.result, c.hasResult = r, true
			}
			if u, ok := o.Get("undefinedResult"); ok && u == true {
				c.undefined = true
			}
			if code, ok := o.Get("code"); ok {
				c.code, _ = code.(string)
			}
			if tok, ok := o.Get("token"); ok {
				c.token, _ = tok.(string)
			}
			if eo, ok := o.Get("error"); ok {
				if eobj, ok := eo.(*value.Object); ok {
					if code, ok := eobj.Get("code"); ok {
						c.code, _ = code.(string)
					}
					if tok, ok := eobj.Get("token"); ok {
						c.token, _ = tok.(string)
					}
					if msg, ok := eobj.Get("message"); ok {
						c.message, _ = msg.(string)
					}
				}
			}
			if tl, ok := o.Get("timelimit"); ok {
				c.timelimit = time.Duration(tl.(float64)) * time.Millisecond
			}
			if d, ok := o.Get("depth"); ok {
				c.depth = int(d.(float64))
			}
			cases = append(cases, c)
		}
	}
	return cases
}

// loadSkips reads testdata/skip.txt: "<case id> <reason>" per line.
func loadSkips(t testing.TB) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "skip.txt"))
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	skips := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, " ")
		if strings.TrimSpace(reason) == "" {
			t.Fatalf("skip.txt: %s has no reason", id)
		}
		skips[id] = strings.TrimSpace(reason)
	}
	return skips
}

// runCase evaluates a suite case and returns "" when it passes.
func runCase(c suiteCase) (failure string) {
	defer func() {
		if r := recover(); r != nil {
			failure = fmt.Sprintf("panic: %v", r)
		}
	}()
	env := &Env{
		Now:    time.Now,
		Random: rand.New(rand.NewPCG(1, 2)),
	}
	if c.bindings != nil {
		b := c.bindings
		env.Lookup = func(name string) (any, bool) { return b.Get(name) }
	}
	if c.depth > 0 {
		env.Limits.MaxDepth = c.depth
	}
	if c.timelimit > 0 {
		env.Limits.MaxSteps = 1 << 40 // the time limit bounds these cases
	}
	ctx := context.Background()
	if c.timelimit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timelimit*2)
		defer cancel()
	}
	var got any
	var defined bool
	e, err := Compile(c.expr)
	if err == nil {
		got, defined, err = e.Eval(ctx, c.input, env)
	}
	switch {
	case c.code != "":
		if err == nil {
			return fmt.Sprintf("want error %s, got %s (defined %v)", c.code, value.String(got), defined)
		}
		var je *Error
		if !errors.As(err, &je) {
			return fmt.Sprintf("want error %s, got %v", c.code, err)
		}
		// jsonata-js's own harness reports a timeout as U1001.
		if je.Code != c.code && !(c.code == "U1001" && je.Code == "U1003" && c.timelimit > 0) {
			return fmt.Sprintf("want error %s, got %v", c.code, err)
		}
		if c.message != "" && je.Message != c.message {
			return fmt.Sprintf("want error message %q, got %q", c.message, je.Message)
		}
		if c.token != "" && je.Token != c.token {
			return fmt.Sprintf("want error %s token %q, got token %q (%v)", c.code, c.token, je.Token, err)
		}
		return ""
	case err != nil:
		return fmt.Sprintf("unexpected error %v", err)
	case c.undefined:
		if defined {
			return fmt.Sprintf("want undefined, got %s", value.String(got))
		}
		return ""
	case c.hasResult:
		if !defined {
			return fmt.Sprintf("want %s, got undefined", value.String(c.result))
		}
		if !value.Equal(got, c.result) {
			return fmt.Sprintf("want %s, got %s", value.String(c.result), value.String(got))
		}
		return ""
	}
	return ""
}

func TestOfficialSuite(t *testing.T) {
	cases := loadSuite(t)
	skips := loadSkips(t)
	passed, failed, skipped := 0, 0, 0
	seen := map[string]bool{}
	for _, c := range cases {
		seen[c.id] = true
		if reason, ok := skips[c.id]; ok {
			skipped++
			_ = reason
			continue
		}
		if msg := runCase(c); msg != "" {
			failed++
			t.Errorf("%s: %s\n    expr: %s", c.id, msg, c.expr)
		} else {
			passed++
		}
	}
	for id := range skips {
		if !seen[id] {
			t.Errorf("skip.txt lists unknown case %s", id)
		}
	}
	rate := 100 * float64(passed) / float64(passed+failed)
	t.Logf("jsonata suite: %d passed, %d failed, %d skipped (%.1f%% of runnable)", passed, failed, skipped, rate)
	fmt.Printf("jsonata suite: %d passed, %d failed, %d skipped (%.1f%% of runnable)\n", passed, failed, skipped, rate)
}
