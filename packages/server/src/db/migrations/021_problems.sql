-- Problems (ITIL problem management): the root cause behind tickets that keep coming back.
-- A ticket belongs to at most one problem (problem_tickets' key is the ticket). When a problem is
-- marked fixed, each linked open ticket's customer is told once: problem_notices' key
-- (problem, ticket) is what holds "once" against a second or a concurrent PATCH.
create table problems (
  id uuid primary key default gen_random_uuid(),
  number bigint generated always as identity unique,
  title text not null check (length(btrim(title)) between 1 and 200),
  description text not null default '',
  status text not null default 'investigating' check (status in ('investigating', 'known_error', 'fixed')),
  workaround text,
  owner_id uuid references users (id),
  resolution_message_id text,
  resolution_message_en text,
  resolution_code text,
  solve_linked boolean not null default false,
  fixed_at timestamptz,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version int not null default 0,
  constraint problems_known_error_workaround check (
    status <> 'known_error' or length(btrim(coalesce(workaround, ''))) > 0
  )
);
create index problems_status_idx on problems (status, updated_at desc);

create table problem_tickets (
  ticket_id uuid primary key references tickets (id),
  problem_id uuid not null references problems (id),
  linked_by uuid references users (id),
  linked_at timestamptz not null default now()
);
create index problem_tickets_problem_idx on problem_tickets (problem_id, linked_at);

create table problem_notices (
  problem_id uuid not null references problems (id),
  ticket_id uuid not null references tickets (id),
  message_id uuid,
  sent_at timestamptz not null default now(),
  primary key (problem_id, ticket_id)
);
