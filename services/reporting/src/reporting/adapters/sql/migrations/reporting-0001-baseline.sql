-- Revision 1 of the reporting database: its tables as they were before versioned migrations (their
-- IF NOT EXISTS form lets it complete a database that was half made). Never edit an applied revision:
-- add the next file (docs/architecture.md §3.10).

-- Reporting's own tables. The runtime's eventstore/consumer/
-- idempotency tables are applied alongside. Everything below but `claims` is derived from the topics
-- and can be rebuilt into empty tables (`python -m reporting.entrypoints.rebuild`).

-- Every referral/engagement event kept as a bitemporal fact (sealed PII fields stripped).
CREATE TABLE IF NOT EXISTS facts (
    seq            BIGSERIAL   NOT NULL,          -- arrival order (per-key order is what matters)
    event_id       UUID        PRIMARY KEY,
    event_type     TEXT        NOT NULL,
    schema_version INTEGER     NOT NULL,
    case_id        TEXT        NOT NULL,          -- the aggregate id (case id = referral id)
    occurred_at    TIMESTAMPTZ NOT NULL,
    recorded_at    TIMESTAMPTZ NOT NULL,
    payload        JSONB       NOT NULL
);
CREATE INDEX IF NOT EXISTS facts_type_recorded ON facts (event_type, recorded_at);
CREATE INDEX IF NOT EXISTS facts_case ON facts (case_id, recorded_at, seq);

-- NHS number pseudonym -> patient, from ReferralReceived (to match hospital activity rows).
CREATE TABLE IF NOT EXISTS patients (
    nhs_number_pseudonym TEXT PRIMARY KEY,
    patient_id           UUID NOT NULL
);

CREATE TABLE IF NOT EXISTS activity_rows (
    row_id        UUID        PRIMARY KEY,
    upload_id     UUID        NOT NULL,
    line          INTEGER     NOT NULL,
    patient_id    UUID        NOT NULL,
    activity_type TEXT        NOT NULL,
    activity_date DATE        NOT NULL,
    cost_pence    BIGINT      NOT NULL,
    recorded_at   TIMESTAMPTZ NOT NULL,
    event_id      UUID        NOT NULL
);
CREATE INDEX IF NOT EXISTS activity_rows_recorded ON activity_rows (recorded_at);
-- an upload looks up the rows already stored for its patients (rows re-sent are not applied twice)
CREATE INDEX IF NOT EXISTS activity_rows_patient ON activity_rows (patient_id);

CREATE TABLE IF NOT EXISTS comparison_costs (
    row_id              UUID        PRIMARY KEY,
    upload_id           UUID        NOT NULL,
    line                INTEGER     NOT NULL,
    quarter             TEXT        NOT NULL,
    per_head_cost_pence BIGINT      NOT NULL,
    recorded_at         TIMESTAMPTZ NOT NULL,
    event_id            UUID        NOT NULL
);

-- Funnel: one row per referral, each stage's date (the funnel counts them per practice, provider, month).
CREATE TABLE IF NOT EXISTS referral_progress (
    referral_id       UUID PRIMARY KEY,
    practice_ods_code TEXT,
    provider_id       UUID,
    link_worker_id    UUID,
    received_on       DATE,
    eligible_on       DATE,
    ineligible_on     DATE,
    allocated_on      DATE,
    contacted_on      DATE,
    engaged_on        DATE,
    declined_on       DATE,
    unable_to_contact_on DATE,
    discharged_on     DATE,
    discharge_reason  TEXT
);

-- Caseloads: who holds each case now, and whether it is open.
CREATE TABLE IF NOT EXISTS case_holders (
    case_id        UUID PRIMARY KEY,
    provider_id    UUID NOT NULL,
    link_worker_id UUID NOT NULL,
    open           BOOLEAN NOT NULL
);

-- Well-being Stars with corrections applied (voided ones flagged).
CREATE TABLE IF NOT EXISTS stars (
    star_id        UUID PRIMARY KEY,
    case_id        UUID    NOT NULL,
    patient_id     UUID    NOT NULL,
    provider_id    UUID    NOT NULL,
    link_worker_id UUID    NOT NULL,
    taken_on       DATE    NOT NULL,
    scores         JSONB   NOT NULL,
    total          INTEGER NOT NULL,
    voided         BOOLEAN NOT NULL DEFAULT false,
    recorded_at    TIMESTAMPTZ NOT NULL  -- when the Star was recorded (ties on taken_on)
);
CREATE INDEX IF NOT EXISTS stars_case ON stars (case_id);

CREATE TABLE IF NOT EXISTS linkages (
    linkage_id  UUID PRIMARY KEY,
    case_id     UUID NOT NULL,
    provider_id UUID NOT NULL,
    category    TEXT NOT NULL,
    status      TEXT NOT NULL,
    made_on     DATE NOT NULL
);

-- Closed claims: the canonical document bytes, served as is forever (not derived: never rebuilt).
CREATE TABLE IF NOT EXISTS claims (
    period          TEXT        PRIMARY KEY,
    closed_at       TIMESTAMPTZ NOT NULL,
    document        BYTEA       NOT NULL,
    document_sha256 TEXT        NOT NULL,
    event_id        UUID        NOT NULL
);

