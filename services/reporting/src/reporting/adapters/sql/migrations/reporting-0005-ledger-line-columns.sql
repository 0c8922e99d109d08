-- Issue 13 "Speed": what the payable answer reads of every line, kept beside its `record`, so neither
-- the totals nor the amount order nor the narrowing reads the record itself (an S line's record carries
-- the id of every activity row counted for its cohort: kilobytes, TOASTed). Generated from the record
-- by PostgreSQL on every INSERT and COPY, so the writers (the consumer's projection, the rebuild) are
-- unchanged and the columns can never disagree with the record; NULL on exceptions (X).
-- `payer_shares_json` is the shares' JSON as text: the totals group the lines by it (text compares
-- bytewise, far cheaper than jsonb) and read only each distinct split's shares.
ALTER TABLE ledger_lines
    ADD COLUMN amount            BIGINT GENERATED ALWAYS AS ((record->>'amount')::bigint) STORED,
    ADD COLUMN payer_shares_json TEXT   GENERATED ALWAYS AS ((record->'payer_shares')::text) STORED,
    ADD COLUMN patient_id        TEXT   GENERATED ALWAYS AS (record->>'patient_id') STORED,
    ADD COLUMN cohort            TEXT   GENERATED ALWAYS AS (record->>'cohort') STORED;

-- The exceptions at (D, T) (facts no rulebook covers: few) without a scan of every line.
CREATE INDEX ledger_lines_exceptions ON ledger_lines USING gist (payable) WHERE kind = 'X';
