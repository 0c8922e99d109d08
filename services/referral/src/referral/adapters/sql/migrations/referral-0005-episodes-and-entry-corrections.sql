-- Issue 18 items 6 and 1 (docs/domain.md §3.7, §3.5): GET /referrals shows a re-referral's episode
-- number and the earlier episodes it knows (ReferralEpisodeLinked), each caller only those they may
-- see; and the latest correction of the referral's own entries (ReferralEntriesCorrected) with the
-- criteria the corrected referral fails. Old rows: episode 1 with no earlier episodes (re-referrals
-- made before this revision sent no ReferralEpisodeLinked, so a rebuild cannot tell either), never
-- corrected (NULL).
ALTER TABLE referrals ADD COLUMN episode_number INTEGER NOT NULL DEFAULT 1;
ALTER TABLE referrals ADD COLUMN earlier_episodes JSONB NOT NULL DEFAULT '[]';
ALTER TABLE referrals ADD COLUMN entries_correction JSONB;
