-- Pending security changes (docs/security.md), for the lead to fold into a versioned migration.
-- Idempotent; applied after schema.sql at every start (linkwell_runtime.audit.apply_pending_security).

-- Every read of a case's free texts: who, in which role, which patient and case, which kinds of
-- text were shown, when, and the request id (the same columns as referral's access_audit).
CREATE TABLE IF NOT EXISTS access_audit (
    id          BIGSERIAL PRIMARY KEY,
    subject     TEXT        NOT NULL,
    role        TEXT        NOT NULL,
    action      TEXT        NOT NULL,
    patient_id  UUID        NOT NULL,
    referral_id UUID,                   -- the case id (= the referral id)
    fields      TEXT[]      NOT NULL,
    at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    request_id  UUID
);
CREATE INDEX IF NOT EXISTS access_audit_patient ON access_audit (patient_id, at);
