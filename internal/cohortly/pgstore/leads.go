package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

const leadCols = `l.id, l.full_name, l.email, l.phone, l.source::text, l.status::text, l.assigned_to, l.created_by, l.created_at, l.updated_at`

// leadViewSelect joins both referenced users so a page is one query (no N+1).
const leadViewSelect = `SELECT ` + leadCols + `, au.id, au.full_name, au.email, cu.id, cu.full_name, cu.email
	FROM leads l
	LEFT JOIN users au ON au.id = l.assigned_to
	JOIN users cu ON cu.id = l.created_by`

func scanLeadInto(dest []any, l *cohortly.Lead, source, status *string) []any {
	return append(dest, &l.ID, &l.FullName, &l.Email, &l.Phone, source, status, &l.AssignedTo, &l.CreatedBy, &l.CreatedAt, &l.UpdatedAt)
}

func fixLead(l *cohortly.Lead, source, status string) {
	l.Source, l.Status = cohortly.LeadSource(source), cohortly.LeadStatus(status)
	l.CreatedAt, l.UpdatedAt = utc(l.CreatedAt), utc(l.UpdatedAt)
}

func scanLeadView(row pgx.Row, v *cohortly.LeadView) error {
	var source, status string
	var aID, aName, aEmail *string
	dest := scanLeadInto(make([]any, 0, 16), &v.Lead, &source, &status)
	dest = append(dest, &aID, &aName, &aEmail, &v.CreatedByUser.ID, &v.CreatedByUser.FullName, &v.CreatedByUser.Email)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	fixLead(&v.Lead, source, status)
	v.AssignedToUser = nil
	if aID != nil {
		v.AssignedToUser = &cohortly.UserRef{ID: *aID, FullName: strOr(aName), Email: strOr(aEmail)}
	}
	return nil
}

func insertLead(ctx context.Context, q querier, l cohortly.Lead) error {
	_, err := q.Exec(ctx, `INSERT INTO leads (id, full_name, email, phone, source, status, assigned_to, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5::"LeadSource", $6::"LeadStatus", $7, $8, $9, $10)`,
		l.ID, l.FullName, l.Email, l.Phone, string(l.Source), string(l.Status), l.AssignedTo, l.CreatedBy, ts(l.CreatedAt), ts(l.UpdatedAt))
	return mapErr(err, "create lead", cohortly.ErrMissingRef)
}

