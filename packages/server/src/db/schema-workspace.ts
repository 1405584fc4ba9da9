/** Kysely types for the agent workspace's tables (023_workspace.sql): macros and saved views. */
import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Jsonb<T> = ColumnType<T, string, string>;

export interface MacroChangesJson {
  status?: string;
  priority?: string;
  tags_add?: string[];
  tags_remove?: string[];
  group_id?: string;
}

export interface MacrosTable {
  id: Generated<string>;
  owner_id: string;
  shared: boolean;
  name: string;
  body_id: string;
  body_en: string;
  kind: "reply" | "note";
  changes: Jsonb<MacroChangesJson>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SavedViewsTable {
  id: Generated<string>;
  owner_id: string;
  shared: boolean;
  name: string;
  filters: Jsonb<Record<string, string>>;
  sort: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WorkspaceTables {
  macros: MacrosTable;
  saved_views: SavedViewsTable;
}
