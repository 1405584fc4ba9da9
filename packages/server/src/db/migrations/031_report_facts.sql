-- Reports at 1,000,000 tickets (issue 17). The reports read the tickets created in a period and the
-- escalation records made in it; the figures stay exact (nothing is copied by the application: the
-- indexes and generated columns below are kept by PostgreSQL in the same statement as the row).
--
-- 1. The tickets' created_at index carries what the reports count and filter by, so a period's
--    tickets are read from the index alone (an index-only scan, not 340 bytes of ticket row each).
--    It replaces the old one (same key, read backwards for the newest-first lists), so a ticket
--    still writes one entry here: the write path does not get another index.
drop index if exists tickets_created_idx;
create index tickets_created_idx on tickets (created_at, id) include (
  escalation_count, escalated_at, solved_tier, solved_at, status, tier, group_id, assignee_id, category_id,
  channel, priority, organization_id);

-- 2. Escalation records are written once. The ticket index carries each move (bouncing, time in
--    tier, tier paths, a ticket's first agent) and the created_at index what the counts group by.
drop index if exists escalations_ticket_idx;
create index escalations_ticket_idx on escalations (ticket_id, created_at) include (
  id, type, from_tier, to_tier, from_assignee_id);
drop index if exists escalations_created_idx;
create index escalations_created_idx on escalations (created_at, id) include (
  ticket_id, type, reason, trigger, from_tier, from_group_id, from_assignee_id, actor_id);

-- 3. The SLA ledger's outcome per record (a target; a tier budget per tier, `tier_budget:N`),
--    flattened by PostgreSQL at each ledger write (stored generated columns): 'a' achieved,
--    'b' breached, 'o' still open, 'x' none of these, null when the ledger has no such record.
--    `sla_other_targets` says the ledger has a record besides these (a budget of tier 4 or more:
--    the report reads those ledgers' jsonb as before). The SLA report reads these through the
--    index below instead of parsing every ledger. A ledger write that leaves the outcomes as they
--    were still updates the row in place (HOT): the indexed values did not change.
alter table ticket_sla
  add column sla_first_response "char" generated always as (case when ledger->'rec' ? 'first_response' then
    case when ledger->'rec'->'first_response'->'f'->>'state' = 'achieved' and ledger->'rec'->'first_response'->>'b' is null then 'a'
         when ledger->'rec'->'first_response'->'f'->>'state' = 'breached' or ledger->'rec'->'first_response'->>'b' is not null then 'b'
         when ledger->'rec'->'first_response'->'f' is null then 'o' else 'x' end end) stored,
  add column sla_next_response "char" generated always as (case when ledger->'rec' ? 'next_response' then
    case when ledger->'rec'->'next_response'->'f'->>'state' = 'achieved' and ledger->'rec'->'next_response'->>'b' is null then 'a'
         when ledger->'rec'->'next_response'->'f'->>'state' = 'breached' or ledger->'rec'->'next_response'->>'b' is not null then 'b'
         when ledger->'rec'->'next_response'->'f' is null then 'o' else 'x' end end) stored,
  add column sla_periodic_update "char" generated always as (case when ledger->'rec' ? 'periodic_update' then
    case when ledger->'rec'->'periodic_update'->'f'->>'state' = 'achieved' and ledger->'rec'->'periodic_update'->>'b' is null then 'a'
         when ledger->'rec'->'periodic_update'->'f'->>'state' = 'breached' or ledger->'rec'->'periodic_update'->>'b' is not null then 'b'
         when ledger->'rec'->'periodic_update'->'f' is null then 'o' else 'x' end end) stored,
  add column sla_resolution "char" generated always as (case when ledger->'rec' ? 'resolution' then
    case when ledger->'rec'->'resolution'->'f'->>'state' = 'achieved' and ledger->'rec'->'resolution'->>'b' is null then 'a'
         when ledger->'rec'->'resolution'->'f'->>'state' = 'breached' or ledger->'rec'->'resolution'->>'b' is not null then 'b'
         when ledger->'rec'->'resolution'->'f' is null then 'o' else 'x' end end) stored,
  add column sla_tier_budget_0 "char" generated always as (case when ledger->'rec' ? 'tier_budget:0' then
    case when ledger->'rec'->'tier_budget:0'->'f'->>'state' = 'achieved' and ledger->'rec'->'tier_budget:0'->>'b' is null then 'a'
         when ledger->'rec'->'tier_budget:0'->'f'->>'state' = 'breached' or ledger->'rec'->'tier_budget:0'->>'b' is not null then 'b'
         when ledger->'rec'->'tier_budget:0'->'f' is null then 'o' else 'x' end end) stored,
  add column sla_tier_budget_1 "char" generated always as (case when ledger->'rec' ? 'tier_budget:1' then
    case when ledger->'rec'->'tier_budget:1'->'f'->>'state' = 'achieved' and ledger->'rec'->'tier_budget:1'->>'b' is null then 'a'
         when ledger->'rec'->'tier_budget:1'->'f'->>'state' = 'breached' or ledger->'rec'->'tier_budget:1'->>'b' is not null then 'b'
         when ledger->'rec'->'tier_budget:1'->'f' is null then 'o' else 'x' end end) stored,
  add column sla_tier_budget_2 "char" generated always as (case when ledger->'rec' ? 'tier_budget:2' then
    case when ledger->'rec'->'tier_budget:2'->'f'->>'state' = 'achieved' and ledger->'rec'->'tier_budget:2'->>'b' is null then 'a'
         when ledger->'rec'->'tier_budget:2'->'f'->>'state' = 'breached' or ledger->'rec'->'tier_budget:2'->>'b' is not null then 'b'
         when ledger->'rec'->'tier_budget:2'->'f' is null then 'o' else 'x' end end) stored,
  add column sla_tier_budget_3 "char" generated always as (case when ledger->'rec' ? 'tier_budget:3' then
    case when ledger->'rec'->'tier_budget:3'->'f'->>'state' = 'achieved' and ledger->'rec'->'tier_budget:3'->>'b' is null then 'a'
         when ledger->'rec'->'tier_budget:3'->'f'->>'state' = 'breached' or ledger->'rec'->'tier_budget:3'->>'b' is not null then 'b'
         when ledger->'rec'->'tier_budget:3'->'f' is null then 'o' else 'x' end end) stored,
  add column sla_other_targets boolean generated always as (coalesce(jsonb_typeof(ledger->'rec') = 'object'
    and (ledger->'rec') - array['first_response', 'next_response', 'periodic_update', 'resolution', 'tier_budget:0', 'tier_budget:1', 'tier_budget:2', 'tier_budget:3'] <> '{}'::jsonb, false)) stored;
create index ticket_sla_report_idx on ticket_sla (ticket_id) include (
  sla_first_response, sla_next_response, sla_periodic_update, sla_resolution, sla_tier_budget_0, sla_tier_budget_1, sla_tier_budget_2, sla_tier_budget_3,
  sla_other_targets);