func insertLeadLog(ctx context.Context, q querier, g cohortly.LeadLog) error {
	_, err := q.Exec(ctx, `INSERT INTO lead_logs (id, lead_id, note, next_follow_up, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		g.ID, g.LeadID, g.Note, tsp(g.NextFollowUp), g.CreatedBy, ts(g.CreatedAt))
	return mapErr(err, "create lead log", cohortly.ErrMissingRef)
}

// CreateLead inserts the lead and its initial logs in one transaction.
func (s *Store) CreateLead(ctx context.Context, l cohortly.Lead, logs []cohortly.LeadLog) error {
	return s.inTx(ctx, "create lead", func(tx pgx.Tx) error {
		if err := insertLead(ctx, tx, l); err != nil {
			return err
		}
		for _, g := range logs {
			g.LeadID = l.ID
			if err := insertLeadLog(ctx, tx, g); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListLeads returns one page and the total. The page query and the count travel in one round trip
// (a pgx batch); the page uses the (created_at DESC, id) index for a top-N scan, the count an
// index-only scan, which is cheaper than count(*) OVER () over the joined rows.
func (s *Store) ListLeads(ctx context.Context, f cohortly.LeadFilter, p cohortly.Page) ([]cohortly.LeadView, int, error) {
	var w where
	if f.Status != "" {
		w.add(`l.status = %s::"LeadStatus"`, string(f.Status))
	}
	if f.Source != "" {
		w.add(`l.source = %s::"LeadSource"`, string(f.Source))
	}
	if f.AssignedTo != "" {
		w.add(`l.assigned_to = %s`, f.AssignedTo)
	}
	if f.Search != "" {
		w.add(`(l.full_name ILIKE %[1]s ESCAPE '\' OR l.email ILIKE %[1]s ESCAPE '\' OR l.phone ILIKE %[1]s ESCAPE '\')`, likePattern(f.Search))
	}
	pageSQL := leadViewSelect + w.sql() + ` ORDER BY l.created_at DESC, l.id LIMIT ` + w.next(1) + ` OFFSET ` + w.next(2)
	countSQL := `SELECT count(*) FROM leads l` + w.sql()

	b := &pgx.Batch{}
	b.Queue(pageSQL, append(append([]any{}, w.args...), p.Limit, p.Offset)...)
	b.Queue(countSQL, w.args...)
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()

	rows, err := br.Query()
	if err != nil {
		return nil, 0, mapErr(err, "list leads", nil)
	}
	out := make([]cohortly.LeadView, 0, p.Limit)
	for rows.Next() {
		var v cohortly.LeadView
		if err := scanLeadView(rows, &v); err != nil {
			rows.Close()
			return nil, 0, mapErr(err, "list leads", nil)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, mapErr(err, "list leads", nil)
	}
	var total int
	if err := br.QueryRow().Scan(&total); err != nil {
		return nil, 0, mapErr(err, "count leads", nil)
	}
	return out, total, nil
}

// LeadByID returns the lead with its users.
func (s *Store) LeadByID(ctx context.Context, id string) (cohortly.LeadView, error) {
	return leadByID(ctx, s.pool, id)
}

func leadByID(ctx context.Context, q querier, id string) (cohortly.LeadView, error) {
	var v cohortly.LeadView
	err := scanLeadView(q.QueryRow(ctx, leadViewSelect+` WHERE l.id = $1`, id), &v)
	return v, mapErr(err, "lead "+id, nil)
}

// UpdateLead applies p and returns the lead afterwards, read in the same transaction.
func (s *Store) UpdateLead(ctx context.Context, id string, p cohortly.LeadPatch, now time.Time) (cohortly.LeadView, error) {
	var set setList
	set.add("updated_at", ts(now))
	if p.FullName.Set {
		set.add("full_name", p.FullName.V)
	}
	if p.Email.Set {
		set.add("email", p.Email.V)
	}
	if p.Phone.Set {
		set.add("phone", p.Phone.V)
	}
	if p.Source.Set {
		set.addCast("source", `"LeadSource"`, string(p.Source.V))
	}
	if p.Status.Set {
		set.addCast("status", `"LeadStatus"`, string(p.Status.V))
	}
	if p.AssignedTo.Set {
		set.add("assigned_to", p.AssignedTo.V)
	}
	args := append(set.args, id)
	var out cohortly.LeadView
	err := s.inTx(ctx, "update lead", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE leads SET %s WHERE id = $%d`, set.sql(), len(args)), args...)
		if err != nil {
			return mapErr(err, "update lead "+id, cohortly.ErrMissingRef)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("pgstore: update lead %s: %w", id, cohortly.ErrNotFound)
		}
		out, err = leadByID(ctx, tx, id)
		return err
	})
	return out, err
}

// DeleteLead hard-deletes the lead; its logs cascade.
func (s *Store) DeleteLead(ctx context.Context, id string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM leads WHERE id = $1`, id)
	if err != nil {
		return mapErr(err, "delete lead "+id, cohortly.ErrInUse)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("pgstore: delete lead %s: %w", id, cohortly.ErrNotFound)
	}
	return nil
}

// AddLeadLog checks the lead (FOR KEY SHARE, so it cannot vanish before the insert) and inserts the log.
func (s *Store) AddLeadLog(ctx context.Context, g cohortly.LeadLog) error {
	return s.inTx(ctx, "add lead log", func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM leads WHERE id = $1 FOR KEY SHARE`, g.LeadID).Scan(&one); err != nil {
			return mapErr(err, "add lead log: lead "+g.LeadID, nil)
		}
		return insertLeadLog(ctx, tx, g)
	})
}

const leadLogCols = `g.id, g.lead_id, g.note, g.next_follow_up, g.created_by, g.created_at`

func fixLeadLog(g *cohortly.LeadLog) {
	g.NextFollowUp, g.CreatedAt = utcp(g.NextFollowUp), utc(g.CreatedAt)
}

// LeadLogs lists a lead's logs, newest first.
func (s *Store) LeadLogs(ctx context.Context, leadID string) ([]cohortly.LeadLogView, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+leadLogCols+`, u.id, u.full_name, u.email
		FROM lead_logs g JOIN users u ON u.id = g.created_by
		WHERE g.lead_id = $1 ORDER BY g.created_at DESC, g.id`, leadID)
	if err != nil {
		return nil, mapErr(err, "lead logs", nil)
	}
	defer rows.Close()
	out := []cohortly.LeadLogView{}
	for rows.Next() {
		var v cohortly.LeadLogView
		if err := rows.Scan(&v.ID, &v.LeadID, &v.Note, &v.NextFollowUp, &v.CreatedBy, &v.CreatedAt,
			&v.CreatedByUser.ID, &v.CreatedByUser.FullName, &v.CreatedByUser.Email); err != nil {
			return nil, mapErr(err, "lead logs", nil)
		}
		fixLeadLog(&v.LeadLog)
		out = append(out, v)
	}
	return out, mapErr(rows.Err(), "lead logs", nil)
}

// FollowUps lists the caller's logs due between from and to, soonest first.
func (s *Store) FollowUps(ctx context.Context, createdBy string, from, to time.Time) ([]cohortly.FollowUp, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+leadLogCols+`, `+leadCols+`, u.id, u.full_name, u.email
		FROM lead_logs g
		JOIN leads l ON l.id = g.lead_id
		JOIN users u ON u.id = g.created_by
		WHERE g.created_by = $1 AND g.next_follow_up >= $2 AND g.next_follow_up <= $3
		ORDER BY g.next_follow_up, g.id`, createdBy, ts(from), ts(to))
	if err != nil {
		return nil, mapErr(err, "follow-ups", nil)
	}
	defer rows.Close()
	out := []cohortly.FollowUp{}
	for rows.Next() {
		var v cohortly.FollowUp
		var source, status string
		dest := []any{&v.ID, &v.LeadID, &v.Note, &v.NextFollowUp, &v.CreatedBy, &v.CreatedAt}
		dest = scanLeadInto(dest, &v.Lead, &source, &status)
		dest = append(dest, &v.CreatedByUser.ID, &v.CreatedByUser.FullName, &v.CreatedByUser.Email)
		if err := rows.Scan(dest...); err != nil {
			return nil, mapErr(err, "follow-ups", nil)
		}
		fixLeadLog(&v.LeadLog)
		fixLead(&v.Lead, source, status)
		out = append(out, v)
	}
	return out, mapErr(rows.Err(), "follow-ups", nil)
}
