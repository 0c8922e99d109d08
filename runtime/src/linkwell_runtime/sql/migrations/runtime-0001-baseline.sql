-- Revision 1 of the runtime's tables in every service database: the event store and its outbox,
-- what each consumer has applied, and Idempotency-Key answers (as they were before migrations: its
-- IF NOT EXISTS form lets it complete a database that was half made). Never edit an applied revision.

-- The event store and its outbox (docs/architecture.md §3).
CREATE TABLE IF NOT EXISTS events (
    position          BIGSERIAL PRIMARY KEY,          -- global order within this service
    event_id          UUID        NOT NULL UNIQUE,
    aggregate_type    TEXT        NOT NULL,
    aggregate_id      TEXT        NOT NULL,
    aggregate_version INTEGER     NOT NULL CHECK (aggregate_version >= 1),
    event_type        TEXT        NOT NULL,
    schema_version    INTEGER     NOT NULL,
    occurred_at       TIMESTAMPTZ NOT NULL,
    recorded_at       TIMESTAMPTZ NOT NULL,
    envelope          JSONB       NOT NULL,
    -- optimistic concurrency: two writers of the same version, one wins
    CONSTRAINT events_aggregate_version_key UNIQUE (aggregate_id, aggregate_version)
);

CREATE TABLE IF NOT EXISTS outbox (
    id           BIGSERIAL PRIMARY KEY,               -- the relay publishes in this order
    event_id     UUID        NOT NULL UNIQUE,
    topic        TEXT        NOT NULL,
    message_key  BYTEA       NOT NULL,
    message      BYTEA       NOT NULL,
    headers      JSONB       NOT NULL DEFAULT '[]',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

-- What each consumer has applied, written in the same transaction as the effect (docs/architecture.md §3).
CREATE TABLE IF NOT EXISTS processed_events (
    consumer     TEXT        NOT NULL,
    event_id     UUID        NOT NULL,
    topic        TEXT        NOT NULL,
    kafka_partition INTEGER  NOT NULL,
    kafka_offset BIGINT      NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

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

