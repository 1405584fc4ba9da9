-- Eskala foundation: people, tiers, groups, tickets, messages, timeline, auth.

create table tiers (
  level int primary key check (level >= 0),
  name text not null,
  description text not null default ''
);

create table organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  segment text,
  domain text,
  shared_tickets boolean not null default false,
  created_at timestamptz not null default now()
);
create unique index organizations_name_key on organizations (lower(name));

create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  name text not null,
  role text not null check (role in ('customer', 'agent', 'supervisor', 'admin')),
  password_hash text,
  language text not null default 'id' check (language in ('id', 'en')),
  organization_id uuid references organizations (id),
  disabled boolean not null default false,
  created_at timestamptz not null default now()
);
create unique index users_email_key on users (lower(email));
create index users_organization_idx on users (organization_id);

create table groups (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  kind text not null check (kind in ('tier', 'department')),
  tier_level int references tiers (level),
  is_default boolean not null default false,
  email_address text,
  created_at timestamptz not null default now()
);
create unique index groups_name_key on groups (lower(name));
create unique index groups_default_per_tier on groups (tier_level) where is_default and kind = 'tier';

create table agent_profiles (
  user_id uuid primary key references users (id) on delete cascade,
  tier int not null references tiers (level),
  languages text[] not null default '{id}',
  capacity int not null default 20 check (capacity >= 0),
  presence text not null default 'offline' check (presence in ('online', 'away', 'offline')),
  last_assigned_at timestamptz
);

create table agent_skills (
  user_id uuid not null references users (id) on delete cascade,
  skill text not null,
  level int not null check (level between 1 and 5),
  primary key (user_id, skill)
);

create table group_members (
  group_id uuid not null references groups (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  primary key (group_id, user_id)
);
create index group_members_user_idx on group_members (user_id);

create table group_supervisors (
  group_id uuid not null references groups (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  position int not null default 0,
  primary key (group_id, user_id)
);

create table categories (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  skill text,
  skill_level int not null default 1,
  created_at timestamptz not null default now()
);
create unique index categories_name_key on categories (lower(name));

create sequence ticket_number_seq start 1001;

create table tickets (
  id uuid primary key default gen_random_uuid(),
  number bigint not null default nextval('ticket_number_seq') unique,
  subject text not null,
  description text not null,
  requester_id uuid not null references users (id),
  organization_id uuid references organizations (id),
  channel text not null check (channel in ('email', 'web', 'chat', 'phone', 'api')),
  status text not null check (status in ('new', 'open', 'pending', 'on_hold', 'solved', 'closed')),
  priority text not null check (priority in ('low', 'medium', 'high', 'urgent')),
  priority_rank smallint not null,
  language text not null default 'id',
  category_id uuid references categories (id),
  tags text[] not null default '{}',
  tier int not null references tiers (level),
  group_id uuid references groups (id),
  assignee_id uuid references users (id),
  collaborator_ids uuid[] not null default '{}',
  handoff_note jsonb,
  escalation_count int not null default 0,
  resolution_code text,
  solved_tier int,
  first_response_at timestamptz,
  last_agent_reply_at timestamptz,
  last_customer_message_at timestamptz,
  solved_at timestamptz,
  closed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version int not null default 0,
  search tsvector generated always as (
    to_tsvector('simple', coalesce(subject, '') || ' ' || coalesce(description, ''))
  ) stored
);
-- Queue and list pages read open tickets newest first, filtered by a few columns; keyset on (created_at, id).
create index tickets_status_created_idx on tickets (status, created_at desc, id desc);
create index tickets_created_idx on tickets (created_at desc, id desc);
create index tickets_assignee_idx on tickets (assignee_id, status, created_at desc) where assignee_id is not null;
create index tickets_group_idx on tickets (group_id, status, created_at desc);
create index tickets_requester_idx on tickets (requester_id, created_at desc);
create index tickets_organization_idx on tickets (organization_id, created_at desc);
create index tickets_tags_idx on tickets using gin (tags);
create index tickets_search_idx on tickets using gin (search);

create table messages (
  id uuid primary key default gen_random_uuid(),
  ticket_id uuid not null references tickets (id),
  author_id uuid references users (id),
  kind text not null check (kind in ('reply', 'note')),
  body text not null,
  channel text not null,
  mentions uuid[] not null default '{}',
  sentiment real,
  email_message_id text,
  created_at timestamptz not null default now()
);
create index messages_ticket_idx on messages (ticket_id, created_at);
create unique index messages_email_message_id_key on messages (email_message_id) where email_message_id is not null;

create table attachments (
  id uuid primary key default gen_random_uuid(),
  message_id uuid references messages (id),
  ticket_id uuid not null references tickets (id),
  filename text not null,
  content_type text not null,
  size int not null,
  data bytea not null,
  created_at timestamptz not null default now()
);
create index attachments_message_idx on attachments (message_id);

-- The immutable timeline: one row per change, written in the change's transaction.
create table ticket_events (
  id bigint generated always as identity primary key,
  ticket_id uuid not null references tickets (id),
  type text not null,
  actor_kind text not null check (actor_kind in ('user', 'customer', 'rule', 'sla_timer', 'system')),
  actor_id uuid references users (id),
  data jsonb not null default '{}',
  at timestamptz not null default now()
);
create index ticket_events_ticket_idx on ticket_events (ticket_id, id);
create index ticket_events_type_at_idx on ticket_events (type, at);

create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  name text not null,
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

create table sessions (
  id text primary key,
  user_id uuid not null references users (id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user_idx on sessions (user_id);

create function ticket_events_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'ticket_events is append-only';
end $$;
create trigger ticket_events_no_update before update or delete on ticket_events
  for each row execute function ticket_events_immutable();
