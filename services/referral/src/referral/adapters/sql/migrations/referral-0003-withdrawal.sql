-- Issue 18: a referral withdrawn as made in error keeps its reason and date in the read model
-- (GET /referrals/{id}, docs/domain.md §3.6). Old rows: never withdrawn (NULL).
ALTER TABLE referrals ADD COLUMN withdrawal JSONB;
