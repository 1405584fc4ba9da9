-- The export (transfer/export.ts) and the erasure (transfer/erase.ts) find a ticket's own
-- attachments (those of its description, message_id null) by ticket; without this index each batch
-- of the export read the whole table.
create index attachments_ticket_idx on attachments (ticket_id) where message_id is null;
