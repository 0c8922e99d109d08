-- Erasure reaches reporting (issue 15 item 2; docs/security.md "Erasure"): on PatientErased the
-- patient's NHS-number pseudonym -> patient_id row is deleted, so a hospital-activity row for that NHS
-- number uploaded later matches nobody (counted unmatched); erased_patients keeps that rule true
-- through rebuilds (a ReferralReceived replayed after the erasure adds no mapping back). patient_id
-- is the ledger's random, pseudonymous key: the ledger and its evidence ids stay as they were.
CREATE TABLE IF NOT EXISTS erased_patients (
    patient_id UUID        PRIMARY KEY,
    erased_at  TIMESTAMPTZ NOT NULL
);

-- Facts kept the pseudonym on ReferralReceived; nothing reads it there (the mapping is `patients`),
-- and a copy would outlive the erasure. New facts no longer keep it (projections.sanitised).
UPDATE facts SET payload = payload - 'nhs_number_pseudonym'
 WHERE event_type = 'ReferralReceived' AND payload->>'nhs_number_pseudonym' IS NOT NULL;
