import type { ColumnType } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Kysely's view of migration 025 (WhatsApp Business). */
export interface WhatsappContactsTable {
  wa_id: string;
  user_id: string;
  profile_name: string | null;
  last_inbound_at: Timestamp;
}

export interface WhatsappMessagesTable {
  wamid: string;
  direction: "inbound" | "outbound" | "status";
  wa_id: string;
  ticket_id: string;
  message_id: string | null;
  created_at: Timestamp;
}

export interface WhatsappTemplatesTable {
  kind: string;
  language: "id" | "en";
  name: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface WhatsappTables {
  whatsapp_contacts: WhatsappContactsTable;
  whatsapp_messages: WhatsappMessagesTable;
  whatsapp_templates: WhatsappTemplatesTable;
}
