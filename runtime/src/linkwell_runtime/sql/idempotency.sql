-- Answers to writes sent with an Idempotency-Key, stored in the same transaction as the write.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    caller       TEXT        NOT NULL,
    key          TEXT        NOT NULL,
    request_hash TEXT        NOT NULL,
    status_code  INTEGER     NOT NULL,
    response     JSONB       NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (caller, key)
);
