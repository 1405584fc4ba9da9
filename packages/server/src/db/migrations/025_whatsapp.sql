-- WhatsApp Business (Cloud API) as a ticket channel: its customers, its messages (each Meta message
-- id once: a repeated webhook delivery fails on the key and writes nothing), the approved templates
-- sent outside the 24-hour customer-service window, and the outbox kind that sends to the Graph API.
alter table tickets drop constraint if exists tickets_channel_check;
alter table tickets add constraint tickets_channel_check
  check (channel in ('email', 'web', 'chat', 'phone', 'api', 'whatsapp'));
alter table outbox drop constraint if exists outbox_kind_check;
alter table outbox add constraint outbox_kind_check
  check (kind in ('email', 'webhook', 'notification', 'whatsapp'));

-- A customer by their WhatsApp id (the phone number Meta gives as wa_id); the window opens at their last message.
create table whatsapp_contacts (
  wa_id text primary key,
  user_id uuid not null references users (id),
  profile_name text,
  last_inbound_at timestamptz not null
);
create unique index whatsapp_contacts_user_key on whatsapp_contacts (user_id);

-- Every WhatsApp message of a ticket, by Meta's message id (wamid): inbound ones deduplicate,
-- outbound ones lead a status (sent, delivered, read, failed) back to their ticket.
create table whatsapp_messages (
  wamid text primary key,
  -- status: a status report seen (`status:{wamid}:{status}`), so a repeated one is recorded once.
  direction text not null check (direction in ('inbound', 'outbound', 'status')),
  wa_id text not null,
  ticket_id uuid not null,
  message_id uuid,
  created_at timestamptz not null
);
create index whatsapp_messages_ticket_idx on whatsapp_messages (ticket_id);

-- The approved template sent, outside the window, per notification kind and language.
create table whatsapp_templates (
  kind text not null,
  language text not null check (language in ('id', 'en')),
  name text not null,
  updated_at timestamptz not null default now(),
  primary key (kind, language)
);
