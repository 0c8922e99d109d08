-- Revision 1 of the referral database: its tables as they were before versioned migrations (their
-- IF NOT EXISTS form lets it complete a database that was half made). Never edit an applied revision:
-- add the next file (docs/architecture.md §3.10).

-- The referral service's own tables.
-- Everything but patient_keys and access_audit is a read model rebuilt from the referral topic.

-- The patient key store (docs/architecture.md §2): one row per patient, one patient per NHS number.
CREATE TABLE IF NOT EXISTS patient_keys (
    patient_id           UUID PRIMARY KEY,
    key_id               TEXT        NOT NULL UNIQUE,
    data_key             BYTEA       CHECK (data_key IS NULL OR octet_length(data_key) = 32),
    nhs_number_pseudonym TEXT        NOT NULL UNIQUE,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    shredded_at          TIMESTAMPTZ,
    CHECK ((data_key IS NULL) = (shredded_at IS NOT NULL))
);

-- Every read of identifiable fields: who, what, when.
CREATE TABLE IF NOT EXISTS access_audit (
    id          BIGSERIAL PRIMARY KEY,
    subject     TEXT        NOT NULL,
    role        TEXT        NOT NULL,
    action      TEXT        NOT NULL,
    patient_id  UUID        NOT NULL,
    referral_id UUID,
    fields      TEXT[]      NOT NULL,
    at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS providers (
    provider_id UUID PRIMARY KEY,
    name        TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS practices (
    ods_code      TEXT PRIMARY KEY,
    name          TEXT    NOT NULL,
    participating BOOLEAN NOT NULL,
    provider_id   UUID
);

CREATE TABLE IF NOT EXISTS link_workers (
    link_worker_id UUID PRIMARY KEY,
    provider_id    UUID    NOT NULL,
    display_name   TEXT    NOT NULL,
    capacity       INTEGER NOT NULL,
    active         BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS referrals (
    referral_id       UUID PRIMARY KEY,
    patient_id        UUID    NOT NULL,
    status            TEXT    NOT NULL,
    status_since      DATE    NOT NULL,
    practice_ods_code TEXT    NOT NULL,
    provider_id       UUID,
    link_worker_id    UUID,
    referrer_name     TEXT    NOT NULL,
    referrer_role     TEXT    NOT NULL,
    referred_on       DATE    NOT NULL,
    age_at_referral   INTEGER NOT NULL,
    sex               TEXT    NOT NULL,
    conditions        TEXT[]  NOT NULL,
    mental_health     TEXT[]  NOT NULL,
    eligible          BOOLEAN,
    ineligibility     JSONB   NOT NULL DEFAULT '[]',
    sealed            JSONB   NOT NULL,   -- the encrypted identifiable fields, as received
    summary           JSONB,              -- the ReferralClosed payload: the discharge summary
    received_at       TIMESTAMPTZ NOT NULL -- recorded_at of ReferralReceived: the queue order
);
CREATE INDEX IF NOT EXISTS referrals_patient ON referrals (patient_id);
CREATE INDEX IF NOT EXISTS referrals_queue ON referrals (received_at, referral_id) WHERE status = 'eligible';
CREATE INDEX IF NOT EXISTS referrals_link_worker ON referrals (link_worker_id, status);

-- Engagement events that arrived too late or out of turn: recorded, never applied (see README).
CREATE TABLE IF NOT EXISTS ignored_case_events (
    event_id    UUID PRIMARY KEY,
    referral_id UUID        NOT NULL,
    event_type  TEXT        NOT NULL,
    reason      TEXT        NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
