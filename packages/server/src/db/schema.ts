import type { Channel, Language, Priority, ResolutionCode, TicketStatus } from "@eskala/core";
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** Kysely's view of the tables in migrations/. Keep in step with the SQL files. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T = unknown> = ColumnType<T, string | T, string | T>;

export interface TiersTable {
  level: number;
  name: string;
  description: Generated<string>;
}

export interface OrganizationsTable {
  id: Generated<string>;
  name: string;
  segment: string | null;
  domain: string | null;
  shared_tickets: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  role: "customer" | "agent" | "supervisor" | "admin";
  password_hash: string | null;
  language: Generated<"id" | "en">;
  organization_id: string | null;
  disabled: Generated<boolean>;
  created_at: Timestamp;
}

export interface GroupsTable {
  id: Generated<string>;
  name: string;
  kind: "tier" | "department";
  tier_level: number | null;
  is_default: Generated<boolean>;
  email_address: string | null;
  created_at: Generated<Date>;
}

export interface AgentProfilesTable {
  user_id: string;
  tier: number;
  languages: ColumnType<string[], string[] | undefined, string[]>;
  capacity: Generated<number>;
  presence: Generated<"online" | "away" | "offline">;
  last_assigned_at: NullableTimestamp;
}

export interface AgentSkillsTable {
  user_id: string;
  skill: string;
  level: number;
}

export interface GroupMembersTable {
  group_id: string;
  user_id: string;
}

export interface GroupSupervisorsTable {
  group_id: string;
  user_id: string;
  position: Generated<number>;
}

export interface CategoriesTable {
  id: Generated<string>;
  name: string;
  skill: string | null;
  skill_level: Generated<number>;
  created_at: Generated<Date>;
}

export interface HandoffNote {
  body: string;
  author_id: string | null;
  author_name: string | null;
  at: string;
  from_tier: number;
  to_tier: number;
}

export interface TicketsTable {
  id: Generated<string>;
  number: Generated<number>;
  subject: string;
  description: string;
  requester_id: string;
  organization_id: string | null;
  channel: Channel;
  status: TicketStatus;
  priority: Priority;
  priority_rank: number;
  language: Generated<Language>;
  category_id: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  tier: number;
  group_id: string | null;
  assignee_id: string | null;
  collaborator_ids: ColumnType<string[], string[] | undefined, string[]>;
  handoff_note: Json<HandoffNote | null> | null;
  escalation_count: Generated<number>;
  resolution_code: ResolutionCode | null;
  solved_tier: number | null;
  first_response_at: NullableTimestamp;
  last_agent_reply_at: NullableTimestamp;
  last_customer_message_at: NullableTimestamp;
  solved_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
  search: ColumnType<string, never, never>;
}

export interface MessagesTable {
  id: Generated<string>;
  ticket_id: string;
  author_id: string | null;
  kind: "reply" | "note";
  body: string;
  channel: Channel;
  mentions: ColumnType<string[], string[] | undefined, string[]>;
  sentiment: number | null;
  email_message_id: string | null;
  created_at: Timestamp;
}

export interface AttachmentsTable {
  id: Generated<string>;
  message_id: string | null;
  ticket_id: string;
  filename: string;
  content_type: string;
  size: number;
  data: Buffer | Uint8Array;
  created_at: Generated<Date>;
}

export interface TicketEventsTable {
  id: Generated<number>;
  ticket_id: string;
  type: string;
  actor_kind: "user" | "customer" | "rule" | "sla_timer" | "system";
  actor_id: string | null;
  data: Json<Record<string, unknown>>;
  at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: Generated<Date>;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Generated<Date>;
  expires_at: Date;
}

export interface DB {
  tiers: TiersTable;
  organizations: OrganizationsTable;
  users: UsersTable;
  groups: GroupsTable;
  agent_profiles: AgentProfilesTable;
  agent_skills: AgentSkillsTable;
  group_members: GroupMembersTable;
  group_supervisors: GroupSupervisorsTable;
  categories: CategoriesTable;
  tickets: TicketsTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
  ticket_events: TicketEventsTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
}

export type TicketRow = Selectable<TicketsTable>;
export type NewTicket = Insertable<TicketsTable>;
export type TicketUpdate = Updateable<TicketsTable>;
export type UserRow = Selectable<UsersTable>;
