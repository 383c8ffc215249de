package storetest

import (
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/store"
)

var stateMachineTests = map[string]func(*testing.T, store.Store){
	"CreateGet": func(t *testing.T, s store.Store) {
		want := newMachine("a")
		want.Status = ""
		res, err := s.CreateStateMachine(ctx(t), &store.CreateStateMachineParams{
			StateMachine: want,
			Tags:         []store.Tag{{Key: "team", Value: "x"}},
		})
		mustNil(t, err, "create")
		want.Status = store.StatusActive
		mustEqual(t, res.StateMachine, want, "created record")
		if res.Version != nil {
			t.Fatalf("version published without Publish: %+v", res.Version)
		}
		got, err := s.GetStateMachine(ctx(t), want.ARN)
		mustNil(t, err, "get")
		mustEqual(t, *got, want, "read back")
		tags, err := s.ListTags(ctx(t), want.ARN)
		mustNil(t, err, "tags")
		mustEqual(t, tags, []store.Tag{{Key: "team", Value: "x"}}, "tags")
	},
	"CreateDuplicate": func(t *testing.T, s store.Store) {
		createMachine(t, s, "a")
		_, err := s.CreateStateMachine(ctx(t), &store.CreateStateMachineParams{StateMachine: newMachine("a")})
		mustIs(t, err, store.ErrAlreadyExists, "second create")
	},
	"CreateInvalid": func(t *testing.T, s store.Store) {
		_, err := s.CreateStateMachine(ctx(t), &store.CreateStateMachineParams{})
		mustIs(t, err, store.ErrInvalidArgument, "create without ARN")
	},
	"GetMissing": func(t *testing.T, s store.Store) {
		_, err := s.GetStateMachine(ctx(t), smARN("nope"))
		mustIs(t, err, store.ErrNotFound, "get")
	},
	"Update": func(t *testing.T, s store.Store) {
		sm := createMachine(t, s, "a")
		def, desc := `{"StartAt":"B"}`, ""
		res, err := s.UpdateStateMachine(ctx(t), &store.UpdateStateMachineParams{
			ARN:                  sm.ARN,
			Definition:           &def,
			Description:          &desc,
			TracingConfiguration: []byte(`{"enabled":true}`),
			RevisionID:           "rev-2",
			UpdateDate:           at(10),
		})
		mustNil(t, err, "update")
		want := sm
		want.Definition, want.Description, want.RevisionID = def, "", "rev-2"
		want.TracingConfiguration = []byte(`{"enabled":true}`)
		want.UpdateDate = at(10)
		mustEqual(t, res.StateMachine, want, "update result")
		got, err := s.GetStateMachine(ctx(t), sm.ARN)
		mustNil(t, err, "get")
		mustEqual(t, *got, want, "read back")

		status := store.StatusDeleting
		_, err = s.UpdateStateMachine(ctx(t), &store.UpdateStateMachineParams{ARN: sm.ARN, Status: &status, UpdateDate: at(11)})
		mustNil(t, err, "update status")
		got, err = s.GetStateMachine(ctx(t), sm.ARN)
		mustNil(t, err, "get")
		if got.Status != store.StatusDeleting || got.RevisionID != "rev-2" {
			t.Fatalf("after status update: status %q revision %q", got.Status, got.RevisionID)
		}
	},
	"UpdateMissing": func(t *testing.T, s store.Store) {
		_, err := s.UpdateStateMachine(ctx(t), &store.UpdateStateMachineParams{ARN: smARN("nope")})
		mustIs(t, err, store.ErrNotFound, "update")
	},
	"Delete": func(t *testing.T, s store.Store) {
		sm := createMachine(t, s, "a")
		other := createMachine(t, s, "b")
		_, err := s.PublishVersion(ctx(t), &store.PublishVersionParams{StateMachineARN: sm.ARN, CreationDate: at(1)})
		mustNil(t, err, "publish")
		_, err = s.CreateAlias(ctx(t), &store.CreateAliasParams{Alias: newAlias(sm.ARN, "live")})
		mustNil(t, err, "alias")
		_, err = s.CreateAlias(ctx(t), &store.CreateAliasParams{Alias: newAlias(other.ARN, "live")})
		mustNil(t, err, "other alias")
		mustNil(t, s.TagResource(ctx(t), &store.TagResourceParams{ResourceARN: sm.ARN, Tags: []store.Tag{{Key: "k", Value: "v"}}}), "tag")
		e := startExecution(t, s, sm.ARN, "run", at(2))

		mustNil(t, s.DeleteStateMachine(ctx(t), sm.ARN), "delete")
		_, err = s.GetStateMachine(ctx(t), sm.ARN)
		mustIs(t, err, store.ErrNotFound, "get after delete")
		_, err = s.GetVersion(ctx(t), sm.ARN+":1")
		mustIs(t, err, store.ErrNotFound, "version after delete")
		_, err = s.GetAlias(ctx(t), sm.ARN+":live")
		mustIs(t, err, store.ErrNotFound, "alias after delete")
		tags, err := s.ListTags(ctx(t), sm.ARN)
		mustNil(t, err, "tags")
		if len(tags) != 0 {
			t.Fatalf("tags after delete: %v", tags)
		}
		getExecution(t, s, e.ARN) // executions outlive their state machine
		_, err = s.GetAlias(ctx(t), other.ARN+":live")
		mustNil(t, err, "other machine's alias")
		mustIs(t, s.DeleteStateMachine(ctx(t), sm.ARN), store.ErrNotFound, "second delete")
	},
	"List": func(t *testing.T, s store.Store) {
		var want []string
		for i := range 7 {
			want = append(want, createMachine(t, s, fmt.Sprintf("m%d", 6-i)).ARN)
		}
		sortStrings(want)
		for _, limit := range []int{1, 3, 7, 100} {
			got := collect(t, limit, func(p store.ListParams) (*store.Page[store.StateMachine], error) {
				return s.ListStateMachines(ctx(t), &p)
			})
			mustEqual(t, arns(got, func(m store.StateMachine) string { return m.ARN }), want, "limit "+strconv.Itoa(limit))
		}
	},
	"ListEmpty": func(t *testing.T, s store.Store) {
		pg, err := s.ListStateMachines(ctx(t), &store.ListParams{})
		mustNil(t, err, "list")
		if len(pg.Items) != 0 || pg.NextToken != "" {
			t.Fatalf("empty store lists %+v", pg)
		}
	},
	"ListTokenSurvivesDeletion": func(t *testing.T, s store.Store) {
		for i := range 4 {
			createMachine(t, s, fmt.Sprintf("m%d", i))
		}
		pg, err := s.ListStateMachines(ctx(t), &store.ListParams{Limit: 2})
		mustNil(t, err, "page 1")
		mustNil(t, s.DeleteStateMachine(ctx(t), smARN("m1")), "delete last listed")
		mustNil(t, s.DeleteStateMachine(ctx(t), smARN("m2")), "delete next")
		pg, err = s.ListStateMachines(ctx(t), &store.ListParams{Limit: 2, NextToken: pg.NextToken})
		mustNil(t, err, "page 2")
		mustEqual(t, arns(pg.Items, func(m store.StateMachine) string { return m.ARN }), []string{smARN("m3")}, "page 2")
	},
	"ListBadParams": func(t *testing.T, s store.Store) {
		_, err := s.ListStateMachines(ctx(t), &store.ListParams{NextToken: "garbage"})
		mustIs(t, err, store.ErrInvalidToken, "bad token")
		_, err = s.ListStateMachines(ctx(t), &store.ListParams{Limit: -1})
		mustIs(t, err, store.ErrInvalidArgument, "negative limit")
		createMachine(t, s, "a")
		createMachine(t, s, "b")
		pg, err := s.ListStateMachines(ctx(t), &store.ListParams{Limit: 1})
		mustNil(t, err, "list")
		_, err = s.ListActivities(ctx(t), &store.ListParams{NextToken: pg.NextToken})
		mustIs(t, err, store.ErrInvalidToken, "token of another listing")
	},
}

