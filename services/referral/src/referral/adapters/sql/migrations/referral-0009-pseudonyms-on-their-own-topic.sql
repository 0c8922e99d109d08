-- The NHS-number pseudonym leaves the events (ReferralReceived v2 has none) for its own compacted
-- topic, linkwell.referral.patient-pseudonyms.v1, where erasure sends a tombstone (docs/security.md §10).
-- Its records go through the outbox like every event, but are not events: a tombstone is a row
-- without a message (the relay sends a null value).
ALTER TABLE outbox ALTER COLUMN message DROP NOT NULL;
-- When the patient's pseudonym was queued for the topic. NULL: a patient known before this revision,
-- whose pseudonym only v1 events carried; the service publishes each such one still known at its next
-- start (service_layer/patient_pseudonyms.publish_known_pseudonyms), once.
ALTER TABLE patient_keys ADD COLUMN IF NOT EXISTS pseudonym_published_at TIMESTAMPTZ;
-- The read model kept a copy in clear that nothing reads (erasure removed it already).
UPDATE referrals SET sealed = sealed - 'nhs_number_pseudonym' WHERE sealed ? 'nhs_number_pseudonym';
