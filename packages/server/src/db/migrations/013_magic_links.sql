-- Sign-in links sent by email to customers without a password (auth/magic-link.service.ts). The
-- link carries the row's id, its expiry and an HMAC of both; the row makes it single-use (used_at is
-- set once, by a conditional update) and counts the links an address was sent (the per-address limit).
create table magic_links (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null
);
create index magic_links_user_idx on magic_links (user_id, created_at);
