package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stepwise-run/stepwise/store"
)

var redriveTokenTests = map[string]func(*testing.T, store.Store){
	"PutGet": func(t *testing.T, s store.Store) {
		x := execARN(smARN("a"), "run")
		want := store.RedriveToken{ExecutionARN: x, Token: "tok", RedriveDate: at(2), FirstUsed: at(1)}
		putToken(t, s, want, 0, time.Time{})
		mustEqual(t, *getToken(t, s, x, "tok"), want, "read back")
		_, err := s.GetRedriveToken(ctx(t), x, "other")
		mustIs(t, err, store.ErrNotFound, "unknown token")
		_, err = s.GetRedriveToken(ctx(t), execARN(smARN("a"), "other"), "tok")
		mustIs(t, err, store.ErrNotFound, "same token, other execution")
		_, err = s.GetRedriveToken(ctx(t), x, "TOK")
		mustIs(t, err, store.ErrNotFound, "tokens are case-sensitive")
	},
	"PutReplaces": func(t *testing.T, s store.Store) {
		x := execARN(smARN("a"), "run")
		putToken(t, s, store.RedriveToken{ExecutionARN: x, Token: "tok", RedriveDate: at(2), FirstUsed: at(1)}, 10, time.Time{})
		want := store.RedriveToken{ExecutionARN: x, Token: "tok", RedriveDate: at(40), FirstUsed: at(39)}
		putToken(t, s, want, 10, time.Time{})
		mustEqual(t, *getToken(t, s, x, "tok"), want, "replaced")
	},
	"KeepNewest": func(t *testing.T, s store.Store) {
		x, other := execARN(smARN("a"), "run"), execARN(smARN("a"), "other")
		putToken(t, s, store.RedriveToken{ExecutionARN: other, Token: "t0", RedriveDate: at(0), FirstUsed: at(0)}, 1, time.Time{})
		for i := range 12 {
			putToken(t, s, store.RedriveToken{ExecutionARN: x, Token: fmt.Sprint("t", i), RedriveDate: at(i), FirstUsed: at(i)}, 10, time.Time{})
		}
		for i := range 12 {
			_, err := s.GetRedriveToken(ctx(t), x, fmt.Sprint("t", i))
			if i < 2 {
				mustIs(t, err, store.ErrNotFound, fmt.Sprint("token ", i, " of 12, keeping 10"))
			} else {
				mustNil(t, err, fmt.Sprint("token ", i, " of 12, keeping 10"))
			}
		}
		getToken(t, s, other, "t0") // another execution's tokens are its own
	},
	"KeepTiesByOrderOfRecording": func(t *testing.T, s store.Store) {
		x := execARN(smARN("a"), "run")
		for _, tok := range []string{"c", "a", "b"} {
			putToken(t, s, store.RedriveToken{ExecutionARN: x, Token: tok, RedriveDate: at(1), FirstUsed: at(1)}, 3, time.Time{})
		}
		// Recording "c" again makes it the newest; "a" is now the oldest.
		putToken(t, s, store.RedriveToken{ExecutionARN: x, Token: "c", RedriveDate: at(1), FirstUsed: at(1)}, 3, time.Time{})
		putToken(t, s, store.RedriveToken{ExecutionARN: x, Token: "d", RedriveDate: at(1), FirstUsed: at(1)}, 3, time.Time{})
		_, err := s.GetRedriveToken(ctx(t), x, "a")
		mustIs(t, err, store.ErrNotFound, "oldest recorded")
		for _, tok := range []string{"b", "c", "d"} {
			getToken(t, s, x, tok)
		}
	},
	"ExpireBefore": func(t *testing.T, s store.Store) {
		x := execARN(smARN("a"), "run")
		putToken(t, s, store.RedriveToken{ExecutionARN: x, Token: "old", RedriveDate: at(1), FirstUsed: at(1)}, 0, time.Time{})
		putToken(t, s, store.RedriveToken{ExecutionARN: x, Token: "edge", RedriveDate: at(10), FirstUsed: at(10)}, 0, time.Time{})
		putToken(t, s, store.RedriveToken{ExecutionARN: x, Token: "new", RedriveDate: at(20), FirstUsed: at(20)}, 0, at(10))
		_, err := s.GetRedriveToken(ctx(t), x, "old")
		mustIs(t, err, store.ErrNotFound, "expired token")
		getToken(t, s, x, "edge") // first used exactly at ExpireBefore: kept
		getToken(t, s, x, "new")
	},
	"Closed": func(t *testing.T, s store.Store) {
		x := execARN(smARN("a"), "run")
		mustNil(t, s.Close(), "close")
		mustIs(t, s.PutRedriveToken(ctx(t), &store.PutRedriveTokenParams{RedriveToken: store.RedriveToken{ExecutionARN: x, Token: "tok"}}),
			store.ErrClosed, "put after close")
		_, err := s.GetRedriveToken(ctx(t), x, "tok")
		mustIs(t, err, store.ErrClosed, "get after close")
	},
	"InvalidArgument": func(t *testing.T, s store.Store) {
		err := s.PutRedriveToken(ctx(t), &store.PutRedriveTokenParams{RedriveToken: store.RedriveToken{ExecutionARN: execARN(smARN("a"), "run")}})
		mustIs(t, err, store.ErrInvalidArgument, "empty token")
		err = s.PutRedriveToken(ctx(t), &store.PutRedriveTokenParams{RedriveToken: store.RedriveToken{Token: "tok"}})
		mustIs(t, err, store.ErrInvalidArgument, "empty execution ARN")
	},
}

func putToken(t *testing.T, s store.Store, tok store.RedriveToken, keep int, expireBefore time.Time) {
	t.Helper()
	mustNil(t, s.PutRedriveToken(ctx(t), &store.PutRedriveTokenParams{RedriveToken: tok, Keep: keep, ExpireBefore: expireBefore}),
		"put redrive token "+tok.Token)
}

func getToken(t *testing.T, s store.Store, executionARN, token string) *store.RedriveToken {
	t.Helper()
	got, err := s.GetRedriveToken(ctx(t), executionARN, token)
	mustNil(t, err, "get redrive token "+token)
	return got
}
