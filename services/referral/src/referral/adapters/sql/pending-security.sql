-- Pending security changes (docs/security.md), for the lead to fold into a versioned migration.
-- Idempotent; applied after schema.sql at every start (linkwell_runtime.audit.apply_pending_security).

-- The request id of the answer each audit row goes with (linkwell_runtime.audit).
ALTER TABLE access_audit ADD COLUMN IF NOT EXISTS request_id UUID;
