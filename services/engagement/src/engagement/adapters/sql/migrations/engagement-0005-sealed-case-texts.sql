-- Case texts sealed at rest (docs/security.md): each case's free text is AES-GCM under a data key of
-- the case's own, stored only wrapped by the key-encryption key the processes hold (never here).
-- Erasure destroys the wrapped key (shredded_at) and deletes the texts. `body` is the clear column
-- of rows kept before this revision: sealed into `sealed` at the service's start.
CREATE TABLE IF NOT EXISTS case_text_keys (
    case_id      UUID PRIMARY KEY,
    key_id       TEXT NOT NULL UNIQUE,
    kek_id       TEXT,
    wrapped_key  BYTEA,
    shredded_at  TIMESTAMPTZ,
    CHECK ((wrapped_key IS NULL) = (shredded_at IS NOT NULL))
);
ALTER TABLE case_texts ADD COLUMN IF NOT EXISTS sealed JSONB;
ALTER TABLE case_texts ALTER COLUMN body DROP NOT NULL;
-- (dropped first: a development database may have applied this revision under an earlier number)
ALTER TABLE case_texts DROP CONSTRAINT IF EXISTS case_texts_sealed_or_clear;
ALTER TABLE case_texts ADD CONSTRAINT case_texts_sealed_or_clear CHECK ((body IS NULL) <> (sealed IS NULL));
