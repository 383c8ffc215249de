package engine

import (
	"github.com/stepwise-run/stepwise/asl"
	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/history"
	"github.com/stepwise-run/stepwise/value"
)

// runParallel starts one frame per branch and runs them in branch order,
// each until it finishes or blocks.
func (r *run) runParallel(f *Frame) error {
	n := f.node
	f.failEvent = "ParallelStateFailed"
	var eff any
	var err error
	if n.lang == asl.JSONata {
		eff = f.input
		if n.jArguments != nil {
			if eff, err = n.jArguments.eval(r.jscope(f, r.states(f, f.input, nil, nil, nil))); err != nil {
				return err
			}
		}
	} else if eff, err = r.effectiveInput(f); err != nil {
		return err
	}
	if n.lang == asl.JSONata && n.jArguments != nil {
		r.x.inspect("afterArguments", eff)
	}
	if r.x.Mock != nil {
		if result, ferr, ok := r.x.Mock(n.s.Name); ok {
			if ferr != nil {
				return ferr
			}
			return r.completeWithResult(f, result)
		}
	}
	r.emit(f, "ParallelStateStarted", nil)
	f.children = make([]*Frame, len(n.branches))
	f.results = make([]any, len(n.branches))
	f.active = len(n.branches)
	f.childErr = nil
	f.kept, f.redo = nil, nil
	f.phase = phaseWaitChildren
	for i, g := range n.branches {
		c := r.newFrame(g, f, NewScope(f.vars), f.last)
		c.input = eff
		if sameValue(eff, f.input) {
			c.inputText = f.inputText
		}
		f.children[i] = c
	}
	for _, c := range f.children {
		if f.phase != phaseWaitChildren {
			break // a branch failed
		}
		r.runFrame(c)
		if c.phase == phaseDone {
			r.childDone(f, c)
		}
	}
	return nil
}

// childDone is called when child frame c of f has finished.
func (r *run) childDone(f *Frame, c *Frame) {
	if f.node.s.Type == asl.TypeMap {
		r.iterationDone(f, c)
		return
	}
	f.active--
	if c.last > f.last {
		f.last = c.last
	}
	if c.err != nil {
		// A failed branch stops its siblings. Their frames stay as they
		// were, so that a redrive can tell finished branches from the
		// others and run only those again.
		for _, s := range f.children {
			if s != c && s.phase != phaseDone {
				r.cancelAll(s)
			}
		}
		branches := f.children
		f.children = nil
		f.phase = phaseRun
		r.stateFailed(f, c.err)
		if f.phase == phaseDone && f.err != nil {
			f.kept = branches
		}
		return
	}
	for i, s := range f.children {
		if s == c {
			f.results[i] = c.output
		}
	}
	if f.active > 0 {
		return
	}
	results := f.results
	var b []byte
	b = append(b, '[')
	for i, c := range f.children {
		if i > 0 {
			b = append(b, ',')
		}
		if c.outputText != "" {
			b = append(b, c.outputText...)
		} else {
			b = value.Append(b, c.output)
		}
	}
	f.resultText = string(append(b, ']'))
	f.children = nil
	f.phase = phaseRun
	r.emitMarker(f, "ParallelStateSucceeded", nil)
	if err := r.completeWithResult(f, results); err != nil {
		r.stateFailed(f, asFailure(err))
	}
}

// emitFailEvent records the state's *StateFailed event, if it has one,
// once Retry has declined an error.
func (r *run) emitFailEvent(f *Frame, err *failure.Error) {
	if f.failEvent == "" {
		return
	}
	typ := f.failEvent
	f.failEvent = ""
	if err.Name == failure.Runtime {
		return
	}
	r.emit(f, typ, func(e *history.Event) {})
}
