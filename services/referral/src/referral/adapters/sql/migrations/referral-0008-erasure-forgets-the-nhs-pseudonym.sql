-- Erasure forgets the NHS-number pseudonym (docs/domain.md §7, docs/security.md): the shredded key's
-- row keeps its patient id (the ledger's key) but no longer answers for the NHS number, so a later
-- referral of the same person is a new patient with a new key, and the referring practice is never
-- told that someone was known and erased. Applied to patients erased before this revision too.
ALTER TABLE patient_keys ALTER COLUMN nhs_number_pseudonym DROP NOT NULL;
UPDATE patient_keys SET nhs_number_pseudonym = NULL WHERE shredded_at IS NOT NULL;
UPDATE referrals SET sealed = sealed - 'nhs_number_pseudonym'
 WHERE sealed ? 'nhs_number_pseudonym'
   AND patient_id IN (SELECT patient_id FROM patient_keys WHERE shredded_at IS NOT NULL);
