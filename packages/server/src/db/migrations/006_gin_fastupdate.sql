-- The tickets' GIN indexes (text search, tags) take each new entry at once instead of through a
-- pending list. With the list, an insert that found it full (4 MB) merged it into the index
-- inline, holding that creation's transaction for tens of milliseconds: the slowest creations
-- under load were those. Writing directly costs no throughput here (measured 1,505-1,546
-- creations/s against 1,414-1,440 with the list) and searches no longer scan the list.
alter index tickets_search_idx set (fastupdate = off);
alter index tickets_tags_idx set (fastupdate = off);
