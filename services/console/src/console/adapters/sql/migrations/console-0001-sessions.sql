-- The console's sign-ins, server-side (adapters/session_store.py): sign-out and the idle timeout
-- end every copy of a session cookie. IF NOT EXISTS: databases made before migrations had it.
CREATE TABLE IF NOT EXISTS console_sessions (
    session_id    uuid PRIMARY KEY,          -- in the signed session cookie
    started_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,      -- moved by every request: the idle timeout counts from it
    ends_at       timestamptz NOT NULL,      -- started_at + SESSION_MINUTES, whatever happens
    signed_out_at timestamptz                -- set by sign-out: every copy of the cookie is refused
);
CREATE INDEX IF NOT EXISTS console_sessions_ends_at ON console_sessions (ends_at);
