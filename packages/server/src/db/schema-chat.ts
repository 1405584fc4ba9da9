/** Kysely types for the tables of 027_chat.sql (the web chat widget). */
import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ChatSitesTable {
  id: Generated<string>;
  name: string;
  identity_secret: string;
  created_at: Generated<Date>;
}

export interface ChatConversationsTable {
  id: Generated<string>;
  site_id: string | null;
  visitor_name: string;
  visitor_email: string;
  verified: Generated<boolean>;
  language: "id" | "en";
  state: Generated<"bot" | "deflected" | "handed_over">;
  misses: Generated<number>;
  ticket_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ChatArticleRef {
  id: string;
  title: string;
  snippet: string;
  url: string;
}

export interface ChatLinesTable {
  id: Generated<string>;
  conversation_id: string;
  author: "visitor" | "bot" | "agent";
  body: string;
  articles: ColumnType<ChatArticleRef[], string | undefined, string>;
  created_at: Timestamp;
}

export interface ChatDeflectionsTable {
  conversation_id: string;
  article_id: string | null;
  created_at: Timestamp;
}

export interface ChatTables {
  chat_sites: ChatSitesTable;
  chat_conversations: ChatConversationsTable;
  chat_lines: ChatLinesTable;
  chat_deflections: ChatDeflectionsTable;
}
