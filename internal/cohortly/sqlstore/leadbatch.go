package sqlstore

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

// On PostgreSQL most of the cost of creating a lead is not the row: it is the statement around it
// (a round trip each way, the executor's start and end, the commit's WAL flush) on both sides. So the
// lead creations of concurrent requests are coalesced into one statement, as a database's group
// commit does: while leadBatchFlushers statements are running, arriving leads wait, and when a
// statement ends the next one is sent with all of them (up to leadBatchMax), led by the first. A lead
// arriving with no statement running is sent at once, alone: coalescing adds no wait.
//
// Every lead keeps its own outcome. The statement reads each creator's row and inserts only the
// leads whose creator may create them, in one snapshot; when the database refuses the statement (a
// missing assignee fails the whole of it), nothing was written and each lead is sent again alone, so
// it gets its own answer. Each insert is committed before any of the requests is answered.
const (
	leadBatchMax      = 64
	leadBatchFlushers = 2
	// leadBatchTimeout bounds a statement sent for several requests, which no single request's
	// cancellation may abort.
	leadBatchTimeout = 30 * time.Second
)

// createLeadsSelect creates the leads of arrays $1..$10 (one element per lead, in order: id,
// full_name, email, phone, source, status, assigned_to, created_by, created_at, updated_at). Each
// creator's row is read and a lead inserted only when that row may create leads (active, a role the
// policy allows ActLeads, its roles written into the text: one statement whatever the caller). One
// row comes back per lead, in order: its position, its creator's row (NULLs when there is none), and
// whether it was inserted.
func createLeadsSelect() string {
	var roles []string
	for _, r := range cohortly.AllowedRoles(cohortly.ActLeads) {
		roles = append(roles, "'"+string(r)+"'")
	}
	return `WITH v AS (
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamp[], $10::timestamp[])
			WITH ORDINALITY AS v(id, full_name, email, phone, source, status, assigned_to, created_by, created_at, updated_at, n)),
	u AS (SELECT ` + userCols + ` FROM users u WHERE u.id IN (SELECT created_by FROM v)),
	ins AS (INSERT INTO leads (id, full_name, email, phone, source, status, assigned_to, created_by, created_at, updated_at)
		SELECT v.id, v.full_name, v.email, v.phone, v.source::"LeadSource", v.status::"LeadStatus", v.assigned_to, u.id, v.created_at, v.updated_at
		FROM v JOIN u ON u.id = v.created_by
		WHERE u.is_active AND u.role IN (` + strings.Join(roles, ", ") + `)
		RETURNING id)
	SELECT v.n, ` + userCols + `, v.id IN (SELECT id FROM ins) FROM v LEFT JOIN u ON u.id = v.created_by ORDER BY v.n`
}

// leadReq is one lead creation and, once its statement ran, its outcome.
type leadReq struct {
	l       cohortly.Lead
	creator cohortly.User
	created bool
	err     error
}

// createLead runs l's creation, alone or with others (s.leads), and returns its own outcome.
func (s *Store) createLead(ctx context.Context, l cohortly.Lead) (cohortly.User, bool, error) {
	r := &leadReq{l: l}
	s.leads.Do(ctx, r)
	return r.creator, r.created, r.err
}

// sendLeads runs one batch on the writer; no single request's cancellation may abort it, so it is
// bounded by leadBatchTimeout instead.
func (s *Store) sendLeads(ctx context.Context, batch []*leadReq) {
	ctx, cancel := context.WithTimeout(ctx, leadBatchTimeout)
	defer cancel()
	s.runLeads(ctx, s.db.Write, batch)
}

// runLeads creates the leads of batch in one statement on q and records each outcome. When the
// database refuses the statement, nothing was written: with more than one lead each is run again
// alone, for its own outcome (a missing assignee is that lead's ErrMissingRef only).
func (s *Store) runLeads(ctx context.Context, q Querier, batch []*leadReq) {
	n := len(batch)
	ids, names, emails, sources, statuses, by := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	phones, assigned := make([]*string, n), make([]*string, n)
	created, updated := make([]time.Time, n), make([]time.Time, n)
	for i, r := range batch {
		l := &r.l
		ids[i], names[i], emails[i], phones[i], sources[i], statuses[i] = l.ID, l.FullName, l.Email, l.Phone, string(l.Source), string(l.Status)
		assigned[i], by[i], created[i], updated[i] = l.AssignedTo, l.CreatedBy, ts(l.CreatedAt), ts(l.UpdatedAt)
	}
	err := s.scanLeads(ctx, q, batch, ids, names, emails, phones, sources, statuses, assigned, by, created, updated)
	if err == nil {
		return
	}
	if kind, _ := s.d.Classify(err); n > 1 && kind != ErrOther && kind != ErrDatabase {
		for _, r := range batch {
			s.runLeads(ctx, q, []*leadReq{r})
		}
		return
	}
	for _, r := range batch {
		r.creator, r.created = cohortly.User{}, false
		r.err = s.mapErr(err, "create lead as "+r.l.CreatedBy, cohortly.ErrMissingRef)
	}
}

// scanLeads runs createLeadsSelect and reads its rows into batch.
func (s *Store) scanLeads(ctx context.Context, q Querier, batch []*leadReq, args ...any) error {
	rows, err := q.Query(ctx, s.createLeads, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		pos                                    int64
		id, email, hash, role, fullName, phone *string
		active                                 *bool
		createdAt, updatedAt                   *time.Time
		created                                bool
	)
	seen := 0
	for rows.Next() {
		if err := rows.Scan(&pos, &id, &email, &hash, &role, &fullName, &phone, &active, &createdAt, &updatedAt, &created); err != nil {
			return err
		}
		if pos < 1 || int(pos) > len(batch) {
			return errors.New("lead batch: row out of range")
		}
		r := batch[pos-1]
		seen++
		r.created, r.err = created, nil
		if id == nil {
			r.creator = cohortly.User{}
			r.err = s.fail("create lead as "+r.l.CreatedBy, cohortly.ErrNotFound)
			continue
		}
		r.creator = cohortly.User{ID: *id, Email: strOr(email), PasswordHash: strOr(hash), Role: cohortly.Role(strOr(role)),
			FullName: strOr(fullName), IsActive: active != nil && *active}
		if phone != nil {
			p := *phone
			r.creator.Phone = &p
		}
		if createdAt != nil {
			r.creator.CreatedAt = utc(*createdAt)
		}
		if updatedAt != nil {
			r.creator.UpdatedAt = utc(*updatedAt)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if seen != len(batch) {
		return errors.New("lead batch: a lead without its row")
	}
	return nil
}
