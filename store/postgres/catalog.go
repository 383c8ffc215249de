package postgres

import (
	"context"
	"errors"
	"fmt"
	"github.com/stepwise-run/stepwise/store/internal/cursor"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/stepwise-run/stepwise/store"
)

const machineColumns = `arn, name, type, definition, role_arn, description, logging, tracing, revision_id, status, created_ns, updated_ns`

func scanMachine(row pgx.Row) (store.StateMachine, int64, error) {
	var sm store.StateMachine
	var created, updated, last int64
	err := row.Scan(&sm.ARN, &sm.Name, &sm.Type, &sm.Definition, &sm.RoleARN, &sm.Description,
		&sm.LoggingConfiguration, &sm.TracingConfiguration, &sm.RevisionID, &sm.Status, &created, &updated, &last)
	sm.CreationDate, sm.UpdateDate = fromNS(created), fromNS(updated)
	return sm, last, err
}

const selectMachine = `SELECT ` + machineColumns + `, last_version FROM state_machines WHERE arn = $1`

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
	err := s.write(ctx, func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO state_machines (`+machineColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0)
			ON CONFLICT DO NOTHING`,
			sm.ARN, sm.Name, sm.Type, sm.Definition, sm.RoleARN, sm.Description, sm.LoggingConfiguration,
			sm.TracingConfiguration, sm.RevisionID, sm.Status, ns(sm.CreationDate))
		if err := affected(tag, err, "create state machine "+sm.ARN, store.ErrAlreadyExists); err != nil {
			return err
		}
		if err := addTags(ctx, tx, sm.ARN, p.Tags); err != nil {
			return err
		}
		res, err = machineResult(ctx, tx, sm.ARN, p.Publish, p.VersionDescription, sm.CreationDate)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// machineResult reads a state machine back inside tx, publishing a version
// first if asked.
func machineResult(ctx context.Context, tx pgx.Tx, arn string, publish bool, description string, date time.Time) (*store.StateMachineResult, error) {
	res := &store.StateMachineResult{}
	if publish {
		v, err := publishIn(ctx, tx, arn, description, "", date)
		if err != nil {
			return nil, err
		}
		res.Version = v
	}
	sm, _, err := scanMachine(tx.QueryRow(ctx, selectMachine, arn))
	if err != nil {
		return nil, fmt.Errorf("read state machine %s: %w", arn, notFoundIf(err))
	}
	res.StateMachine = sm
	return res, nil
}

// GetStateMachine implements store.Store.
func (s *Store) GetStateMachine(ctx context.Context, arn string) (*store.StateMachine, error) {
	var sm store.StateMachine
	err := s.read(ctx, func(q querier) error {
		var err error
		sm, _, err = scanMachine(q.QueryRow(ctx, selectMachine, arn))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("get state machine %s: %w", arn, notFoundIf(err))
	}
	return &sm, nil
}

// UpdateStateMachine implements store.Store.
func (s *Store) UpdateStateMachine(ctx context.Context, p *store.UpdateStateMachineParams) (*store.StateMachineResult, error) {
	var res *store.StateMachineResult
	err := s.write(ctx, func(ctx context.Context, tx pgx.Tx) error {
		args := []any{ns(p.UpdateDate)}
		sets := []string{"updated_ns = $1"}
		set := func(col string, v any) {
			args = append(args, v)
			sets = append(sets, col+" = $"+strconv.Itoa(len(args)))
		}
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
		args = append(args, p.ARN)
		tag, err := tx.Exec(ctx, `UPDATE state_machines SET `+strings.Join(sets, ", ")+` WHERE arn = $`+strconv.Itoa(len(args)), args...)
		if err := affected(tag, err, "update state machine "+p.ARN, store.ErrNotFound); err != nil {
			return err
		}
		res, err = machineResult(ctx, tx, p.ARN, p.Publish, p.VersionDescription, p.UpdateDate)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// DeleteStateMachine implements store.Store.
func (s *Store) DeleteStateMachine(ctx context.Context, arn string) error {
	return s.write(ctx, func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM state_machines WHERE arn = $1`, arn)
		if err := affected(tag, err, "delete state machine "+arn, store.ErrNotFound); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM versions WHERE state_machine_arn = $1`,
			`DELETE FROM aliases WHERE state_machine_arn = $1`,
			`DELETE FROM tags WHERE resource_arn = $1`,
		} {
			if _, err := tx.Exec(ctx, q, arn); err != nil {
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
		`SELECT `+machineColumns+`, last_version FROM state_machines WHERE arn > $1 ORDER BY arn LIMIT $2`,
		[]any{after},
		func(rows pgx.Rows) (store.StateMachine, error) { sm, _, err := scanMachine(rows); return sm, err },
		func(sm *store.StateMachine) []string { return []string{sm.ARN} })
}

const versionColumns = `arn, state_machine_arn, number, description, definition, role_arn, revision_id, logging, tracing, created_ns`

func scanVersion(row pgx.Row) (store.Version, error) {
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
	err := s.write(ctx, func(ctx context.Context, tx pgx.Tx) error {
		var err error
		v, err = publishIn(ctx, tx, p.StateMachineARN, p.Description, p.ExpectedRevisionID, p.CreationDate)
		return err
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// publishIn freezes a state machine as a new version, or returns its newest
// version if that already froze the current revision. The state machine's
// row lock serialises publications.
func publishIn(ctx context.Context, tx pgx.Tx, arn, description, expectedRevision string, date time.Time) (*store.Version, error) {
	sm, last, err := scanMachine(tx.QueryRow(ctx, selectMachine+` FOR UPDATE`, arn))
	if err != nil {
		return nil, fmt.Errorf("publish version of %s: %w", arn, notFoundIf(err))
	}
	if expectedRevision != "" && expectedRevision != sm.RevisionID {
		return nil, fmt.Errorf("publish version of %s: revision is %s, not %s: %w", arn, sm.RevisionID, expectedRevision, store.ErrConflict)
	}
	newest, err := scanVersion(tx.QueryRow(ctx, `SELECT `+versionColumns+` FROM versions WHERE state_machine_arn = $1 ORDER BY number DESC LIMIT 1`, arn))
	switch {
	case err == nil && newest.RevisionID == sm.RevisionID:
		return &newest, nil
	case err != nil && !errors.Is(err, pgx.ErrNoRows):
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
	if _, err := tx.Exec(ctx, `UPDATE state_machines SET last_version = $1 WHERE arn = $2`, v.Number, arn); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO versions (`+versionColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		v.ARN, v.StateMachineARN, v.Number, v.Description, v.Definition, v.RoleARN, v.RevisionID,
		v.LoggingConfiguration, v.TracingConfiguration, ns(date)); err != nil {
		return nil, err
	}
	return &v, nil
}

// GetVersion implements store.Store.
func (s *Store) GetVersion(ctx context.Context, arn string) (*store.Version, error) {
	var v store.Version
	err := s.read(ctx, func(q querier) error {
		var err error
		v, err = scanVersion(q.QueryRow(ctx, `SELECT `+versionColumns+` FROM versions WHERE arn = $1`, arn))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("get version %s: %w", arn, notFoundIf(err))
	}
	return &v, nil
}

// DeleteVersion implements store.Store.
func (s *Store) DeleteVersion(ctx context.Context, arn string) error {
	return s.write(ctx, func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM versions WHERE arn = $1`, arn)
		return affected(tag, err, "delete version "+arn, store.ErrNotFound)
	})
}

// ListVersions implements store.Store.
func (s *Store) ListVersions(ctx context.Context, p *store.ListVersionsParams) (*store.Page[store.Version], error) {
	before, err := cursor.DecodeInt(p.NextToken, "versions", math.MaxInt64)
	if err != nil {
		return nil, err
	}
	return list(ctx, s, p.Limit, "versions",
		`SELECT `+versionColumns+` FROM versions WHERE state_machine_arn = $1 AND number < $2 ORDER BY number DESC LIMIT $3`,
		[]any{p.StateMachineARN, before},
		func(rows pgx.Rows) (store.Version, error) { return scanVersion(rows) },
		func(v *store.Version) []string { return []string{strconv.FormatInt(v.Number, 10)} })
}

const aliasColumns = `arn, state_machine_arn, name, description, routing, created_ns, updated_ns`

func scanAlias(row pgx.Row) (store.Alias, error) {
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
	err := s.write(ctx, func(ctx context.Context, tx pgx.Tx) error {
		if ok, err := exists(ctx, tx, `SELECT 1 FROM state_machines WHERE arn = $1 FOR SHARE`, a.StateMachineARN); err != nil || !ok {
			if err != nil {
				return err
			}
			return fmt.Errorf("create alias %s: state machine %s: %w", a.ARN, a.StateMachineARN, store.ErrNotFound)
		}
		tag, err := tx.Exec(ctx, `INSERT INTO aliases (`+aliasColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
			a.ARN, a.StateMachineARN, a.Name, a.Description, a.RoutingConfiguration, ns(a.CreationDate), ns(a.UpdateDate))
		return affected(tag, err, "create alias "+a.ARN, store.ErrAlreadyExists)
	})
	if err != nil {
		return nil, err
	}
	a.CreationDate, a.UpdateDate = fromNS(ns(a.CreationDate)), fromNS(ns(a.UpdateDate))
	return &a, nil
}

// GetAlias implements store.Store.
func (s *Store) GetAlias(ctx context.Context, arn string) (*store.Alias, error) {
	var a store.Alias
	err := s.read(ctx, func(q querier) error {
		var err error
		a, err = scanAlias(q.QueryRow(ctx, `SELECT `+aliasColumns+` FROM aliases WHERE arn = $1`, arn))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("get alias %s: %w", arn, notFoundIf(err))
	}
	return &a, nil
}

// UpdateAlias implements store.Store.
func (s *Store) UpdateAlias(ctx context.Context, p *store.UpdateAliasParams) (*store.Alias, error) {
	var a store.Alias
	err := s.write(ctx, func(ctx context.Context, tx pgx.Tx) error {
		var err error
		a, err = scanAlias(tx.QueryRow(ctx, `UPDATE aliases SET description = coalesce($1, description),
			routing = coalesce($2, routing), updated_ns = $3 WHERE arn = $4 RETURNING `+aliasColumns,
			p.Description, p.RoutingConfiguration, ns(p.UpdateDate), p.ARN))
		if err != nil {
			return fmt.Errorf("update alias %s: %w", p.ARN, notFoundIf(err))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// DeleteAlias implements store.Store.
func (s *Store) DeleteAlias(ctx context.Context, arn string) error {
	return s.write(ctx, func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM aliases WHERE arn = $1`, arn)
		return affected(tag, err, "delete alias "+arn, store.ErrNotFound)
	})
}

// ListAliases implements store.Store.
func (s *Store) ListAliases(ctx context.Context, p *store.ListAliasesParams) (*store.Page[store.Alias], error) {
	after, err := cursor.DecodeString(p.NextToken, "aliases")
	if err != nil {
		return nil, err
	}
	return list(ctx, s, p.Limit, "aliases",
		`SELECT `+aliasColumns+` FROM aliases WHERE state_machine_arn = $1 AND arn > $2 ORDER BY arn LIMIT $3`,
		[]any{p.StateMachineARN, after},
		func(rows pgx.Rows) (store.Alias, error) { return scanAlias(rows) },
		func(a *store.Alias) []string { return []string{a.ARN} })
}

// TagResource implements store.Store.
func (s *Store) TagResource(ctx context.Context, p *store.TagResourceParams) error {
	return s.write(ctx, func(ctx context.Context, tx pgx.Tx) error { return addTags(ctx, tx, p.ResourceARN, p.Tags) })
}

func addTags(ctx context.Context, tx pgx.Tx, arn string, tags []store.Tag) error {
	for _, t := range tags {
		if _, err := tx.Exec(ctx, `INSERT INTO tags (resource_arn, key, value) VALUES ($1, $2, $3)
			ON CONFLICT (resource_arn, key) DO UPDATE SET value = excluded.value`, arn, t.Key, t.Value); err != nil {
			return fmt.Errorf("tag %s: %w", arn, err)
		}
	}
	return nil
}

// UntagResource implements store.Store.
func (s *Store) UntagResource(ctx context.Context, p *store.UntagResourceParams) error {
	return s.write(ctx, func(ctx context.Context, tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM tags WHERE resource_arn = $1 AND key = ANY($2)`, p.ResourceARN, p.Keys); err != nil {
			return fmt.Errorf("untag %s: %w", p.ResourceARN, err)
		}
		return nil
	})
}

// ListTags implements store.Store.
func (s *Store) ListTags(ctx context.Context, resourceARN string) ([]store.Tag, error) {
	tags := []store.Tag{}
	err := s.read(ctx, func(q querier) error {
		rows, err := q.Query(ctx, `SELECT key, value FROM tags WHERE resource_arn = $1 ORDER BY key`, resourceARN)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var t store.Tag
			if err := rows.Scan(&t.Key, &t.Value); err != nil {
				return err
			}
			tags = append(tags, t)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list tags of %s: %w", resourceARN, err)
	}
	return tags, nil
}
