-- Keyset pages sorted by last update (within a status) or by priority (across statuses): the
-- agent console's sorts stay index scans with 1,000,000 tickets.
create index tickets_status_updated_idx on tickets (status, updated_at desc, id desc);
create index tickets_priority_idx on tickets (priority_rank, id);
