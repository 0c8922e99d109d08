-- Case work (issue 18): consent and preferences, safeguarding concerns, action plans. Their free
-- text goes in case_texts under new kinds (erasable, never on Kafka): no new column for it.
-- IF NOT EXISTS: development databases already had it from the interim start-up script.
-- What the case lists show and filter on, rewritten from the folded case on every change.
ALTER TABLE cases ADD COLUMN IF NOT EXISTS service_consent TEXT;             -- given | declined | withdrawn
ALTER TABLE cases ADD COLUMN IF NOT EXISTS outcome_sharing_consent TEXT;     -- consent to share outcomes with the GP
ALTER TABLE cases ADD COLUMN IF NOT EXISTS open_safeguarding_concerns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN IF NOT EXISTS highest_open_risk TEXT;           -- low | medium | high | immediate
ALTER TABLE cases ADD COLUMN IF NOT EXISTS next_step_due_on DATE;            -- earliest open action step of an open goal

-- One row per safeguarding concern (codes and dates only), rewritten with its case's row: what a
-- provider manager's list of open concerns reads.
CREATE TABLE IF NOT EXISTS safeguarding_concerns (
    concern_id              UUID PRIMARY KEY,
    case_id                 UUID NOT NULL,
    patient_id              UUID NOT NULL,
    provider_id             UUID NOT NULL,
    link_worker_id          UUID NOT NULL,
    category                TEXT NOT NULL,
    risk_level              TEXT NOT NULL,
    immediate_action_taken  BOOLEAN NOT NULL,
    raised_on               DATE NOT NULL,
    escalations             INTEGER NOT NULL,
    last_escalated_on       DATE,
    last_escalated_to       TEXT,
    closed_on               DATE,
    outcome                 TEXT,
    is_open                 BOOLEAN NOT NULL
);
CREATE INDEX IF NOT EXISTS safeguarding_concerns_provider ON safeguarding_concerns (provider_id, is_open, raised_on);
CREATE INDEX IF NOT EXISTS safeguarding_concerns_case ON safeguarding_concerns (case_id);
