-- One service database and its roles (docs/security.md §11), idempotently; run by psql as the cluster
-- owner with the variables db, role (the service role), owner (the schema owner) and their passwords
-- role_pw, owner_pw set on stdin (`deploy/bin/postgres createdb`, the image's `createdb`).
-- \gexec runs each generated statement only when its row exists; %I/%L quote names and literals.
SELECT format('CREATE ROLE %I LOGIN', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'owner', :'owner_pw') \gexec
SELECT format('CREATE ROLE %I LOGIN', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'role', :'role_pw') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
-- A database made when the service role owned and used it (before the two roles) passes to the owner.
SELECT coalesce((SELECT pg_get_userbyid(datdba) = :'role' AND :'role' <> :'owner' FROM pg_database
                 WHERE datname = :'db'), false) AS role_owned \gset
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'owner') \gexec
-- Only its roles (and superusers) may connect; nobody makes temporary tables.
SELECT format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', :'db') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', :'db', :'role') \gexec
\connect :"db"
SELECT format('REASSIGN OWNED BY %I TO %I', :'role', :'owner') WHERE :'role_owned' \gexec
-- The service role: rows, never the schema; no TRUNCATE, REFERENCES or TRIGGER. Revisions take back
-- more where a table needs it (the access audit: SELECT and INSERT only).
SELECT format('REVOKE CREATE ON SCHEMA public FROM PUBLIC') \gexec
SELECT format('GRANT USAGE ON SCHEMA public TO %I', :'role') \gexec
SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I',
              :'owner', :'role') WHERE :'role' <> :'owner' \gexec
SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %I',
              :'owner', :'role') WHERE :'role' <> :'owner' \gexec
-- Its tables from before get what the default privileges give new ones; the `linkwell migrate` that
-- follows takes back what no role but the owner may do (linkwell_runtime.migrations.OWNER_ONLY).
SELECT format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', :'role')
 WHERE :'role_owned' \gexec
SELECT format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', :'role') WHERE :'role_owned' \gexec
