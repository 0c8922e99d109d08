-- Issue 18: the funnel's withdrawn stage (a referral withdrawn as made in error: ReferralWithdrawn) and
-- each referral's first contact or attempt (ContactRecorded, ContactAttemptFailed: its Europe/London
-- day), which GET /metrics/time-to-first-contact measures from the allocation. Old rows get their
-- values from `linkwell rebuild reporting`.
ALTER TABLE referral_progress ADD COLUMN withdrawn_on DATE;
ALTER TABLE referral_progress ADD COLUMN first_contact_on DATE;
