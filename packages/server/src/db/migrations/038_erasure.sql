-- Erasure of a customer's personal data (transfer/erase.ts, `eskala erase --requester`).
-- The timeline and the audit log stay append-only, except for the erasure's own transaction: it
-- sets `eskala.erasure` (set_config(…, true), local to the transaction) and may then rewrite the
-- personal words in a row (never delete one), so the history keeps its shape and its counts.
-- `erasures` remembers who was erased by a keyed hash of their address (HMAC with the instance's
-- secret), so a second run for the same address is a no-op; the address itself is kept nowhere.

create table erasures (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  email_hash text not null unique,
  erased_at timestamptz not null,
  summary jsonb not null
);

create or replace function ticket_events_immutable() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and current_setting('eskala.erasure', true) = 'on' then return new; end if;
  raise exception 'ticket_events is append-only';
end $$;

create or replace function audit_log_immutable() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and current_setting('eskala.erasure', true) = 'on' then return new; end if;
  raise exception 'audit_log is append-only';
end $$;
