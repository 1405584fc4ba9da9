-- Reports at 1,000,000 tickets (issue 17): the escalation counts, the rising categories and tags
-- and the escalation export group and filter a period's escalation records by their ticket's
-- category, channel, priority, organisation and tags. Joining every record to `tickets` read the
-- whole table (340 MB at a million tickets). Each record now carries its ticket's current values,
-- kept by PostgreSQL in the writing statement's transaction: copied when the record is inserted,
-- and copied again to the ticket's records when one of them changes on the ticket (rare: a ticket
-- has a few records, and these fields seldom change after an escalation). So a report reads what
-- the join read, exactly, and the write path pays one key lookup per record inserted.
alter table escalations
  add column ticket_category_id uuid,
  add column ticket_channel text,
  add column ticket_priority text,
  add column ticket_organization_id uuid,
  add column ticket_tags text[] not null default '{}';

update escalations e set ticket_category_id = t.category_id, ticket_channel = t.channel,
  ticket_priority = t.priority, ticket_organization_id = t.organization_id, ticket_tags = t.tags
from tickets t where t.id = e.ticket_id;

create function escalation_ticket_facts() returns trigger language plpgsql as $$
begin
  select t.category_id, t.channel, t.priority, t.organization_id, t.tags
    into new.ticket_category_id, new.ticket_channel, new.ticket_priority, new.ticket_organization_id, new.ticket_tags
    from tickets t where t.id = new.ticket_id;
  return new;
end
$$;
create trigger escalations_ticket_facts before insert on escalations
  for each row execute function escalation_ticket_facts();

create function ticket_facts_changed() returns trigger language plpgsql as $$
begin
  update escalations set ticket_category_id = new.category_id, ticket_channel = new.channel,
    ticket_priority = new.priority, ticket_organization_id = new.organization_id, ticket_tags = new.tags
  where ticket_id = new.id;
  return null;
end
$$;
create trigger tickets_facts_on_update after update of category_id, channel, priority, organization_id, tags on tickets
  for each row when (old.category_id is distinct from new.category_id or old.channel is distinct from new.channel
    or old.priority is distinct from new.priority or old.organization_id is distinct from new.organization_id
    or old.tags is distinct from new.tags)
  execute function ticket_facts_changed();

-- The period's records with what the reports group by, from the index alone (it replaces 031's).
drop index if exists escalations_created_idx;
create index escalations_created_idx on escalations (created_at, id) include (
  ticket_id, type, reason, trigger, from_tier, from_group_id, from_assignee_id, actor_id,
  ticket_category_id, ticket_channel, ticket_priority, ticket_organization_id, ticket_tags);
