-- The console's sign-ins, server-side (adapters/session_store.py). PENDING: to be folded by the lead
-- into a versioned revision (console/adapters/sql/migrations/console-0001-sessions.sql, with
-- bootstrap.prepare_database then passing "console.adapters.sql"); until then the console runs this
-- file (IF NOT EXISTS) after the runtime's migrations at every start.
CREATE TABLE IF NOT EXISTS console_sessions (
    session_id    uuid PRIMARY KEY,          -- in the signed session cookie
    started_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,      -- moved by every request: the idle timeout counts from it
    ends_at       timestamptz NOT NULL,      -- started_at + SESSION_MINUTES, whatever happens
    signed_out_at timestamptz                -- set by sign-out: every copy of the cookie is refused
);
CREATE INDEX IF NOT EXISTS console_sessions_ends_at ON console_sessions (ends_at);
