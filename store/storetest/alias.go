package storetest

import (
	"fmt"
	"testing"

	"github.com/stepwise-run/stepwise/store"
)

func newAlias(sm, name string) store.Alias {
	return store.Alias{
		ARN:                  sm + ":" + name,
		StateMachineARN:      sm,
		Name:                 name,
		Description:          "alias " + name,
		RoutingConfiguration: []byte(`[{"stateMachineVersionArn":"` + sm + `:1","weight":100}]`),
		CreationDate:         at(1),
	}
}

var aliasTests = map[string]func(*testing.T, store.Store){
	"CreateGetUpdateDelete": func(t *testing.T, s store.Store) {
		sm := createMachine(t, s, "a")
		want := newAlias(sm.ARN, "live")
		got, err := s.CreateAlias(ctx(t), &store.CreateAliasParams{Alias: want})
		mustNil(t, err, "create")
		mustEqual(t, *got, want, "created")
		_, err = s.CreateAlias(ctx(t), &store.CreateAliasParams{Alias: want})
		mustIs(t, err, store.ErrAlreadyExists, "duplicate")

		desc := "new"
		got, err = s.UpdateAlias(ctx(t), &store.UpdateAliasParams{ARN: want.ARN, Description: &desc, UpdateDate: at(2)})
		mustNil(t, err, "update description")
		want.Description, want.UpdateDate = desc, at(2)
		mustEqual(t, *got, want, "updated")
		routing := []byte(`[{"stateMachineVersionArn":"` + sm.ARN + `:2","weight":100}]`)
		_, err = s.UpdateAlias(ctx(t), &store.UpdateAliasParams{ARN: want.ARN, RoutingConfiguration: routing, UpdateDate: at(3)})
		mustNil(t, err, "update routing")
		want.RoutingConfiguration, want.UpdateDate = routing, at(3)
		got, err = s.GetAlias(ctx(t), want.ARN)
		mustNil(t, err, "get")
		mustEqual(t, *got, want, "read back")

		mustNil(t, s.DeleteAlias(ctx(t), want.ARN), "delete")
		_, err = s.GetAlias(ctx(t), want.ARN)
		mustIs(t, err, store.ErrNotFound, "get after delete")
		mustIs(t, s.DeleteAlias(ctx(t), want.ARN), store.ErrNotFound, "second delete")
		_, err = s.UpdateAlias(ctx(t), &store.UpdateAliasParams{ARN: want.ARN, Description: &desc})
		mustIs(t, err, store.ErrNotFound, "update after delete")
	},
	"CreateWithoutMachine": func(t *testing.T, s store.Store) {
		_, err := s.CreateAlias(ctx(t), &store.CreateAliasParams{Alias: newAlias(smARN("nope"), "live")})
		mustIs(t, err, store.ErrNotFound, "create")
	},
	"List": func(t *testing.T, s store.Store) {
		sm := createMachine(t, s, "a")
		other := createMachine(t, s, "b")
		_, err := s.CreateAlias(ctx(t), &store.CreateAliasParams{Alias: newAlias(other.ARN, "x")})
		mustNil(t, err, "other alias")
		var want []string
		for i := range 5 {
			a, err := s.CreateAlias(ctx(t), &store.CreateAliasParams{Alias: newAlias(sm.ARN, fmt.Sprintf("n%d", 4-i))})
			mustNil(t, err, "create")
			want = append(want, a.ARN)
		}
		sortStrings(want)
		for _, limit := range []int{1, 2, 5} {
			got := collect(t, limit, func(p store.ListParams) (*store.Page[store.Alias], error) {
				return s.ListAliases(ctx(t), &store.ListAliasesParams{StateMachineARN: sm.ARN, ListParams: p})
			})
			mustEqual(t, arns(got, func(a store.Alias) string { return a.ARN }), want, "aliases")
		}
	},
}

