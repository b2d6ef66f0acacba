package pgstore

import (
	"context"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

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
