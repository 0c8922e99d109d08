-- Issue 13 "Speed": the payable answer's totals without reading every line. `ledger_totals` holds, per
-- (achieved date, payable range, type, provider, payer split), how many W/S line versions there are and
-- their pence: lines that share all of these (e.g. the same review price for one provider, recorded in
-- one transaction, or many programmes' histories side by side) are one row, so the totals at (D, T) sum
-- the rows with `on_date <= D AND known_from <= T < known_to`, grouped as before, instead of every line.
-- Kept by triggers on `ledger_lines` in the transaction that stores the versions (every writer: the
-- consumer, uploads, the rebuild, `--ledger-only`; COPY and TRUNCATE too), so the two can never
-- disagree within a snapshot. No NULLs in the key (equality joins, the unique index): `known_to`
-- 'infinity' for a version that still holds, `provider` the provider id as text or 'programme' (what
-- the totals call a line without one), `payer_shares_json` '[]' when a line has no shares.
CREATE TABLE ledger_totals (
    on_date           DATE        NOT NULL,
    known_from        TIMESTAMPTZ NOT NULL,  -- lower(payable)
    known_to          TIMESTAMPTZ NOT NULL,  -- upper(payable), 'infinity' when unbounded
    kind              TEXT        NOT NULL,  -- 'W' or 'S'
    provider          TEXT        NOT NULL,
    payer_shares_json TEXT        NOT NULL,
    lines             INTEGER     NOT NULL,
    pence             BIGINT      NOT NULL,
    CONSTRAINT ledger_totals_key UNIQUE (on_date, known_from, known_to, kind, provider, payer_shares_json)
);

CREATE FUNCTION ledger_totals_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_totals AS t
    SELECT on_date, lower(payable), COALESCE(upper(payable), 'infinity'), kind,
           COALESCE(provider_id::text, 'programme'), COALESCE(payer_shares_json, '[]'), count(*), sum(amount)
      FROM added WHERE kind IN ('W', 'S') AND NOT isempty(payable)
     GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ON CONSTRAINT ledger_totals_key
    DO UPDATE SET lines = t.lines + EXCLUDED.lines, pence = t.pence + EXCLUDED.pence;
    RETURN NULL;
END $$;

CREATE FUNCTION ledger_totals_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- one statement, one snapshot: rows whose every line went are deleted, the others lowered (disjoint)
    WITH gone AS (
        SELECT on_date, lower(payable) AS known_from, COALESCE(upper(payable), 'infinity') AS known_to, kind,
               COALESCE(provider_id::text, 'programme') AS provider,
               COALESCE(payer_shares_json, '[]') AS payer_shares_json, count(*) AS lines, sum(amount) AS pence
          FROM removed WHERE kind IN ('W', 'S') AND NOT isempty(payable)
         GROUP BY 1, 2, 3, 4, 5, 6),
    emptied AS (
        DELETE FROM ledger_totals t USING gone g
         WHERE (t.on_date, t.known_from, t.known_to, t.kind, t.provider, t.payer_shares_json)
             = (g.on_date, g.known_from, g.known_to, g.kind, g.provider, g.payer_shares_json)
           AND t.lines = g.lines)
    UPDATE ledger_totals t SET lines = t.lines - g.lines, pence = t.pence - g.pence FROM gone g
     WHERE (t.on_date, t.known_from, t.known_to, t.kind, t.provider, t.payer_shares_json)
         = (g.on_date, g.known_from, g.known_to, g.kind, g.provider, g.payer_shares_json)
       AND t.lines <> g.lines;
    RETURN NULL;
END $$;

CREATE FUNCTION ledger_totals_empty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE ledger_totals;
    RETURN NULL;
END $$;

CREATE TRIGGER ledger_totals_added AFTER INSERT ON ledger_lines
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ledger_totals_add();
CREATE TRIGGER ledger_totals_removed AFTER DELETE ON ledger_lines
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION ledger_totals_remove();
-- an UPDATE (no writer makes one; a hand-made fix might) is its old rows removed, then its new rows added
CREATE TRIGGER ledger_totals_updated_removed AFTER UPDATE ON ledger_lines
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION ledger_totals_remove();
CREATE TRIGGER ledger_totals_updated_added AFTER UPDATE ON ledger_lines
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ledger_totals_add();
CREATE TRIGGER ledger_totals_emptied AFTER TRUNCATE ON ledger_lines
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_totals_empty();

INSERT INTO ledger_totals
SELECT on_date, lower(payable), COALESCE(upper(payable), 'infinity'), kind,
       COALESCE(provider_id::text, 'programme'), COALESCE(payer_shares_json, '[]'), count(*), sum(amount)
  FROM ledger_lines WHERE kind IN ('W', 'S') AND NOT isempty(payable)
 GROUP BY 1, 2, 3, 4, 5, 6;

-- The first page in the ledger's order (the console's default) without sorting the answer: the
-- narrowed lines read in index order, and the scan stops once the page is full.
CREATE INDEX ledger_lines_order ON ledger_lines (on_date, kind, outcome_id) WHERE kind IN ('W', 'S');
