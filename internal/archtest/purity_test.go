// Package archtest checks architectural rules that the compiler does not:
// the language core and the engine stay pure.
package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// purePackages must do no I/O, read no clock and use no ambient
// randomness: time arrives with each engine input, and random numbers come
// from generators whose state the caller owns (ARCHITECTURE.md).
var purePackages = []string{"value", "history", "engine", "asl"}

// forbiddenImports are packages that do I/O or reach the outside world.
var forbiddenImports = map[string]bool{
	"os": true, "os/exec": true, "os/signal": true, "net": true, "net/http": true, "net/url": false,
	"database/sql": true, "syscall": true, "io/ioutil": true, "io/fs": true, "crypto/rand": true,
	"log": true, "log/slog": true, "plugin": true, "unsafe": true,
}

// unsafeAllowed lists the files of the pure packages that may import
// unsafe, each with its reason. unsafe does no I/O, but it is forbidden
// elsewhere so that every use is deliberate and reviewed here.
var unsafeAllowed = map[string]string{
	"value/box.go": "builds interface values around a parsed document's slabs, saving an allocation per scalar",
}

// forbiddenCalls are package-level functions that read the clock or an
// ambient random source. Seeded generators (rand.New) are allowed.
var forbiddenCalls = map[string]map[string]bool{
	"time": {"Now": true, "Since": true, "Until": true, "Sleep": true, "After": true, "AfterFunc": true,
		"NewTimer": true, "NewTicker": true, "Tick": true},
	"math/rand":    {"Int": true, "Intn": true, "Int63": true, "Float64": true, "Perm": true, "Shuffle": true, "Seed": true, "Uint64": true},
	"math/rand/v2": {"Int": true, "IntN": true, "N": true, "Int64": true, "Float64": true, "Perm": true, "Shuffle": true, "Uint64": true, "Uint32": true},
}

func TestPurePackagesDoNoIO(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	checked := 0
	for _, pkg := range purePackages {
		err := filepath.WalkDir(filepath.Join(root, pkg), func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata") {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			checked++
			names := map[string]string{} // local name → import path
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				rel, _ := filepath.Rel(root, path)
				if p == "unsafe" && unsafeAllowed[filepath.ToSlash(rel)] != "" {
					// allowed, for the reason given
				} else if forbiddenImports[p] {
					t.Errorf("%s imports %q: the pure packages do no I/O", path, p)
				}
				name := p[strings.LastIndex(p, "/")+1:]
				if p == "math/rand/v2" {
					name = "rand"
				}
				if imp.Name != nil {
					name = imp.Name.Name
				}
				names[name] = p
			}
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				id, ok := sel.X.(*ast.Ident)
				if !ok {
					return true
				}
				if calls := forbiddenCalls[names[id.Name]]; calls[sel.Sel.Name] {
					t.Errorf("%s: %s.%s reads the clock or an ambient random source", fset.Position(sel.Pos()), names[id.Name], sel.Sel.Name)
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if checked < 50 {
		t.Fatalf("checked only %d files: is the package list right?", checked)
	}
}
