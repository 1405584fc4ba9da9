-- Web chat (the widget): host sites with the secret that signs their visitors' identity, one
-- conversation per visitor's chat, and its transcript (visitor, bot and agent lines).
create table chat_sites (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  identity_secret text not null,
  created_at timestamptz not null default now()
);

create table chat_conversations (
  id uuid primary key default gen_random_uuid(),
  site_id uuid references chat_sites (id) on delete set null,
  visitor_name text not null,
  visitor_email text not null,
  -- Identified by the host site's signed token rather than by what the visitor typed.
  verified boolean not null default false,
  language text not null check (language in ('id', 'en')),
  -- bot: tier 0 answers; deflected: the visitor said an answer solved it; handed_over: a ticket.
  state text not null default 'bot' check (state in ('bot', 'deflected', 'handed_over')),
  misses int not null default 0,
  ticket_id uuid references tickets (id),
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index chat_conversations_ticket_idx on chat_conversations (ticket_id) where ticket_id is not null;
create index chat_conversations_created_idx on chat_conversations (created_at);

create table chat_lines (
  id bigint generated always as identity primary key,
  conversation_id uuid not null references chat_conversations (id) on delete cascade,
  author text not null check (author in ('visitor', 'bot', 'agent')),
  body text not null,
  -- The bot's articles ({id,title,snippet,url}) and whether it asked "did this solve it?".
  articles jsonb not null default '[]',
  created_at timestamptz not null
);
create index chat_lines_conversation_idx on chat_lines (conversation_id, id);

-- A deflection: the visitor said the bot's answer solved it (counted per article in kb_deflections too).
create table chat_deflections (
  conversation_id uuid primary key references chat_conversations (id) on delete cascade,
  article_id uuid,
  created_at timestamptz not null
);