var versionTests = map[string]func(*testing.T, store.Store){
	"PublishOnCreate": func(t *testing.T, s store.Store) {
		sm := newMachine("a")
		res, err := s.CreateStateMachine(ctx(t), &store.CreateStateMachineParams{StateMachine: sm, Publish: true, VersionDescription: "first"})
		mustNil(t, err, "create")
		want := frozen(sm, 1, "first", sm.CreationDate)
		mustEqual(t, res.Version, &want, "published version")
		got, err := s.GetVersion(ctx(t), want.ARN)
		mustNil(t, err, "get version")
		mustEqual(t, *got, want, "read back")
	},
	"PublishOnUpdate": func(t *testing.T, s store.Store) {
		sm := createMachine(t, s, "a")
		def := `{"StartAt":"B"}`
		res, err := s.UpdateStateMachine(ctx(t), &store.UpdateStateMachineParams{
			ARN: sm.ARN, Definition: &def, RevisionID: "rev-2", UpdateDate: at(5), Publish: true, VersionDescription: "v",
		})
		mustNil(t, err, "update")
		sm.Definition, sm.RevisionID = def, "rev-2"
		want := frozen(sm, 1, "v", at(5))
		mustEqual(t, res.Version, &want, "published version")
	},
	"NumbersAndFreezing": func(t *testing.T, s store.Store) {
		sm := createMachine(t, s, "a")
		v1, err := s.PublishVersion(ctx(t), &store.PublishVersionParams{StateMachineARN: sm.ARN, Description: "one", CreationDate: at(1)})
		mustNil(t, err, "publish 1")
		again, err := s.PublishVersion(ctx(t), &store.PublishVersionParams{StateMachineARN: sm.ARN, Description: "dup", CreationDate: at(2)})
		mustNil(t, err, "publish same revision")
		mustEqual(t, again, v1, "publishing an unchanged revision returns the newest version")

		def := `{"StartAt":"B"}`
		_, err = s.UpdateStateMachine(ctx(t), &store.UpdateStateMachineParams{ARN: sm.ARN, Definition: &def, RevisionID: "rev-2", UpdateDate: at(3)})
		mustNil(t, err, "update")
		v2, err := s.PublishVersion(ctx(t), &store.PublishVersionParams{StateMachineARN: sm.ARN, CreationDate: at(4)})
		mustNil(t, err, "publish 2")
		if v2.Number != 2 || v2.ARN != sm.ARN+":2" || v2.Definition != def || v2.RevisionID != "rev-2" {
			t.Fatalf("second version: %+v", v2)
		}
		got, err := s.GetVersion(ctx(t), v1.ARN)
		mustNil(t, err, "get v1")
		if got.Definition != sm.Definition {
			t.Fatalf("version 1 did not keep its definition: %q", got.Definition)
		}

		mustNil(t, s.DeleteVersion(ctx(t), v2.ARN), "delete v2")
		mustIs(t, s.DeleteVersion(ctx(t), v2.ARN), store.ErrNotFound, "delete v2 again")
		def3 := `{"StartAt":"C"}`
		_, err = s.UpdateStateMachine(ctx(t), &store.UpdateStateMachineParams{ARN: sm.ARN, Definition: &def3, RevisionID: "rev-3", UpdateDate: at(5)})
		mustNil(t, err, "update")
		v3, err := s.PublishVersion(ctx(t), &store.PublishVersionParams{StateMachineARN: sm.ARN, CreationDate: at(6)})
		mustNil(t, err, "publish 3")
		if v3.Number != 3 {
			t.Fatalf("version after deleting 2 is numbered %d, want 3", v3.Number)
		}
	},
	"ExpectedRevision": func(t *testing.T, s store.Store) {
		sm := createMachine(t, s, "a")
		_, err := s.PublishVersion(ctx(t), &store.PublishVersionParams{StateMachineARN: sm.ARN, ExpectedRevisionID: "other"})
		mustIs(t, err, store.ErrConflict, "stale revision")
		v, err := s.PublishVersion(ctx(t), &store.PublishVersionParams{StateMachineARN: sm.ARN, ExpectedRevisionID: sm.RevisionID})
		mustNil(t, err, "current revision")
		if v.Number != 1 {
			t.Fatalf("number %d", v.Number)
		}
		_, err = s.PublishVersion(ctx(t), &store.PublishVersionParams{StateMachineARN: smARN("nope")})
		mustIs(t, err, store.ErrNotFound, "missing machine")
		_, err = s.GetVersion(ctx(t), sm.ARN+":9")
		mustIs(t, err, store.ErrNotFound, "missing version")
	},
	"List": func(t *testing.T, s store.Store) {
		sm := createMachine(t, s, "a")
		other := createMachine(t, s, "b")
		_, err := s.PublishVersion(ctx(t), &store.PublishVersionParams{StateMachineARN: other.ARN})
		mustNil(t, err, "publish other")
		var want []string
		for i := 1; i <= 5; i++ {
			rev := "rev-" + strconv.Itoa(i+1)
			_, err := s.UpdateStateMachine(ctx(t), &store.UpdateStateMachineParams{ARN: sm.ARN, RevisionID: rev, UpdateDate: at(i)})
			mustNil(t, err, "update")
			v, err := s.PublishVersion(ctx(t), &store.PublishVersionParams{StateMachineARN: sm.ARN, CreationDate: at(i)})
			mustNil(t, err, "publish")
			want = append([]string{v.ARN}, want...)
		}
		for _, limit := range []int{1, 2, 5, 10} {
			got := collect(t, limit, func(p store.ListParams) (*store.Page[store.Version], error) {
				return s.ListVersions(ctx(t), &store.ListVersionsParams{StateMachineARN: sm.ARN, ListParams: p})
			})
			mustEqual(t, arns(got, func(v store.Version) string { return v.ARN }), want, "newest first, limit "+strconv.Itoa(limit))
		}
	},
}

// frozen returns the version that publishing sm as number n produces.
func frozen(sm store.StateMachine, n int64, description string, date time.Time) store.Version {
	return store.Version{
		ARN:                  sm.ARN + ":" + strconv.FormatInt(n, 10),
		StateMachineARN:      sm.ARN,
		Number:               n,
		Description:          description,
		Definition:           sm.Definition,
		RoleARN:              sm.RoleARN,
		RevisionID:           sm.RevisionID,
		LoggingConfiguration: sm.LoggingConfiguration,
		TracingConfiguration: sm.TracingConfiguration,
		CreationDate:         date,
	}
}

func arns[T any](items []T, arn func(T) string) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, arn(it))
	}
	return out
}

func sortStrings(s []string) { slices.Sort(s) }
