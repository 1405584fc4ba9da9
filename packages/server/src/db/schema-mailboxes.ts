import type { Generated } from "kysely";

// --- 026_imap_mailboxes.sql

export type ImapTls = "implicit" | "starttls" | "none";
export type AfterImport = "seen" | "move";

export interface ImapMailboxesTable {
  id: Generated<string>;
  name: string;
  host: string;
  port: number;
  tls: Generated<ImapTls>;
  username: string;
  password_enc: string | null;
  folder: Generated<string>;
  group_id: string | null;
  after_import: Generated<AfterImport>;
  move_to: string | null;
  enabled: Generated<boolean>;
  uidvalidity: number | null;
  last_uid: Generated<number>;
  imported_count: Generated<number>;
  last_success_at: Date | null;
  last_error: string | null;
  last_error_code: string | null;
  last_error_at: Date | null;
  failures: Generated<number>;
  next_retry_at: Date | null;
  lease_owner: string | null;
  lease_until: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ImapImportsTable {
  mailbox_id: string;
  uidvalidity: number;
  uid: number;
  outcome: string;
  ticket_id: string | null;
  imported_at: Generated<Date>;
}

export interface MailboxTables {
  imap_mailboxes: ImapMailboxesTable;
  imap_imports: ImapImportsTable;
}
