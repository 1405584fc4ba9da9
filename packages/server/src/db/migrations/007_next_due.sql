-- Each open ticket's nearest SLA deadline moves onto the ticket (issue 4's burst, and the board at
-- 1,000,000 tickets). It was a lateral look into `ticket_clocks` per ticket: the supervisor board
-- and the "breaching" queue scanned every open ticket for it (about 6 s each with a million open
-- tickets), and every SLA change rewrote one clock row per target. The ticket now carries the
-- deadline the queues sort by, kept by the SLA part with the ticket's own change; the per-target
-- detail is the plan computed from `ticket_sla.ledger` (the SLA block), as it already was.
alter table tickets add column next_due_at timestamptz, add column next_due_target text;

update tickets t set next_due_at = d.due_at, next_due_target = d.target
from (
  select distinct on (ticket_id) ticket_id, due_at, target
  from ticket_clocks
  where state in ('active', 'warning', 'breached') and stopped_at is null and due_at is not null
  order by ticket_id, due_at
) d
where d.ticket_id = t.id;

create index tickets_next_due_idx on tickets (next_due_at) where next_due_at is not null;

drop table ticket_clocks;
