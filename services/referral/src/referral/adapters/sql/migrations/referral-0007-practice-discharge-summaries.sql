-- Issue 19: the discharge summary engagement sends the referrer's practice (`DischargeSummaryIssued` on
-- linkwell.practice.v1: codes, dates, contacts, and the Star change, goals and services only with the
-- patient's consent), kept so the referrer can read it (GET /referrals/{id}/discharge-summary).
-- Pseudonymous and without free text, like the event. Not derived from this service's own events: a
-- rebuild of the read model keeps it.
CREATE TABLE IF NOT EXISTS practice_discharge_summaries (
    referral_id       UUID        PRIMARY KEY,
    summary_id        UUID        NOT NULL UNIQUE,
    practice_ods_code TEXT        NOT NULL,
    summary           JSONB       NOT NULL,
    received_at       TIMESTAMPTZ NOT NULL
);
