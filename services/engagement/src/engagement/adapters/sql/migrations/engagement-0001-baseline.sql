-- Revision 1 of the engagement database: its tables as they were before versioned migrations (their
-- IF NOT EXISTS form lets it complete a database that was half made). Never edit an applied revision:
-- add the next file (docs/architecture.md §3.10).

-- The engagement service's own tables. The events table (runtime's
-- eventstore.sql) is the source of truth for cases; everything here is a read model or a local copy.

-- From ReferralReceived: what a case needs that ReferralAllocated does not carry.
CREATE TABLE IF NOT EXISTS referral_intake (
    referral_id        UUID PRIMARY KEY,
    patient_id         UUID NOT NULL,
    practice_ods_code  TEXT NOT NULL
);

-- An allocation seen before its referral's ReferralReceived (should not happen: one partition keeps
-- a referral's events in order, but a case is never lost if it does).
CREATE TABLE IF NOT EXISTS pending_allocations (
    referral_id     UUID PRIMARY KEY,
    provider_id     UUID NOT NULL,
    link_worker_id  UUID NOT NULL,
    allocated_on    DATE NOT NULL,
    event_id        UUID NOT NULL,
    correlation_id  UUID
);

-- From LinkWorkerRegistered/Updated: which provider a link worker belongs to (for reassignment).
CREATE TABLE IF NOT EXISTS link_workers (
    link_worker_id  UUID PRIMARY KEY,
    provider_id     UUID NOT NULL,
    display_name    TEXT NOT NULL,
    active          BOOLEAN NOT NULL
);

-- From the directory's ServicePublished/Updated/StatusChanged: the services a linkage may name.
CREATE TABLE IF NOT EXISTS directory_services (
    service_id       UUID PRIMARY KEY,
    organization_id  UUID NOT NULL,
    name             TEXT NOT NULL,
    status           TEXT NOT NULL,
    categories       TEXT[] NOT NULL DEFAULT '{}',
    last_modified    TIMESTAMPTZ NOT NULL
);

-- One row per case, rewritten from the folded state on every change: what GET /cases filters on.
CREATE TABLE IF NOT EXISTS cases (
    case_id            UUID PRIMARY KEY,
    version            INTEGER NOT NULL,
    patient_id         UUID NOT NULL,
    provider_id        UUID NOT NULL,
    link_worker_id     UUID NOT NULL,
    practice_ods_code  TEXT NOT NULL,
    status             TEXT NOT NULL,
    opened_on          DATE NOT NULL,
    contacted_on       DATE,
    engaged_on         DATE,
    closed_on          DATE,
    review_due_on      DATE,          -- NULL when closed or no Star
    limit_on           DATE NOT NULL, -- the two-year limit
    extended_until     DATE,          -- the latest extension's review date
    is_open            BOOLEAN NOT NULL
);
-- The first-contact deadline (issue 18): added to databases made before it; a case gets its values
-- on its next change (or a replay of the engagement topic).
ALTER TABLE cases ADD COLUMN IF NOT EXISTS first_contact_due_on DATE;  -- 2 working days after allocation
ALTER TABLE cases ADD COLUMN IF NOT EXISTS first_contact_on DATE;      -- first contact or attempt
CREATE INDEX IF NOT EXISTS cases_link_worker ON cases (link_worker_id, opened_on);
CREATE INDEX IF NOT EXISTS cases_provider ON cases (provider_id, opened_on);

-- Free text never published (goal wording, notes, reasons), keyed by the id it belongs to: erasable here.
CREATE TABLE IF NOT EXISTS case_texts (
    id           BIGSERIAL PRIMARY KEY,
    case_id      UUID NOT NULL,
    subject_id   UUID NOT NULL,   -- goal, attempt, Star or case id
    kind         TEXT NOT NULL,   -- goal_description | goal_note | attempt_note | correction_reason | void_reason | extension_reason
    event_id     UUID NOT NULL,   -- the event the text goes with
    body         TEXT NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS case_texts_case ON case_texts (case_id, id);

-- Patients who exercised their right to erasure (PatientErased): no free text is kept for them again.
CREATE TABLE IF NOT EXISTS erased_patients (
    patient_id UUID PRIMARY KEY,
    erased_at  TIMESTAMPTZ NOT NULL
);
