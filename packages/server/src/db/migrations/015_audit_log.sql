-- The audit log of configuration changes (admin/audit.repo.ts): who changed which rule, SLA policy,
-- calendar, user, API token, webhook, mail template, group, tier or category, when, with the row
-- before and after. Rows are written by triggers on those tables, so in the same transaction as
-- the change whatever code path made it; the service sets who and when first (set_config(...,
-- true), local to the transaction; unset = Eskala itself). Secrets never reach the log: the
-- hidden columns are stored as {"redacted": true} (with "changed": true after a change).
-- Append-only like the timeline.

create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null,
  actor_id uuid,
  actor_name text not null,
  action text not null check (action in ('created', 'updated', 'deleted')),
  entity text not null,
  entity_id text not null,
  entity_name text not null,
  before jsonb,
  after jsonb
);
create index audit_log_at_idx on audit_log (at desc, id desc);
create index audit_log_entity_idx on audit_log (entity, entity_id, id desc);
create index audit_log_actor_idx on audit_log (actor_id, id desc);

create function audit_log_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_immutable();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_immutable();

-- Arguments: entity, name columns and id columns (comma-separated), hidden columns, ignored columns
-- (not compared, not stored), and whether inserts made by Eskala itself are left out (customers
-- created by incoming mail).
create function audit_change() returns trigger language plpgsql as $$
declare
  entity text := tg_argv[0];
  name_cols text[] := string_to_array(tg_argv[1], ',');
  id_cols text[] := string_to_array(tg_argv[2], ',');
  hidden text[] := string_to_array(tg_argv[3], ',');
  ignored text[] := string_to_array(tg_argv[4], ',');
  actor_id uuid := nullif(current_setting('eskala.actor_id', true), '')::uuid;
  b jsonb;
  a jsonb;
  k text;
  name text;
  id text;
begin
  if tg_op = 'INSERT' and actor_id is null and tg_argv[5] = 'skip_system_inserts' then return null; end if;
  if tg_op <> 'INSERT' then b := to_jsonb(old) - ignored; end if;
  if tg_op <> 'DELETE' then a := to_jsonb(new) - ignored; end if;
  if tg_op = 'UPDATE' and a = b then return null; end if;
  foreach k in array hidden loop
    if a ? k then
      a := jsonb_set(a, array[k], case when b ? k and b -> k is distinct from a -> k
        then '{"redacted": true, "changed": true}'::jsonb else '{"redacted": true}'::jsonb end);
    end if;
    if b ? k then b := jsonb_set(b, array[k], '{"redacted": true}'::jsonb); end if;
  end loop;
  select string_agg(coalesce(a, b) ->> c, ' / ') into name from unnest(name_cols) c;
  select string_agg(coalesce(a, b) ->> c, ':') into id from unnest(id_cols) c;
  insert into audit_log (at, actor_id, actor_name, action, entity, entity_id, entity_name, before, after)
  values (
    coalesce(nullif(current_setting('eskala.audit_at', true), '')::timestamptz, now()),
    actor_id,
    coalesce(nullif(current_setting('eskala.actor_name', true), ''), 'Eskala'),
    case tg_op when 'INSERT' then 'created' when 'UPDATE' then 'updated' else 'deleted' end,
    entity, coalesce(id, ''), coalesce(name, ''), b, a
  );
  return null;
end $$;

-- Only the columns a person changes: a token's last_used_at and a webhook's failure count do not
-- fire these.
create trigger escalation_rules_audit after insert or delete or update on escalation_rules
  for each row execute function audit_change('rule', 'name', 'id', '', 'updated_at');
create trigger sla_policies_audit after insert or delete or update on sla_policies
  for each row execute function audit_change('sla_policy', 'name', 'id', '', 'updated_at,version');
create trigger calendars_audit after insert or delete or update on calendars
  for each row execute function audit_change('calendar', 'name', 'id', '', 'updated_at,version');
create trigger users_audit after insert or delete
  or update of email, name, role, password_hash, language, organization_id, disabled on users
  for each row execute function audit_change('user', 'name', 'id', 'password_hash', '', 'skip_system_inserts');
create trigger api_tokens_audit after insert or delete or update of user_id, name, token_hash, revoked_at on api_tokens
  for each row execute function audit_change('api_token', 'name', 'id', 'token_hash', 'last_used_at');
create trigger webhooks_audit after insert or delete or update of name, url, secret, events, enabled on webhooks
  for each row execute function audit_change('webhook', 'name', 'id', 'secret', 'consecutive_failures');
create trigger mail_templates_audit after insert or delete or update on mail_templates
  for each row execute function audit_change('mail_template', 'key,language', 'key,language', '', 'updated_at,updated_by');
create trigger groups_audit after insert or delete or update on groups
  for each row execute function audit_change('group', 'name', 'id', '', '');
create trigger tiers_audit after insert or delete or update on tiers
  for each row execute function audit_change('tier', 'name', 'level', '', '');
create trigger categories_audit after insert or delete or update on categories
  for each row execute function audit_change('category', 'name', 'id', '', '');
