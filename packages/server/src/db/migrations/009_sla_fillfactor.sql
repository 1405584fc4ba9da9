-- A ticket's SLA row is rewritten at each of its changes (the ledger), never its keys: with room
-- left on each page, PostgreSQL writes the new version beside the old one without touching the
-- indexes (a HOT update). Pages written from now on keep a fifth free.
alter table ticket_sla set (fillfactor = 80);
