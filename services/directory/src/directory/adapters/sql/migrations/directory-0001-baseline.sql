-- Revision 1 of the directory database: its tables as they were before versioned migrations (their
-- IF NOT EXISTS form lets it complete a database that was half made). Never edit an applied revision:
-- add the next file (docs/architecture.md §3.10).

-- The directory's read model: ORUK 3.0 tables, column names = ORUK field names.
CREATE TABLE IF NOT EXISTS organization (
    id uuid PRIMARY KEY, name text NOT NULL, description text NOT NULL, email text, website text,
    logo text, uri text, parent_organization_id uuid
);
CREATE TABLE IF NOT EXISTS taxonomy (
    id uuid PRIMARY KEY, name text NOT NULL, description text NOT NULL, uri text, version text
);
CREATE TABLE IF NOT EXISTS taxonomy_term (
    id uuid PRIMARY KEY, name text NOT NULL, description text NOT NULL, parent_id uuid,
    taxonomy text, taxonomy_id uuid REFERENCES taxonomy (id), term_uri text, term text
);
CREATE TABLE IF NOT EXISTS service (
    id uuid PRIMARY KEY, organization_id uuid NOT NULL REFERENCES organization (id), name text NOT NULL,
    description text, url text, email text,
    status text NOT NULL CHECK (status IN ('active', 'inactive', 'defunct', 'temporarily closed')),
    fees text, accreditations text, minimum_age integer, maximum_age integer, assured_date date,
    assurer_email text, alert text, last_modified timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS service_organization ON service (organization_id);
CREATE TABLE IF NOT EXISTS attribute (  -- a service's taxonomy terms (link_type 'service')
    id uuid PRIMARY KEY, link_id uuid NOT NULL, link_type text NOT NULL,
    taxonomy_term_id uuid NOT NULL REFERENCES taxonomy_term (id)
);
CREATE INDEX IF NOT EXISTS attribute_link ON attribute (link_id);
CREATE TABLE IF NOT EXISTS location (
    id uuid PRIMARY KEY, location_type text NOT NULL CHECK (location_type IN ('physical', 'postal', 'virtual')),
    name text, description text, latitude double precision, longitude double precision,
    external_identifier text, external_identifier_type text
);
CREATE TABLE IF NOT EXISTS address (
    id uuid PRIMARY KEY, location_id uuid NOT NULL REFERENCES location (id) ON DELETE CASCADE,
    attention text, address_1 text NOT NULL, city text NOT NULL, region text, state_province text NOT NULL,
    postal_code text NOT NULL, country text NOT NULL, address_type text NOT NULL
);
CREATE TABLE IF NOT EXISTS accessibility (
    id uuid PRIMARY KEY, location_id uuid NOT NULL REFERENCES location (id) ON DELETE CASCADE,
    description text, details text, url text, accessibility text
);
CREATE TABLE IF NOT EXISTS service_at_location (
    id uuid PRIMARY KEY, service_id uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    location_id uuid NOT NULL REFERENCES location (id)
);
CREATE TABLE IF NOT EXISTS contact (
    id uuid PRIMARY KEY, service_id uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE, name text, title text
);
CREATE TABLE IF NOT EXISTS phone (
    id uuid PRIMARY KEY, contact_id uuid NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
    number text NOT NULL, description text
);
CREATE TABLE IF NOT EXISTS schedule (
    id uuid PRIMARY KEY, service_id uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    service_at_location_id uuid, valid_from date, valid_to date, dtstart text, freq text, "interval" integer,
    byday text, bymonthday text, description text, opens_at time, closes_at time, schedule_link text,
    attending_type text, notes text
);
CREATE TABLE IF NOT EXISTS cost_option (  -- money stored as integer pence; ORUK's number `amount` on the wire
    id uuid PRIMARY KEY, service_id uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    valid_from date, valid_to date, option text, amount_pence bigint, currency text NOT NULL DEFAULT 'GBP',
    amount_description text
);
CREATE TABLE IF NOT EXISTS funding (
    id uuid PRIMARY KEY, service_id uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE, source text
);
CREATE TABLE IF NOT EXISTS language (
    id uuid PRIMARY KEY, service_id uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    name text, code text
);
CREATE TABLE IF NOT EXISTS service_area (
    id uuid PRIMARY KEY, service_id uuid NOT NULL REFERENCES service (id) ON DELETE CASCADE,
    name text, extent text, extent_type text, uri text, service_area text
);
CREATE TABLE IF NOT EXISTS postcode_centroid (  -- outcode centroids (seed data), for proximity
    outcode text PRIMARY KEY, latitude double precision NOT NULL, longitude double precision NOT NULL,
    place text NOT NULL
);
