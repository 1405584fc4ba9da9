-- Reports at 1,000,000 tickets (issue 17): the SLA report counts the ledgers of the tickets created
-- in a period by priority. It joined every ledger (1,000,000 index entries) to the period's tickets;
-- each ledger now carries its ticket's created_at and priority, kept by PostgreSQL in the writing
-- statement's transaction (copied when the ledger is inserted, and again when the ticket's priority
-- or created_at changes: rare), and its report index is keyed by the ticket's created_at. So the
-- report reads one index range, exactly what the join read. The index replaces 031's (same
-- columns plus these two): a ledger write still changes one report index entry.
alter table ticket_sla
  add column ticket_created_at timestamptz,
  add column ticket_priority text;

update ticket_sla s set ticket_created_at = t.created_at, ticket_priority = t.priority
from tickets t where t.id = s.ticket_id;

create function ticket_sla_ticket_facts() returns trigger language plpgsql as $$
begin
  select t.created_at, t.priority into new.ticket_created_at, new.ticket_priority
    from tickets t where t.id = new.ticket_id;
  return new;
end
$$;
create trigger ticket_sla_ticket_facts before insert on ticket_sla
  for each row execute function ticket_sla_ticket_facts();

-- 032's trigger on tickets, now also for the ledgers (and created_at, which an import may set).
create or replace function ticket_facts_changed() returns trigger language plpgsql as $$
begin
  if old.category_id is distinct from new.category_id or old.channel is distinct from new.channel
    or old.priority is distinct from new.priority or old.organization_id is distinct from new.organization_id
    or old.tags is distinct from new.tags then
    update escalations set ticket_category_id = new.category_id, ticket_channel = new.channel,
      ticket_priority = new.priority, ticket_organization_id = new.organization_id, ticket_tags = new.tags
    where ticket_id = new.id;
  end if;
  if old.priority is distinct from new.priority or old.created_at is distinct from new.created_at then
    update ticket_sla set ticket_created_at = new.created_at, ticket_priority = new.priority
    where ticket_id = new.id;
  end if;
  return null;
end
$$;
drop trigger tickets_facts_on_update on tickets;
create trigger tickets_facts_on_update after update of category_id, channel, priority, organization_id, tags, created_at
  on tickets
  for each row when (old.category_id is distinct from new.category_id or old.channel is distinct from new.channel
    or old.priority is distinct from new.priority or old.organization_id is distinct from new.organization_id
    or old.tags is distinct from new.tags or old.created_at is distinct from new.created_at)
  execute function ticket_facts_changed();

drop index if exists ticket_sla_report_idx;
create index ticket_sla_report_idx on ticket_sla (ticket_created_at) include (
  ticket_id, ticket_priority, sla_first_response, sla_next_response, sla_periodic_update, sla_resolution,
  sla_tier_budget_0, sla_tier_budget_1, sla_tier_budget_2, sla_tier_budget_3, sla_other_targets);
