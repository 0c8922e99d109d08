-- The access audit is append-only at the database level (docs/security.md §4, §11): no role but the
-- schema owner may UPDATE, DELETE or TRUNCATE it; the service role keeps SELECT and INSERT (it writes a
-- row with each audited answer, and the auditor's API reads them). Whatever the default privileges gave
-- it is taken back here, so this holds however the roles were made.
DO $$
DECLARE
    grantee_name name;
BEGIN
    FOR grantee_name IN
        SELECT DISTINCT pg_get_userbyid(a.grantee)
        FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
        WHERE c.oid = 'access_audit'::regclass AND a.grantee NOT IN (c.relowner, 0)
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON access_audit FROM %I', grantee_name);
    END LOOP;
END $$;
REVOKE UPDATE, DELETE, TRUNCATE ON access_audit FROM PUBLIC;

-- The auditor's reads (linkwell_runtime.audit_routes): in order by time, by patient, by who read.
CREATE INDEX IF NOT EXISTS access_audit_at ON access_audit (at, id);
CREATE INDEX IF NOT EXISTS access_audit_patient ON access_audit (patient_id, at);
CREATE INDEX IF NOT EXISTS access_audit_subject ON access_audit (subject, at);
