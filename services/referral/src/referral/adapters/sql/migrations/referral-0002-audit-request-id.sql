-- The request id of the answer each access-audit row goes with (linkwell_runtime.audit; docs/security.md).
-- IF NOT EXISTS: development databases already had it from the interim start-up script.
ALTER TABLE access_audit ADD COLUMN IF NOT EXISTS request_id UUID;
