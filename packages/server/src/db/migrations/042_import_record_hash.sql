-- Imports (issue 21): a fingerprint of the source record an imported row was last written from.
-- A second run whose record is the same leaves the row alone (and the changes made here since,
-- such as an escalation, stand); one whose record changed writes the difference and says so on
-- the timeline. Null for rows mapped before this column (they are compared value by value).
alter table import_mappings add column record_hash text;
