-- Imports (issue 21): what each imported record became. One row per record of a source, written in
-- the transaction that writes the record, so a second run updates instead of duplicating and an
-- interrupted run continues after the last committed batch. `external_id` is the record's key in
-- the transfer format (`zendesk:ticket:123`); `local_id` the row it made (a uuid).
create table import_mappings (
  source text not null,
  kind text not null,
  external_id text not null,
  local_id uuid not null,
  imported_at timestamptz not null default now(),
  primary key (source, kind, external_id)
);

-- The ticket's number in the system it came from: `#123` finds it as well as local ticket 123.
-- Null for tickets made here, so the partial index costs native tickets nothing.
alter table tickets add column external_number text;
create index tickets_external_number_idx on tickets (external_number) where external_number is not null;
