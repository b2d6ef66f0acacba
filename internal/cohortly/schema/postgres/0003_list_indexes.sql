-- Indexes for the list orders the API serves (created_at DESC, id ASC) and for follow-ups, so a page is
-- a top-N index scan instead of a sort of the whole table. Additive: the legacy server is unaffected.
CREATE INDEX IF NOT EXISTS "cohortly_leads_created_at_id_idx" ON "leads" ("created_at" DESC, "id");
CREATE INDEX IF NOT EXISTS "cohortly_enrollments_created_at_id_idx" ON "enrollments" ("created_at" DESC, "id");
CREATE INDEX IF NOT EXISTS "cohortly_assignments_created_at_id_idx" ON "assignments" ("created_at" DESC, "id");
CREATE INDEX IF NOT EXISTS "cohortly_lead_logs_created_by_follow_up_idx" ON "lead_logs" ("created_by", "next_follow_up");
