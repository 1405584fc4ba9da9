/** Kysely types for the sign-in tables added after 001 (013_magic_links.sql). */
import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface MagicLinksTable {
  id: Generated<string>;
  user_id: string;
  expires_at: Timestamp;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: Timestamp;
}

export interface AuthTables {
  magic_links: MagicLinksTable;
}
