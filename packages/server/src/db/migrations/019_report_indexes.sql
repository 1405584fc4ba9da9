-- Reports (issue 17): the escalation export reads records in keyset order (created_at, id), so the
-- index on created_at carries the id too. It replaces the old one (every query that used it can use
-- this one), so an escalation still writes one entry here and the write path is not slower.
drop index if exists escalations_created_idx;
create index escalations_created_idx on escalations (created_at, id);
