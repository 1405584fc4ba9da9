-- A search finds a ticket by a tag in any case ("gold-member" finds "Gold-Member") through an
-- index, so that a rare tag is found without walking the tickets (issue 18's search at 1,000,000
-- tickets). The tags as typed stay in `tags` (and its index, for the exact `tag=` filter).
create function tags_folded(tags text[]) returns text[]
  language sql immutable parallel safe
  return (select coalesce(array_agg(lower(tag)), '{}') from unnest(tags) tag);

create index tickets_tags_folded_idx on tickets using gin (tags_folded(tags)) with (fastupdate = off);
