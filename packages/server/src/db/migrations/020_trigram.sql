-- Trigram similarity (pg_trgm) groups the escalated tickets of a period by similar text in the
-- recurring-problems report. A trusted extension: the database owner may create it. No index on
-- tickets: the report indexes only the period's escalated tickets, in a temporary table.
create extension if not exists pg_trgm;
