-- Revision 2: index each nested ORUK child by the record it belongs to. Every service document is
-- assembled with `WHERE service_id = ANY(...)` on these tables (contacts, schedules, costs, ...),
-- `GET /services?day=` filters on `schedule.service_id`, a location's address and accessibility are
-- read by `location_id`, phones by `contact_id`, and `PUT /services/{id}` deletes the children by
-- `service_id`; without these each of them scans the whole table (PostgreSQL indexes the referenced
-- key of a foreign key, not the referencing column).
CREATE INDEX service_at_location_service ON service_at_location (service_id);
CREATE INDEX service_at_location_location ON service_at_location (location_id);
CREATE INDEX contact_service ON contact (service_id);
CREATE INDEX phone_contact ON phone (contact_id);
CREATE INDEX schedule_service ON schedule (service_id);
CREATE INDEX cost_option_service ON cost_option (service_id);
CREATE INDEX funding_service ON funding (service_id);
CREATE INDEX language_service ON language (service_id);
CREATE INDEX service_area_service ON service_area (service_id);
CREATE INDEX address_location ON address (location_id);
CREATE INDEX accessibility_location ON accessibility (location_id);
CREATE INDEX taxonomy_term_taxonomy ON taxonomy_term (taxonomy_id);
CREATE INDEX taxonomy_term_parent ON taxonomy_term (parent_id);
