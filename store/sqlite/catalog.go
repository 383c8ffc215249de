package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/stepwise-run/stepwise/store/internal/cursor"
	"math"
	"strconv"
	"time"

	"github.com/stepwise-run/stepwise/store"
)

const machineColumns = `arn, name, type, definition, role_arn, description, logging, tracing, revision_id, status, created_ns, updated_ns`

func scanMachine(row interface{ Scan(...any) error }) (store.StateMachine, int64, error) {
	var sm store.StateMachine
	var created, updated, last int64
	err := row.Scan(&sm.ARN, &sm.Name, &sm.Type, &sm.Definition, &sm.RoleARN, &sm.Description,
		&sm.LoggingConfiguration, &sm.TracingConfiguration, &sm.RevisionID, &sm.Status, &created, &updated, &last)
	sm.CreationDate, sm.UpdateDate = fromNS(created), fromNS(updated)
	return sm, last, err
}

// CreateStateMachine implements store.Store.
func (s *Store) CreateStateMachine(ctx context.Context, p *store.CreateStateMachineParams) (*store.StateMachineResult, error) {
	sm := p.StateMachine
	if sm.ARN == "" || sm.Name == "" {
		return nil, fmt.Errorf("create state machine: needs an ARN and a name: %w", store.ErrInvalidArgument)
	}
	if sm.Status == "" {
		sm.Status = store.StatusActive
	}
	var res *store.StateMachineResult
	err := s.write(ctx, func(w *wtx) error {
		if exists, err := w.exists(`SELECT 1 FROM state_machines WHERE arn = ?`, sm.ARN); err != nil || exists {
			return errOr(err, fmt.Errorf("create state machine %s: %w", sm.ARN, store.ErrAlreadyExists))
		}
		if _, err := w.exec(`INSERT INTO state_machines (`+machineColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
			sm.ARN, sm.Name, sm.Type, sm.Definition, sm.RoleARN, sm.Description, sm.LoggingConfiguration,
			sm.TracingConfiguration, sm.RevisionID, sm.Status, ns(sm.CreationDate)); err != nil {
			return err
		}
		if err := w.addTags(sm.ARN, p.Tags); err != nil {
			return err
		}
		r, err := w.machineResult(sm.ARN, p.Publish, p.VersionDescription, sm.CreationDate)
		res = r
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// machineResult reads a state machine back inside w, publishing a version
// first if asked.
func (w *wtx) machineResult(arn string, publish bool, description string, date time.Time) (*store.StateMachineResult, error) {
	res := &store.StateMachineResult{}
	if publish {
		v, err := w.publish(arn, description, "", date)
		if err != nil {
			return nil, err
		}
		res.Version = v
	}
	sm, _, err := scanMachine(w.queryRow(`SELECT `+machineColumns+`, last_version FROM state_machines WHERE arn = ?`, arn))
	if err != nil {
		return nil, fmt.Errorf("read state machine %s: %w", arn, notFoundIf(err))
	}
	res.StateMachine = sm
	return res, nil
}

// GetStateMachine implements store.Store.
func (s *Store) GetStateMachine(ctx context.Context, arn string) (*store.StateMachine, error) {
	db, err := s.reader(ctx)
	if err != nil {
		return nil, err
	}
	sm, _, err := scanMachine(db.QueryRowContext(ctx, `SELECT `+machineColumns+`, last_version FROM state_machines WHERE arn = ?`, arn))
	if err != nil {
		return nil, fmt.Errorf("get state machine %s: %w", arn, notFoundIf(err))
	}
	return &sm, nil
}

// UpdateStateMachine implements store.Store.
func (s *Store) UpdateStateMachine(ctx context.Context, p *store.UpdateStateMachineParams) (*store.StateMachineResult, error) {
	var res *store.StateMachineResult
	err := s.write(ctx, func(w *wtx) error {
		sets := []string{"updated_ns = ?"}
		args := []any{ns(p.UpdateDate)}
		set := func(col string, v any) { sets = append(sets, col+" = ?"); args = append(args, v) }
		if p.Definition != nil {
			set("definition", *p.Definition)
		}
		if p.RoleARN != nil {
			set("role_arn", *p.RoleARN)
		}
		if p.Description != nil {
			set("description", *p.Description)
		}
		if p.LoggingConfiguration != nil {
			set("logging", p.LoggingConfiguration)
		}
		if p.TracingConfiguration != nil {
			set("tracing", p.TracingConfiguration)
		}
		if p.Status != nil {
			set("status", *p.Status)
		}
		if p.RevisionID != "" {
			set("revision_id", p.RevisionID)
		}
		query := `UPDATE state_machines SET ` + join(sets) + ` WHERE arn = ?`
		r, err := w.tx.ExecContext(w.ctx, query, append(args, p.ARN)...)
		if err := affected(r, err, "update state machine "+p.ARN, store.ErrNotFound); err != nil {
			return err
		}
		res, err = w.machineResult(p.ARN, p.Publish, p.VersionDescription, p.UpdateDate)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// DeleteStateMachine implements store.Store.
func (s *Store) DeleteStateMachine(ctx context.Context, arn string) error {
	return s.write(ctx, func(w *wtx) error {
		r, err := w.exec(`DELETE FROM state_machines WHERE arn = ?`, arn)
		if err := affected(r, err, "delete state machine "+arn, store.ErrNotFound); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM versions WHERE state_machine_arn = ?`,
			`DELETE FROM aliases WHERE state_machine_arn = ?`,
			`DELETE FROM tags WHERE resource_arn = ?`,
		} {
			if _, err := w.exec(q, arn); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListStateMachines implements store.Store.
func (s *Store) ListStateMachines(ctx context.Context, p *store.ListParams) (*store.Page[store.StateMachine], error) {
	after, err := cursor.DecodeString(p.NextToken, "statemachines")
	if err != nil {
		return nil, err
	}
	return list(ctx, s, p.Limit, "statemachines",
		`SELECT `+machineColumns+`, last_version FROM state_machines WHERE arn > ? ORDER BY arn LIMIT ?`,
		[]any{after},
		func(rows *sql.Rows) (store.StateMachine, error) { sm, _, err := scanMachine(rows); return sm, err },
		func(sm *store.StateMachine) []string { return []string{sm.ARN} })
}

const versionColumns = `arn, state_machine_arn, number, description, definition, role_arn, revision_id, logging, tracing, created_ns`

func scanVersion(row interface{ Scan(...any) error }) (store.Version, error) {
	var v store.Version
	var created int64
	err := row.Scan(&v.ARN, &v.StateMachineARN, &v.Number, &v.Description, &v.Definition, &v.RoleARN,
		&v.RevisionID, &v.LoggingConfiguration, &v.TracingConfiguration, &created)
	v.CreationDate = fromNS(created)
	return v, err
}

// PublishVersion implements store.Store.
func (s *Store) PublishVersion(ctx context.Context, p *store.PublishVersionParams) (*store.Version, error) {
	var v *store.Version
	err := s.write(ctx, func(w *wtx) error {
		var err error
		v, err = w.publish(p.StateMachineARN, p.Description, p.ExpectedRevisionID, p.CreationDate)
		return err
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// publish freezes a state machine as a new version, or returns its newest
// version if that already froze the current revision.
func (w *wtx) publish(arn, description, expectedRevision string, date time.Time) (*store.Version, error) {
	sm, last, err := scanMachine(w.queryRow(`SELECT `+machineColumns+`, last_version FROM state_machines WHERE arn = ?`, arn))
	if err != nil {
		return nil, fmt.Errorf("publish version of %s: %w", arn, notFoundIf(err))
	}
	if expectedRevision != "" && expectedRevision != sm.RevisionID {
		return nil, fmt.Errorf("publish version of %s: revision is %s, not %s: %w", arn, sm.RevisionID, expectedRevision, store.ErrConflict)
	}
	newest, err := scanVersion(w.queryRow(`SELECT `+versionColumns+` FROM versions WHERE state_machine_arn = ? ORDER BY number DESC LIMIT 1`, arn))
	switch {
	case err == nil && newest.RevisionID == sm.RevisionID:
		return &newest, nil
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return nil, err
	}
	v := store.Version{
		ARN:                  arn + ":" + strconv.FormatInt(last+1, 10),
		StateMachineARN:      arn,
		Number:               last + 1,
		Description:          description,
		Definition:           sm.Definition,
		RoleARN:              sm.RoleARN,
		RevisionID:           sm.RevisionID,
		LoggingConfiguration: sm.LoggingConfiguration,
		TracingConfiguration: sm.TracingConfiguration,
		CreationDate:         fromNS(ns(date)),
	}
	if _, err := w.exec(`UPDATE state_machines SET last_version = ? WHERE arn = ?`, v.Number, arn); err != nil {
		return nil, err
	}
	if _, err := w.exec(`INSERT INTO versions (`+versionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		v.ARN, v.StateMachineARN, v.Number, v.Description, v.Definition, v.RoleARN, v.RevisionID,
		v.LoggingConfiguration, v.TracingConfiguration, ns(date)); err != nil {
		return nil, err
	}
	return &v, nil
}

// GetVersion implements store.Store.
func (s *Store) GetVersion(ctx context.Context, arn string) (*store.Version, error) {
	db, err := s.reader(ctx)
	if err != nil {
		return nil, err
	}
	v, err := scanVersion(db.QueryRowContext(ctx, `SELECT `+versionColumns+` FROM versions WHERE arn = ?`, arn))
	if err != nil {
		return nil, fmt.Errorf("get version %s: %w", arn, notFoundIf(err))
	}
	return &v, nil
}

// DeleteVersion implements store.Store.
func (s *Store) DeleteVersion(ctx context.Context, arn string) error {
	return s.write(ctx, func(w *wtx) error {
		r, err := w.exec(`DELETE FROM versions WHERE arn = ?`, arn)
		return affected(r, err, "delete version "+arn, store.ErrNotFound)
	})
}

// ListVersions implements store.Store.
func (s *Store) ListVersions(ctx context.Context, p *store.ListVersionsParams) (*store.Page[store.Version], error) {
	before, err := cursor.DecodeInt(p.NextToken, "versions", math.MaxInt64)
	if err != nil {
		return nil, err
	}
	return list(ctx, s, p.Limit, "versions",
		`SELECT `+versionColumns+` FROM versions WHERE state_machine_arn = ? AND number < ? ORDER BY number DESC LIMIT ?`,
		[]any{p.StateMachineARN, before},
		func(rows *sql.Rows) (store.Version, error) { return scanVersion(rows) },
		func(v *store.Version) []string { return []string{strconv.FormatInt(v.Number, 10)} })
}

const aliasColumns = `arn, state_machine_arn, name, description, routing, created_ns, updated_ns`

func scanAlias(row interface{ Scan(...any) error }) (store.Alias, error) {
	var a store.Alias
	var created, updated int64
	err := row.Scan(&a.ARN, &a.StateMachineARN, &a.Name, &a.Description, &a.RoutingConfiguration, &created, &updated)
	a.CreationDate, a.UpdateDate = fromNS(created), fromNS(updated)
	return a, err
}

// CreateAlias implements store.Store.
func (s *Store) CreateAlias(ctx context.Context, p *store.CreateAliasParams) (*store.Alias, error) {
	a := p.Alias
	if a.ARN == "" || a.Name == "" {
		return nil, fmt.Errorf("create alias: needs an ARN and a name: %w", store.ErrInvalidArgument)
	}
	err := s.write(ctx, func(w *wtx) error {
		if exists, err := w.exists(`SELECT 1 FROM state_machines WHERE arn = ?`, a.StateMachineARN); err != nil || !exists {
			return errOr(err, fmt.Errorf("create alias %s: state machine %s: %w", a.ARN, a.StateMachineARN, store.ErrNotFound))
		}
		if exists, err := w.exists(`SELECT 1 FROM aliases WHERE arn = ?`, a.ARN); err != nil || exists {
			return errOr(err, fmt.Errorf("create alias %s: %w", a.ARN, store.ErrAlreadyExists))
		}
		_, err := w.exec(`INSERT INTO aliases (`+aliasColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			a.ARN, a.StateMachineARN, a.Name, a.Description, a.RoutingConfiguration, ns(a.CreationDate), ns(a.UpdateDate))
		return err
	})
	if err != nil {
		return nil, err
	}
	a.CreationDate, a.UpdateDate = fromNS(ns(a.CreationDate)), fromNS(ns(a.UpdateDate))
	return &a, nil
}

// GetAlias implements store.Store.
func (s *Store) GetAlias(ctx context.Context, arn string) (*store.Alias, error) {
	db, err := s.reader(ctx)
	if err != nil {
		return nil, err
	}
	a, err := scanAlias(db.QueryRowContext(ctx, `SELECT `+aliasColumns+` FROM aliases WHERE arn = ?`, arn))
	if err != nil {
		return nil, fmt.Errorf("get alias %s: %w", arn, notFoundIf(err))
	}
	return &a, nil
}

// UpdateAlias implements store.Store.
func (s *Store) UpdateAlias(ctx context.Context, p *store.UpdateAliasParams) (*store.Alias, error) {
	var a store.Alias
	err := s.write(ctx, func(w *wtx) error {
		var desc any
		if p.Description != nil {
			desc = *p.Description
		}
		var routing any
		if p.RoutingConfiguration != nil {
			routing = p.RoutingConfiguration
		}
		r, err := w.exec(`UPDATE aliases SET description = coalesce(?, description), routing = coalesce(?, routing), updated_ns = ? WHERE arn = ?`,
			desc, routing, ns(p.UpdateDate), p.ARN)
		if err := affected(r, err, "update alias "+p.ARN, store.ErrNotFound); err != nil {
			return err
		}
		a, err = scanAlias(w.queryRow(`SELECT `+aliasColumns+` FROM aliases WHERE arn = ?`, p.ARN))
		return err
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// DeleteAlias implements store.Store.
func (s *Store) DeleteAlias(ctx context.Context, arn string) error {
	return s.write(ctx, func(w *wtx) error {
		r, err := w.exec(`DELETE FROM aliases WHERE arn = ?`, arn)
		return affected(r, err, "delete alias "+arn, store.ErrNotFound)
	})
}

// ListAliases implements store.Store.
func (s *Store) ListAliases(ctx context.Context, p *store.ListAliasesParams) (*store.Page[store.Alias], error) {
	after, err := cursor.DecodeString(p.NextToken, "aliases")
	if err != nil {
		return nil, err
	}
	return list(ctx, s, p.Limit, "aliases",
		`SELECT `+aliasColumns+` FROM aliases WHERE state_machine_arn = ? AND arn > ? ORDER BY arn LIMIT ?`,
		[]any{p.StateMachineARN, after},
		func(rows *sql.Rows) (store.Alias, error) { return scanAlias(rows) },
		func(a *store.Alias) []string { return []string{a.ARN} })
}

// TagResource implements store.Store.
func (s *Store) TagResource(ctx context.Context, p *store.TagResourceParams) error {
	return s.write(ctx, func(w *wtx) error { return w.addTags(p.ResourceARN, p.Tags) })
}

func (w *wtx) addTags(arn string, tags []store.Tag) error {
	for _, t := range tags {
		if _, err := w.exec(`INSERT INTO tags (resource_arn, key, value) VALUES (?, ?, ?)
			ON CONFLICT (resource_arn, key) DO UPDATE SET value = excluded.value`, arn, t.Key, t.Value); err != nil {
			return fmt.Errorf("tag %s: %w", arn, err)
		}
	}
	return nil
}

// UntagResource implements store.Store.
func (s *Store) UntagResource(ctx context.Context, p *store.UntagResourceParams) error {
	return s.write(ctx, func(w *wtx) error {
		for _, k := range p.Keys {
			if _, err := w.exec(`DELETE FROM tags WHERE resource_arn = ? AND key = ?`, p.ResourceARN, k); err != nil {
				return fmt.Errorf("untag %s: %w", p.ResourceARN, err)
			}
		}
		return nil
	})
}

// ListTags implements store.Store.
func (s *Store) ListTags(ctx context.Context, resourceARN string) ([]store.Tag, error) {
	db, err := s.reader(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT key, value FROM tags WHERE resource_arn = ? ORDER BY key`, resourceARN)
	if err != nil {
		return nil, fmt.Errorf("list tags of %s: %w", resourceARN, err)
	}
	defer rows.Close()
	tags := []store.Tag{}
	for rows.Next() {
		var t store.Tag
		if err := rows.Scan(&t.Key, &t.Value); err != nil {
			return nil, err
		}
		tags = append(tags, t)
	}
	return tags, rows.Err()
}
