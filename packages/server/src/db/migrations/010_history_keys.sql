-- The rows a change appends beside its ticket (timeline events, escalation records, rule firings,
-- outbound mail records, outbox rows, timers) are written only in the transaction that holds the
-- ticket's row lock, and tickets, users and groups are never deleted (a user is disabled; no
-- route deletes a group or a ticket). Their foreign keys checked nothing the application does not
-- already guarantee, at a price paid on the busiest path: one lookup and one row lock per key per
-- row, some 17 for a deadline escalation, the group and user locks shared by every batch in
-- flight. The tickets' own keys (group, assignee, requester, category, policy) stay.
do $$
declare
  k record;
begin
  for k in select * from (values
    ('ticket_events', 'ticket_events_ticket_id_fkey'), ('ticket_events', 'ticket_events_actor_id_fkey'),
    ('timers', 'timers_ticket_id_fkey'),
    ('escalations', 'escalations_ticket_id_fkey'), ('escalations', 'escalations_actor_id_fkey'),
    ('escalations', 'escalations_from_group_id_fkey'), ('escalations', 'escalations_to_group_id_fkey'),
    ('escalations', 'escalations_from_assignee_id_fkey'), ('escalations', 'escalations_to_assignee_id_fkey'),
    ('rule_firings', 'rule_firings_ticket_id_fkey'), ('outbox', 'outbox_ticket_id_fkey'),
    ('mail_messages', 'mail_messages_ticket_id_fkey')) as v (tbl, name)
  loop
    execute format('alter table %I drop constraint if exists %I', k.tbl, k.name);
  end loop;
end $$;

-- No query looks up timeline events by type and time (the timeline and the SLA ledger rebuild go by
-- ticket; the board and reports count escalation records): three index entries fewer per escalation.
drop index if exists ticket_events_type_at_idx;
