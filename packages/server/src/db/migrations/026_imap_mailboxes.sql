-- IMAP mailboxes (channels/imap/): existing mailboxes Eskala fetches from. The password is
-- AES-256-GCM ciphertext under a key derived from the instance secret, never plain text.
-- A fetcher holds a mailbox by its lease (lease_owner, lease_until) so only one process fetches it.
create table imap_mailboxes (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (length(btrim(name)) between 1 and 200),
  host text not null check (length(btrim(host)) between 1 and 255),
  port int not null check (port between 1 and 65535),
  tls text not null default 'implicit' check (tls in ('implicit', 'starttls', 'none')),
  username text not null,
  password_enc text,
  folder text not null default 'INBOX',
  group_id uuid references groups (id),
  after_import text not null default 'seen' check (after_import in ('seen', 'move')),
  move_to text,
  enabled boolean not null default true,
  -- What the fetcher knows of the folder: the last UID imported under this UIDVALIDITY.
  uidvalidity bigint,
  last_uid bigint not null default 0,
  imported_count bigint not null default 0,
  last_success_at timestamptz,
  last_error text,
  last_error_code text,
  last_error_at timestamptz,
  failures int not null default 0,
  next_retry_at timestamptz,
  lease_owner text,
  lease_until timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint imap_mailboxes_move_to check (after_import <> 'move' or length(btrim(coalesce(move_to, ''))) > 0)
);

-- Each fetched message, once: written in the same transaction as the ticket or reply it made
-- (or alone, for mail the intake ignored or already had), so a second fetch of the same UID by
-- a restarted or concurrent fetcher fails on the key and changes nothing.
create table imap_imports (
  mailbox_id uuid not null references imap_mailboxes (id) on delete cascade,
  uidvalidity bigint not null,
  uid bigint not null,
  outcome text not null,
  ticket_id uuid,
  imported_at timestamptz not null default now(),
  primary key (mailbox_id, uidvalidity, uid)
);