var tagTests = map[string]func(*testing.T, store.Store){
	"TagUntagList": func(t *testing.T, s store.Store) {
		arn := smARN("a")
		tags, err := s.ListTags(ctx(t), arn)
		mustNil(t, err, "list untagged")
		if len(tags) != 0 {
			t.Fatalf("untagged resource has tags %v", tags)
		}
		mustNil(t, s.TagResource(ctx(t), &store.TagResourceParams{ResourceARN: arn, Tags: []store.Tag{{Key: "b", Value: "1"}, {Key: "a", Value: "2"}}}), "tag")
		mustNil(t, s.TagResource(ctx(t), &store.TagResourceParams{ResourceARN: arn, Tags: []store.Tag{{Key: "b", Value: "3"}, {Key: "c", Value: ""}}}), "retag")
		mustNil(t, s.TagResource(ctx(t), &store.TagResourceParams{ResourceARN: smARN("other"), Tags: []store.Tag{{Key: "z", Value: "z"}}}), "tag other")
		tags, err = s.ListTags(ctx(t), arn)
		mustNil(t, err, "list")
		mustEqual(t, tags, []store.Tag{{Key: "a", Value: "2"}, {Key: "b", Value: "3"}, {Key: "c", Value: ""}}, "tags in key order")
		mustNil(t, s.UntagResource(ctx(t), &store.UntagResourceParams{ResourceARN: arn, Keys: []string{"a", "missing"}}), "untag")
		tags, err = s.ListTags(ctx(t), arn)
		mustNil(t, err, "list")
		mustEqual(t, tags, []store.Tag{{Key: "b", Value: "3"}, {Key: "c", Value: ""}}, "after untag")
	},
}

func newActivity(name string) store.Activity {
	return store.Activity{ARN: activityARN(name), Name: name, CreationDate: at(0)}
}

var activityTests = map[string]func(*testing.T, store.Store){
	"CreateGetDelete": func(t *testing.T, s store.Store) {
		want := newActivity("work")
		got, err := s.CreateActivity(ctx(t), &store.CreateActivityParams{Activity: want, Tags: []store.Tag{{Key: "k", Value: "v"}}})
		mustNil(t, err, "create")
		mustEqual(t, *got, want, "created")
		_, err = s.CreateActivity(ctx(t), &store.CreateActivityParams{Activity: want})
		mustIs(t, err, store.ErrAlreadyExists, "duplicate")
		got, err = s.GetActivity(ctx(t), want.ARN)
		mustNil(t, err, "get")
		mustEqual(t, *got, want, "read back")
		tags, err := s.ListTags(ctx(t), want.ARN)
		mustNil(t, err, "tags")
		mustEqual(t, tags, []store.Tag{{Key: "k", Value: "v"}}, "tags")

		mustNil(t, s.DeleteActivity(ctx(t), want.ARN), "delete")
		_, err = s.GetActivity(ctx(t), want.ARN)
		mustIs(t, err, store.ErrNotFound, "get after delete")
		tags, err = s.ListTags(ctx(t), want.ARN)
		mustNil(t, err, "tags after delete")
		if len(tags) != 0 {
			t.Fatalf("tags survive delete: %v", tags)
		}
		mustIs(t, s.DeleteActivity(ctx(t), want.ARN), store.ErrNotFound, "second delete")
		_, err = s.CreateActivity(ctx(t), &store.CreateActivityParams{})
		mustIs(t, err, store.ErrInvalidArgument, "create without ARN")
	},
	"List": func(t *testing.T, s store.Store) {
		var want []string
		for i := range 6 {
			a, err := s.CreateActivity(ctx(t), &store.CreateActivityParams{Activity: newActivity(fmt.Sprintf("a%d", 5-i))})
			mustNil(t, err, "create")
			want = append(want, a.ARN)
		}
		sortStrings(want)
		for _, limit := range []int{1, 4, 6} {
			got := collect(t, limit, func(p store.ListParams) (*store.Page[store.Activity], error) {
				return s.ListActivities(ctx(t), &p)
			})
			mustEqual(t, arns(got, func(a store.Activity) string { return a.ARN }), want, "activities")
		}
	},
}
