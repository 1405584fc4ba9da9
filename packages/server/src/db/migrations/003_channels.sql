-- Channels: email intake and outbound mail, knowledge base (tier 0), satisfaction surveys, engineering links.

-- Instance-wide settings; holds the generated signing secret when ESKALA_SECRET is not set.
create table settings (
  key text primary key,
  value text not null,
  updated_at timestamptz not null default now()
);

-- Every mail of a ticket's thread, inbound and outbound, by Message-ID: threading looks replies up here.
create table mail_messages (
  message_id text primary key,
  ticket_id uuid not null references tickets (id),
  direction text not null check (direction in ('inbound', 'outbound')),
  template text,
  recipient text,
  created_at timestamptz not null default now()
);
create index mail_messages_ticket_idx on mail_messages (ticket_id, created_at);
create index mail_messages_recipient_idx on mail_messages (lower(recipient), created_at) where direction = 'outbound';

-- Mail accepted by SMTP but deliberately not turned into tickets (auto-replies, bulk, bounces).
create table mail_rejections (
  id bigint generated always as identity primary key,
  reason text not null,
  message_id text,
  mail_from text,
  rcpt_to text[] not null default '{}',
  subject text,
  created_at timestamptz not null default now()
);
create index mail_rejections_created_idx on mail_rejections (created_at desc);

-- Admin overrides of the built-in customer email templates, per language.
create table mail_templates (
  key text not null,
  language text not null check (language in ('id', 'en')),
  subject text not null,
  body text not null,
  updated_by uuid references users (id),
  updated_at timestamptz not null default now(),
  primary key (key, language)
);

-- Knowledge base. `search_text` (tags, category) and `body_text` (Markdown reduced to text) are
-- written by the app; the tsvector uses the article's own language configuration.
create table kb_articles (
  id uuid primary key default gen_random_uuid(),
  title text not null,
  body text not null,
  body_text text not null,
  keywords text not null default '',
  category text,
  tags text[] not null default '{}',
  language text not null check (language in ('id', 'en')),
  status text not null default 'draft' check (status in ('draft', 'published')),
  author_id uuid references users (id),
  version int not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  published_at timestamptz,
  search tsvector generated always as (
    case
      when language = 'en' then
        setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', keywords), 'B')
          || setweight(to_tsvector('english', body_text), 'C')
      else
        setweight(to_tsvector('indonesian', title), 'A') || setweight(to_tsvector('indonesian', keywords), 'B')
          || setweight(to_tsvector('indonesian', body_text), 'C')
    end
  ) stored
);
-- Public search reads published articles of one language: one partial GIN index per language.
-- fastupdate off: articles are written rarely and read on every keystroke, and a GIN pending list
-- (scanned linearly until vacuum) made the planner fall back to sequential scans after bulk loads.
create index kb_articles_search_id_idx on kb_articles using gin (search) with (fastupdate = off)
  where status = 'published' and language = 'id';
create index kb_articles_search_en_idx on kb_articles using gin (search) with (fastupdate = off)
  where status = 'published' and language = 'en';
create index kb_articles_list_idx on kb_articles (language, status, updated_at desc, id desc);

-- "This solved my problem": a request that never became a ticket.
create table kb_deflections (
  id bigint generated always as identity primary key,
  article_id uuid not null references kb_articles (id) on delete cascade,
  query text not null default '',
  user_id uuid references users (id),
  created_at timestamptz not null default now()
);
create index kb_deflections_article_idx on kb_deflections (article_id);

-- One survey per solve; the signed link carries its id and expiry.
create table csat_surveys (
  id uuid primary key default gen_random_uuid(),
  ticket_id uuid not null references tickets (id),
  requester_id uuid not null references users (id),
  solved_at timestamptz not null,
  solved_tier int,
  escalated boolean not null,
  expires_at timestamptz not null,
  rating int check (rating between 1 and 5),
  comment text,
  rated_at timestamptz,
  created_at timestamptz not null default now()
);
create index csat_surveys_ticket_idx on csat_surveys (ticket_id, created_at desc);
create index csat_surveys_rated_idx on csat_surveys (rated_at) where rated_at is not null;

-- Engineering links (tier 3): a ticket tied to an external issue whose status flows back.
create table ticket_links (
  id uuid primary key default gen_random_uuid(),
  ticket_id uuid not null references tickets (id),
  url text not null,
  key text not null,
  title text,
  status text,
  status_updated_at timestamptz,
  created_by uuid references users (id),
  created_at timestamptz not null default now()
);
create unique index ticket_links_ticket_key on ticket_links (ticket_id, lower(key));
create index ticket_links_key_idx on ticket_links (lower(key));

-- Inbound integrations (issue trackers) with their signing secrets.
create table integrations (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  secret text not null,
  enabled boolean not null default true,
  created_at timestamptz not null default now()
);
create unique index integrations_name_key on integrations (lower(name));

-- Signatures already accepted, so a captured call cannot be replayed inside its 5-minute window.
create table integration_signatures (
  signature text primary key,
  seen_at timestamptz not null
);
create index integration_signatures_seen_idx on integration_signatures (seen_at);
