-- The event store and its outbox (docs/architecture.md §3). Idempotent: safe to run at every start.
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
