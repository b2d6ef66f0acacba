package sqlstore

import (
	"context"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

const leadCols = `l.id, l.full_name, l.email, l.phone, l.source, l.status, l.assigned_to, l.created_by, l.created_at, l.updated_at`

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

func scanLeadView(row Row, v *cohortly.LeadView) error {
	var x leadViewScan
	return x.scan(row, v)
}

// leadViewScan holds the scratch of scanning lead views; one serves every row of a page, so a row
// costs no allocations beyond its values.
type leadViewScan struct {
	dest               []any
	source, status     string
	aID, aName, aEmail *string
}

func (x *leadViewScan) scan(row Row, v *cohortly.LeadView) error {
	x.aID, x.aName, x.aEmail = nil, nil, nil
	x.dest = scanLeadInto(x.dest[:0], &v.Lead, &x.source, &x.status)
	x.dest = append(x.dest, &x.aID, &x.aName, &x.aEmail, &v.CreatedByUser.ID, &v.CreatedByUser.FullName, &v.CreatedByUser.Email)
	if err := row.Scan(x.dest...); err != nil {
		return err
	}
	fixLead(&v.Lead, x.source, x.status)
	v.AssignedToUser = nil
	if x.aID != nil {
		v.AssignedToUser = &cohortly.UserRef{ID: *x.aID, FullName: strOr(x.aName), Email: strOr(x.aEmail)}
	}
	return nil
}

func (s *Store) insertLead(ctx context.Context, q Querier, l cohortly.Lead) error {
	_, err := q.Exec(ctx, `INSERT INTO leads (id, full_name, email, phone, source, status, assigned_to, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		l.ID, l.FullName, l.Email, l.Phone, string(l.Source), string(l.Status), l.AssignedTo, l.CreatedBy, ts(l.CreatedAt), ts(l.UpdatedAt))
	return s.mapErr(err, "create lead", cohortly.ErrMissingRef)
}

func (s *Store) insertLeadLog(ctx context.Context, q Querier, g cohortly.LeadLog) error {
	_, err := q.Exec(ctx, `INSERT INTO lead_logs (id, lead_id, note, next_follow_up, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		g.ID, g.LeadID, g.Note, tsp(g.NextFollowUp), g.CreatedBy, ts(g.CreatedAt))
	return s.mapErr(err, "create lead log", cohortly.ErrMissingRef)
}

// CreateLead inserts the lead and its initial logs in one transaction. A lead without logs is one
// statement, atomic by itself: BEGIN and COMMIT would be two more round trips.
func (s *Store) CreateLead(ctx context.Context, l cohortly.Lead, logs []cohortly.LeadLog) error {
	if len(logs) == 0 {
		return s.insertLead(ctx, s.db.Write, l)
	}
	return s.inTx(ctx, "create lead", func(tx Querier) error {
		if err := s.insertLead(ctx, tx, l); err != nil {
			return err
		}
		for _, g := range logs {
			g.LeadID = l.ID
			if err := s.insertLeadLog(ctx, tx, g); err != nil {
				return err
			}
		}
		return nil
	})
}

// mayCreateLeads is createLeadsSelect's condition, for the engines that check it in Go.
func mayCreateLeads(u cohortly.User) bool {
	return u.IsActive && cohortly.Allowed(u.Role, cohortly.ActLeads)
}

// CreateLeadAs creates the lead of a request, admitting its creator from the row read with it. On
// PostgreSQL a lead without logs is one statement, atomic by itself, shared with the lead creations
// of concurrent requests (createLead); with logs, that statement (for this lead alone) and the log
// inserts share a transaction. Elsewhere the creator is read and the lead inserted in one write
// transaction.
func (s *Store) CreateLeadAs(ctx context.Context, l cohortly.Lead, logs []cohortly.LeadLog) (creator cohortly.User, created bool, err error) {
	if s.d.WriteCTE && len(logs) == 0 {
		return s.createLead(ctx, l)
	}
	err = s.inTx(ctx, "create lead", func(tx Querier) error {
		var err error
		if creator, created, err = s.createLeadAsIn(ctx, tx, l); err != nil || !created {
			return err
		}
		for _, g := range logs {
			g.LeadID = l.ID
			if err := s.insertLeadLog(ctx, tx, g); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return creator, false, err
	}
	return creator, created, nil
}

// createLeadAsIn reads l's creator and inserts l when the creator may create leads, on q.
func (s *Store) createLeadAsIn(ctx context.Context, q Querier, l cohortly.Lead) (creator cohortly.User, created bool, err error) {
	if s.d.WriteCTE {
		r := leadReq{l: l}
		s.runLeads(ctx, q, []*leadReq{&r})
		return r.creator, r.created, r.err
	}
	if err := scanUser(q.QueryRow(ctx, userByID, l.CreatedBy), &creator); err != nil {
		return creator, false, s.mapErr(err, "create lead: creator "+l.CreatedBy, nil)
	}
	if !mayCreateLeads(creator) {
		return creator, false, nil
	}
	if err := s.insertLead(ctx, q, l); err != nil {
		return creator, false, err
	}
	return creator, true, nil
}

// ListLeads returns one page and the total. The page query and the count travel together (one round
// trip on PostgreSQL); the page uses the (created_at DESC, id) index for a top-N scan, the count an
// index-only scan, which is cheaper than count(*) OVER () over the joined rows.
func (s *Store) ListLeads(ctx context.Context, viewerID string, f cohortly.LeadFilter, p cohortly.Page) (cohortly.Listed[cohortly.LeadView], error) {
	var w where
	if f.Status != "" {
		w.add(`l.status = %s`, string(f.Status))
	}
	if f.Source != "" {
		w.add(`l.source = %s`, string(f.Source))
	}
	if f.AssignedTo != "" {
		w.add(`l.assigned_to = %s`, f.AssignedTo)
	}
	if f.Search != "" {
		like := s.d.ILike
		w.add(`(l.full_name `+like+` %[1]s ESCAPE '\' OR l.email `+like+` %[1]s ESCAPE '\' OR l.phone `+like+` %[1]s ESCAPE '\')`, LikePattern(f.Search))
	}
	limit, args := w.page(p, s.d.InlinePage)
	b := listBatch(viewerID)
	b.Queue(leadViewSelect+w.sql()+` ORDER BY l.created_at DESC, l.id`+limit, args...)
	b.Queue(`SELECT count(*) FROM leads l`+w.sql(), w.args...)
	return s.leadPages.read(ctx, viewerID, b, p)
}

// leadPage reads a page of leads for one viewer. Not listOneViewed: with 20 rows a page, repeating
// the viewer's row on each costs PostgreSQL more than the two statements it saves (measured side by
// side: +14% PostgreSQL CPU per page).
func (s *Store) leadPage(ctx context.Context, viewerID string, b *Batch, p cohortly.Page) (cohortly.Listed[cohortly.LeadView], error) {
	var x leadViewScan
	return listViewed(ctx, s, "leads", viewerID, b, p, x.scan)
}

// LeadByID returns the lead with its users.
func (s *Store) LeadByID(ctx context.Context, id string) (cohortly.LeadView, error) {
	return s.leadByID(ctx, s.db.Read, id)
}

func (s *Store) leadByID(ctx context.Context, q Querier, id string) (cohortly.LeadView, error) {
	var v cohortly.LeadView
	err := scanLeadView(q.QueryRow(ctx, leadViewSelect+` WHERE l.id = $1`, id), &v)
	return v, s.mapErr(err, "lead "+id, nil)
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
		set.add("source", string(p.Source.V))
	}
	if p.Status.Set {
		set.add("status", string(p.Status.V))
	}
	if p.AssignedTo.Set {
		set.add("assigned_to", p.AssignedTo.V)
	}
	var out cohortly.LeadView
	err := s.updateByID(ctx, "leads", "lead", id, set, func(tx Querier) (err error) {
		out, err = s.leadByID(ctx, tx, id)
		return err
	})
	return out, err
}

// DeleteLead hard-deletes the lead; its logs cascade.
func (s *Store) DeleteLead(ctx context.Context, id string) error {
	return s.deleteByID(ctx, "leads", "lead", id)
}

// AddLeadLog checks the lead and inserts the log. The check holds the dialect's ForKeyShare lock (or
// runs in a serialised write transaction), so the lead cannot vanish before the insert.
func (s *Store) AddLeadLog(ctx context.Context, g cohortly.LeadLog) error {
	return s.inTx(ctx, "add lead log", func(tx Querier) error {
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM leads WHERE id = $1`+s.d.ForKeyShare, g.LeadID).Scan(&one); err != nil {
			return s.mapErr(err, "add lead log: lead "+g.LeadID, nil)
		}
		return s.insertLeadLog(ctx, tx, g)
	})
}

const leadLogCols = `g.id, g.lead_id, g.note, g.next_follow_up, g.created_by, g.created_at`

func leadLogDest(d []any, g *cohortly.LeadLog) []any {
	return append(d, &g.ID, &g.LeadID, &g.Note, &g.NextFollowUp, &g.CreatedBy, &g.CreatedAt)
}

func fixLeadLog(g *cohortly.LeadLog) {
	g.NextFollowUp, g.CreatedAt = utcp(g.NextFollowUp), utc(g.CreatedAt)
}

// LeadLogs lists a lead's logs, newest first.
func (s *Store) LeadLogs(ctx context.Context, leadID string) ([]cohortly.LeadLogView, error) {
	rows, err := s.db.Read.Query(ctx, `SELECT `+leadLogCols+`, u.id, u.full_name, u.email
		FROM lead_logs g JOIN users u ON u.id = g.created_by
		WHERE g.lead_id = $1 ORDER BY g.created_at DESC, g.id`, leadID)
	if err != nil {
		return nil, s.mapErr(err, "lead logs", nil)
	}
	out, err := scanAll(rows, func(r Row, v *cohortly.LeadLogView) error {
		d := leadLogDest(make([]any, 0, 9), &v.LeadLog)
		if err := r.Scan(append(d, &v.CreatedByUser.ID, &v.CreatedByUser.FullName, &v.CreatedByUser.Email)...); err != nil {
			return err
		}
		fixLeadLog(&v.LeadLog)
		return nil
	})
	return out, s.mapErr(err, "lead logs", nil)
}

// FollowUps lists the caller's logs due between from and to, soonest first.
func (s *Store) FollowUps(ctx context.Context, createdBy string, from, to time.Time) ([]cohortly.FollowUp, error) {
	rows, err := s.db.Read.Query(ctx, `SELECT `+leadLogCols+`, `+leadCols+`, u.id, u.full_name, u.email
		FROM lead_logs g
		JOIN leads l ON l.id = g.lead_id
		JOIN users u ON u.id = g.created_by
		WHERE g.created_by = $1 AND g.next_follow_up >= $2 AND g.next_follow_up <= $3
		ORDER BY g.next_follow_up, g.id`, createdBy, ts(from), ts(to))
	if err != nil {
		return nil, s.mapErr(err, "follow-ups", nil)
	}
	out, err := scanAll(rows, func(r Row, v *cohortly.FollowUp) error {
		var source, status string
		d := scanLeadInto(leadLogDest(make([]any, 0, 19), &v.LeadLog), &v.Lead, &source, &status)
		if err := r.Scan(append(d, &v.CreatedByUser.ID, &v.CreatedByUser.FullName, &v.CreatedByUser.Email)...); err != nil {
			return err
		}
		fixLeadLog(&v.LeadLog)
		fixLead(&v.Lead, source, status)
		return nil
	})
	return out, s.mapErr(err, "follow-ups", nil)
}
