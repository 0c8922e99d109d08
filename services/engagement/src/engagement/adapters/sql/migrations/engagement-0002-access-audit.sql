-- Every read of a case's free texts: who, in which role, which patient and case, which kinds of
-- text were shown, when, and the request id (linkwell_runtime.audit; the same columns as referral's).
-- IF NOT EXISTS: development databases already had it from the interim start-up script.
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