-- Accepted commissioner uploads: one summary row each, written in the upload's transaction (counts
-- only: no rows, no NHS numbers). Not derived (the events do not carry the rows already uploaded), so
-- never rebuilt; uploads accepted before this table existed are not listed.
CREATE TABLE IF NOT EXISTS commissioner_uploads (
    seq                     BIGSERIAL   NOT NULL,  -- acceptance order (ties on recorded_at)
    upload_id               UUID        PRIMARY KEY,
    kind                    TEXT        NOT NULL CHECK (kind IN ('hospital_activity', 'comparison_costs')),
    recorded_at             TIMESTAMPTZ NOT NULL,
    rows_applied            INTEGER     NOT NULL,
    rows_unknown_nhs_number INTEGER     NOT NULL,
    rows_already_uploaded   INTEGER     NOT NULL,
    quarters                TEXT[]                 -- comparison costs only
);
CREATE INDEX IF NOT EXISTS commissioner_uploads_recorded ON commissioner_uploads (recorded_at);

-- The ledger's inputs (facts, activity rows, comparison costs) change only together with this row:
-- every transaction that applies events (`apply_events`) or empties the derived tables (rebuild)
-- bumps `version` and raises `latest_recorded_at` (the newest recorded_at among the inputs; NULL when
-- there are none). The API caches a ledger per (generation, version, as_of, known_at or "everything
-- known"), so a cached answer is never served once its inputs changed (service_layer/ledger.py).
CREATE TABLE IF NOT EXISTS ledger_inputs (
    singleton          BOOLEAN     PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    generation         UUID        NOT NULL DEFAULT gen_random_uuid(),
    version            BIGINT      NOT NULL DEFAULT 0,
    latest_recorded_at TIMESTAMPTZ
);
-- On a database that already holds inputs, start from their newest recorded_at (conservative: any fact).
INSERT INTO ledger_inputs (singleton, latest_recorded_at)
SELECT TRUE, GREATEST((SELECT max(recorded_at) FROM facts), (SELECT max(recorded_at) FROM activity_rows),
                      (SELECT max(recorded_at) FROM comparison_costs))
ON CONFLICT (singleton) DO NOTHING;

-- The ledger as an incremental bitemporal projection (service_layer/ledger_projection.py, issue 13):
-- each unit's items (a case's W lines and exceptions, a cohort's S lines) with their validity on the
-- knowledge axis, [valid_from, valid_to) in recorded_at (valid_to NULL: still holds), maximal per item.
-- `payable` is the range of moments T at which the version is in the ledger (for S not before its
-- measured quarter is over; empty when it never is). Rebuilt with the facts.
CREATE TABLE IF NOT EXISTS ledger_lines (
    unit        TEXT        NOT NULL,   -- 'case|<case id>' or 'cohort|<quarter>'
    item        TEXT        NOT NULL,   -- 'W|<outcome id>', 'S|<outcome id>', 'X|<fact id>' (an exception)
    valid_from  TIMESTAMPTZ NOT NULL,
    valid_to    TIMESTAMPTZ,
    payable     TSTZRANGE   NOT NULL,
    kind        TEXT        NOT NULL,   -- 'W', 'S' or 'X'
    outcome_id  UUID,                   -- W and S
    on_date     DATE        NOT NULL,   -- achieved_on (W, S); the uncovered date (X)
    provider_id UUID,
    record      JSONB       NOT NULL,
    PRIMARY KEY (unit, item, valid_from)
);
CREATE INDEX IF NOT EXISTS ledger_lines_payable ON ledger_lines USING gist (payable);
CREATE INDEX IF NOT EXISTS ledger_lines_outcome ON ledger_lines (outcome_id, valid_from);

-- Each case's cohort membership (outcome S) over the knowledge axis, as its baseline Star stands.
CREATE TABLE IF NOT EXISTS cohort_members (
    case_id    TEXT        NOT NULL,
    valid_from TIMESTAMPTZ NOT NULL,
    valid_to   TIMESTAMPTZ,
    cohort     TEXT        NOT NULL,
    patient_id UUID        NOT NULL,
    record     JSONB       NOT NULL,
    PRIMARY KEY (case_id, valid_from)
);
CREATE INDEX IF NOT EXISTS cohort_members_cohort ON cohort_members (cohort);
CREATE INDEX IF NOT EXISTS cohort_members_patient ON cohort_members (patient_id);
CREATE INDEX IF NOT EXISTS comparison_costs_quarter ON comparison_costs (quarter);

-- Whether ledger_lines/cohort_members hold every input's history: true on a database that had no
-- inputs when the projection arrived, and after a rebuild; until then the ledger is recomputed.
ALTER TABLE ledger_inputs ADD COLUMN IF NOT EXISTS lines_ready BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE ledger_inputs SET lines_ready = TRUE
 WHERE NOT lines_ready AND NOT EXISTS (SELECT 1 FROM facts) AND NOT EXISTS (SELECT 1 FROM activity_rows)
   AND NOT EXISTS (SELECT 1 FROM comparison_costs);
