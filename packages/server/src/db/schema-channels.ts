/** Kysely types for the tables of 003_channels.sql (email intake, knowledge base, satisfaction, engineering links). */
import type { ColumnType, Generated } from "kysely";
import type { WhatsappTables } from "./schema-whatsapp.ts";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: Timestamp;
}

export interface MailMessagesTable {
  message_id: string;
  ticket_id: string;
  direction: "inbound" | "outbound";
  template: string | null;
  recipient: string | null;
  created_at: Timestamp;
}

export interface MailRejectionsTable {
  id: Generated<number>;
  reason: string;
  message_id: string | null;
  mail_from: string | null;
  rcpt_to: ColumnType<string[], string[] | undefined, string[]>;
  subject: string | null;
  created_at: Timestamp;
}

export interface MailTemplatesTable {
  key: string;
  language: "id" | "en";
  subject: string;
  body: string;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface KbArticlesTable {
  id: Generated<string>;
  title: string;
  body: string;
  body_text: string;
  keywords: Generated<string>;
  category: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  language: "id" | "en";
  status: Generated<"draft" | "published">;
  author_id: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  published_at: NullableTimestamp;
  search: ColumnType<string, never, never>;
}

export interface KbDeflectionsTable {
  id: Generated<number>;
  article_id: string;
  query: Generated<string>;
  user_id: string | null;
  created_at: Timestamp;
}

export interface CsatSurveysTable {
  id: Generated<string>;
  ticket_id: string;
  requester_id: string;
  solved_at: Date;
  solved_tier: number | null;
  escalated: boolean;
  expires_at: Date;
  rating: number | null;
  comment: string | null;
  rated_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface TicketLinksTable {
  id: Generated<string>;
  ticket_id: string;
  url: string;
  key: string;
  title: string | null;
  status: string | null;
  status_updated_at: NullableTimestamp;
  created_by: string | null;
  created_at: Timestamp;
}

export interface IntegrationsTable {
  id: Generated<string>;
  name: string;
  secret: string;
  enabled: Generated<boolean>;
  created_at: Timestamp;
}

export interface IntegrationSignaturesTable {
  signature: string;
  seen_at: Date;
}

/** With WhatsApp Business (migration 025, schema-whatsapp.ts). */
export interface ChannelTables extends WhatsappTables {
  settings: SettingsTable;
  mail_messages: MailMessagesTable;
  mail_rejections: MailRejectionsTable;
  mail_templates: MailTemplatesTable;
  kb_articles: KbArticlesTable;
  kb_deflections: KbDeflectionsTable;
  csat_surveys: CsatSurveysTable;
  ticket_links: TicketLinksTable;
  integrations: IntegrationsTable;
  integration_signatures: IntegrationSignaturesTable;
}
