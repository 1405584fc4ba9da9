-- SLA clocks (issue 3): each ticket's incremental SLA ledger and the background recompute jobs.

-- One row per ticket under SLA: the history the clocks are computed from (status spells, customer
-- messages and agent replies, tier changes) kept incrementally by the ticket hook, plus what the
-- timers already recorded (warnings, breaches), so a recompute never rewrites that history.
-- policy_id has no foreign key on purpose: the history outlives a deleted policy.
create table ticket_sla (
  ticket_id uuid primary key references tickets (id),
  policy_id uuid,
  policy_version int,
  ledger jsonb not null,
  updated_at timestamptz not null default now()
);
create index ticket_sla_policy_idx on ticket_sla (policy_id, ticket_id);

-- Recomputing open tickets after a calendar or policy edit, in batches driven by the timer worker.
create table sla_recompute_jobs (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('calendar', 'policy', 'all')),
  target_id uuid,
  policy_ids uuid[] not null default '{}',
  total int not null default 0,
  done int not null default 0,
  cursor uuid,
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index sla_recompute_jobs_created_idx on sla_recompute_jobs (created_at desc);
