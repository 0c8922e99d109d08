-- A pseudonym maps to the patient of its latest ReferralReceived (by recorded_at): after an erasure
-- the same NHS number is referred again as a new patient (referral-0008), and a consumer or rebuild
-- may meet that referral before the erased patient's own referral or their PatientErased.
-- NULL: a mapping from before this revision (older than any referral received from now on).
ALTER TABLE patients ADD COLUMN IF NOT EXISTS recorded_at TIMESTAMPTZ;
