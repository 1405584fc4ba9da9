-- SLA clocks, escalation engine, timers and the outbox.

create table calendars (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  definition jsonb not null,
  version int not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index calendars_name_key on calendars (lower(name));

create table sla_policies (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  position int not null,
  enabled boolean not null default true,
  calendar_id uuid references calendars (id),
  definition jsonb not null,
  version int not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index sla_policies_name_key on sla_policies (lower(name));

alter table tickets add column sla_policy_id uuid references sla_policies (id);
alter table tickets add column tier_entered_at timestamptz;
alter table tickets add column escalated_at timestamptz;

-- The computed SLA clocks of a ticket (one row per target), rewritten in each change's transaction.
create table ticket_clocks (
  ticket_id uuid not null references tickets (id),
  target text not null,
  state text not null,
  started_at timestamptz not null,
  due_at timestamptz,
  stopped_at timestamptz,
  breached_at timestamptz,
  business_minutes double precision not null,
  paused_minutes double precision not null default 0,
  data jsonb not null default '{}',
  primary key (ticket_id, target)
);
create index ticket_clocks_due_idx on ticket_clocks (due_at) where state in ('active', 'warning');

-- Deadline timers: the worker sleeps until the nearest unfired due_at and claims rows with SKIP LOCKED.
create table timers (
  id bigint generated always as identity primary key,
  ticket_id uuid references tickets (id),
  kind text not null,
  key text not null,
  due_at timestamptz not null,
  data jsonb not null default '{}',
  fired_at timestamptz,
  created_at timestamptz not null default now()
);
create unique index timers_key on timers (key) where fired_at is null;
create index timers_due_idx on timers (due_at) where fired_at is null;
create index timers_ticket_idx on timers (ticket_id) where fired_at is null;

create table escalations (
  id uuid primary key default gen_random_uuid(),
  ticket_id uuid not null references tickets (id),
  type text not null,
  reason text not null,
  reason_text text,
  trigger text not null,
  actor_id uuid references users (id),
  rule_id uuid,
  from_tier int,
  to_tier int,
  from_group_id uuid references groups (id),
  to_group_id uuid references groups (id),
  from_assignee_id uuid references users (id),
  to_assignee_id uuid references users (id),
  note text,
  created_at timestamptz not null default now()
);
create index escalations_ticket_idx on escalations (ticket_id, created_at);
create index escalations_created_idx on escalations (created_at);
create index escalations_to_assignee_idx on escalations (to_assignee_id, created_at);

create table escalation_requests (
  id uuid primary key default gen_random_uuid(),
  ticket_id uuid not null references tickets (id),
  requester_id uuid not null references users (id),
  reason text not null,
  text text,
  status text not null default 'open' check (status in ('open', 'acknowledged', 'resolved')),
  escalation_id uuid references escalations (id),
  due_at timestamptz,
  acknowledged_at timestamptz,
  resolved_at timestamptz,
  created_at timestamptz not null default now()
);
create unique index escalation_requests_one_open on escalation_requests (ticket_id) where status <> 'resolved';

create table escalation_rules (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  position int not null,
  enabled boolean not null default true,
  event text not null,
  definition jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Once per occurrence: a rule fires at most once per (rule, occurrence key).
create table rule_firings (
  rule_id uuid not null,
  occurrence_key text not null,
  ticket_id uuid not null references tickets (id),
  fired_at timestamptz not null default now(),
  primary key (rule_id, occurrence_key)
);

-- Email, webhooks and in-app notifications, written with the change and delivered by the relay.
create table outbox (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('email', 'webhook', 'notification')),
  idempotency_key text not null unique,
  ticket_id uuid references tickets (id),
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  created_at timestamptz not null default now(),
  delivered_at timestamptz
);
create index outbox_pending_idx on outbox (next_attempt_at) where status = 'pending';

create table notifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  ticket_id uuid references tickets (id),
  kind text not null,
  title text not null,
  body text not null default '',
  read_at timestamptz,
  created_at timestamptz not null default now()
);
create index notifications_user_idx on notifications (user_id, created_at desc);

create table webhooks (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  url text not null,
  secret text not null,
  events text[] not null default '{}',
  enabled boolean not null default true,
  consecutive_failures int not null default 0,
  disabled_reason text,
  created_at timestamptz not null default now()
);

create table webhook_deliveries (
  id bigint generated always as identity primary key,
  webhook_id uuid not null references webhooks (id) on delete cascade,
  outbox_id bigint references outbox (id),
  event text not null,
  status_code int,
  ok boolean not null,
  error text,
  duration_ms int,
  attempt int not null,
  at timestamptz not null default now()
);
create index webhook_deliveries_webhook_idx on webhook_deliveries (webhook_id, at desc);

alter table messages add column sentiment_label text;
alter table agent_profiles add column assigned_count bigint not null default 0;
