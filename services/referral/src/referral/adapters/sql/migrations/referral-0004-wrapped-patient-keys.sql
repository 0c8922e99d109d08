-- Patient data keys stored only wrapped by a key-encryption key (KEK) the database never holds
-- (docs/security.md §Keys; linkwell_runtime.key_wrapping): wrapped_key is AES-256-GCM of the data key
-- under the KEK kek_id, so a dump of this database decrypts nothing. Keys stored in clear before this
-- revision (data_key) are wrapped by the referral service at its next start (bootstrap), and by
-- `linkwell keys rotate referral`; erasure empties all three columns. data_key stays for those old
-- rows only: a later revision can drop it once every deployment has started on this one.
ALTER TABLE patient_keys ADD COLUMN IF NOT EXISTS kek_id TEXT;
ALTER TABLE patient_keys ADD COLUMN IF NOT EXISTS wrapped_key BYTEA;

-- The baseline's CHECK ((data_key IS NULL) = (shredded_at IS NOT NULL)) assumed a clear key.
ALTER TABLE patient_keys DROP CONSTRAINT IF EXISTS patient_keys_check;
ALTER TABLE patient_keys ADD CONSTRAINT patient_keys_one_form_of_key CHECK (data_key IS NULL OR wrapped_key IS NULL);
ALTER TABLE patient_keys ADD CONSTRAINT patient_keys_wrapped_names_its_kek CHECK ((wrapped_key IS NULL) = (kek_id IS NULL));
ALTER TABLE patient_keys ADD CONSTRAINT patient_keys_shredded_means_no_key
    CHECK ((shredded_at IS NOT NULL) = (data_key IS NULL AND wrapped_key IS NULL));

-- Rotation finds the keys not yet under the current KEK.
CREATE INDEX IF NOT EXISTS patient_keys_by_kek ON patient_keys (kek_id);
