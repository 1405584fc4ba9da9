-- Ticket text search moves to a table of its own (issue 4's burst). As a stored generated column
-- of `tickets` it was computed again, and all its words entered into its GIN index again, at every
-- update of a ticket (an update that is not HOT re-enters every index), though only the subject and
-- description feed it: with a million tickets that was about 60% of an escalation's ticket update.
-- Now a ticket's words are written when it is inserted (one statement for a whole group) and when
-- its subject or description change.
create table ticket_search (
  ticket_id uuid primary key references tickets (id) on delete cascade,
  search tsvector not null
);
insert into ticket_search (ticket_id, search) select id, search from tickets;
create index ticket_search_idx on ticket_search using gin (search) with (fastupdate = off);
alter table tickets drop column search;

create function ticket_search_words(subject text, description text) returns tsvector
  language sql immutable parallel safe
  return to_tsvector('simple', coalesce(subject, '') || ' ' || coalesce(description, ''));

create function ticket_search_inserted() returns trigger language plpgsql as $$
begin
  insert into ticket_search (ticket_id, search)
  select id, ticket_search_words(subject, description) from inserted_tickets;
  return null;
end
$$;
create trigger tickets_search_on_insert after insert on tickets
  referencing new table as inserted_tickets
  for each statement execute function ticket_search_inserted();

create function ticket_search_changed() returns trigger language plpgsql as $$
begin
  update ticket_search set search = ticket_search_words(new.subject, new.description) where ticket_id = new.id;
  return null;
end
$$;
create trigger tickets_search_on_update after update of subject, description on tickets
  for each row when (old.subject is distinct from new.subject or old.description is distinct from new.description)
  execute function ticket_search_changed();
