package runner

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"sync"

	"github.com/stepwise-run/stepwise/store"
)

// linkRowID names the outbox row linking child to the parent task with
// token: one row per task, so that several parents may wait for one child.
func linkRowID(child, token string) string {
	sum := sha256.Sum256([]byte(token))
	return rowID(child, kindParent, int64(binary.BigEndian.Uint64(sum[:8])>>1))
}

// linkRow is the outbox row that links child to its parent task.
func linkRow(child string, l parentLink) store.OutboxRow {
	b, _ := json.Marshal(l)
	return store.OutboxRow{ID: linkRowID(child, l.Token), ExecutionARN: child, Kind: kindParent, Payload: b}
}

// linkTable indexes the links the runner knows. A child may be linked to
// several parent tasks (starts of the same name and input).
type linkTable struct {
	mu       sync.Mutex
	byChild  map[string][]parentLink
	byParent map[string]map[string]int // parent → child → links
}

func newLinkTable() *linkTable {
	return &linkTable{byChild: map[string][]parentLink{}, byParent: map[string]map[string]int{}}
}

// add records a link; it reports false if child is already linked to the
// task with l.Token.
func (t *linkTable) add(child string, l parentLink) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, have := range t.byChild[child] {
		if have.Token == l.Token {
			return false
		}
	}
	t.byChild[child] = append(t.byChild[child], l)
	if t.byParent[l.Parent] == nil {
		t.byParent[l.Parent] = map[string]int{}
	}
	t.byParent[l.Parent][child]++
	return true
}

// remove forgets the link of child to the task with token.
func (t *linkTable) remove(child, token string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	links := t.byChild[child]
	for i, l := range links {
		if l.Token == token {
			t.byChild[child] = append(links[:i:i], links[i+1:]...)
			if len(t.byChild[child]) == 0 {
				delete(t.byChild, child)
			}
			t.unindex(l.Parent, child)
			return
		}
	}
}

// takeAll removes and returns the links of child.
func (t *linkTable) takeAll(child string) []parentLink {
	t.mu.Lock()
	defer t.mu.Unlock()
	links := t.byChild[child]
	delete(t.byChild, child)
	for _, l := range links {
		t.unindex(l.Parent, child)
	}
	return links
}

func (t *linkTable) unindex(parent, child string) {
	set := t.byParent[parent]
	if set == nil {
		return
	}
	if set[child]--; set[child] <= 0 {
		delete(set, child)
	}
	if len(set) == 0 {
		delete(t.byParent, parent)
	}
}

// children returns the children linked to tasks of parent.
func (t *linkTable) children(parent string) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]string, 0, len(t.byParent[parent]))
	for c := range t.byParent[parent] {
		out = append(out, c)
	}
	return out
}

// tokens returns the tokens of the tasks of parent linked to child.
func (t *linkTable) tokens(child, parent string) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []string
	for _, l := range t.byChild[child] {
		if l.Parent == parent {
			out = append(out, l.Token)
		}
	}
	return out
}
