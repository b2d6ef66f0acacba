-- Refresh-token rotation and family revocation (contract §8 B4). Additive only: two nullable columns
-- the legacy server neither reads nor writes (Prisma selects its own columns by name), and an index.
-- Legacy rows keep NULL in both: a row without a family is its own family; NULL rotated_at means the
-- token has not been exchanged yet.
ALTER TABLE "refresh_tokens" ADD COLUMN IF NOT EXISTS "family_id" TEXT;
ALTER TABLE "refresh_tokens" ADD COLUMN IF NOT EXISTS "rotated_at" TIMESTAMP(3);
CREATE INDEX IF NOT EXISTS "cohortly_refresh_tokens_family_id_idx" ON "refresh_tokens" ("family_id");
