-- The agent workspace's own configuration: macros (canned replies that may also set fields) and
-- saved views of the ticket list. Each is personal (its owner's) or shared with every agent.
create table macros (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references users (id),
  shared boolean not null default false,
  name text not null check (length(name) between 1 and 120),
  -- The reply's text per language; the one of the ticket's language is used.
  body_id text not null default '',
  body_en text not null default '',
  kind text not null default 'reply' check (kind in ('reply', 'note')),
  -- Field changes made when the macro is applied: status, priority, tags_add, tags_remove, group_id.
  changes jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index macros_owner_idx on macros (owner_id);
create index macros_shared_idx on macros (shared) where shared;

create table saved_views (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references users (id),
  shared boolean not null default false,
  name text not null check (length(name) between 1 and 120),
  -- The console's list: queue, search text, status and priority filters.
  filters jsonb not null default '{}'::jsonb,
  sort text not null default '-updated_at',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index saved_views_owner_idx on saved_views (owner_id);
create index saved_views_shared_idx on saved_views (shared) where shared;
