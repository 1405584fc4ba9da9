-- Ticket search also finds tickets by who asked and for whom (issue 18): the requester's name and
-- email, and the organisation's name. Words are indexed on the small tables (users, organizations),
-- so a search resolves the matching people and organisations first, through these indexes, and
-- then their tickets through tickets_requester_idx and tickets_organization_idx; nothing is added
-- to a ticket's own row or to ticket_search, so a ticket's writes cost what they did.
create function people_search_words(name text, email text) returns tsvector
  language sql immutable parallel safe
  return to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(email, ''));

create index users_search_idx on users using gin (people_search_words(name, email));
create index organizations_search_idx on organizations using gin (to_tsvector('simple', name));
