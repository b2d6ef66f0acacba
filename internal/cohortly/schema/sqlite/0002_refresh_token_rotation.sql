-- Refresh-token rotation and family revocation (contract §8 B4); same columns as on PostgreSQL.
ALTER TABLE refresh_tokens ADD COLUMN family_id TEXT;
ALTER TABLE refresh_tokens ADD COLUMN rotated_at TEXT;
CREATE INDEX cohortly_refresh_tokens_family_id_idx ON refresh_tokens (family_id);
