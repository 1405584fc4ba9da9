import type { Channel, Language, Priority, ResolutionCode, TicketStatus } from "@eskala/core";
import type { Handoff } from "@eskala/core/escalation";
import type { ChannelTables } from "./schema-channels.ts";
import type { ChatTables } from "./schema-chat.ts";
import type { AuthTables } from "./schema-auth.ts";
import type { ProblemTables } from "./schema-problems.ts";
import type { WorkspaceTables } from "./schema-workspace.ts";
import type { MailboxTables } from "./schema-mailboxes.ts";
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
  assigned_count: Generated<number>;
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
  /** The automatic handoff of a move nobody wrote a note for (024; core escalation/handoff.ts). */
  handoff?: Handoff | null;
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
  sla_policy_id: ColumnType<string | null, string | null | undefined, string | null>;
  tier_entered_at: NullableTimestamp;
  escalated_at: NullableTimestamp;
  /** The nearest running SLA deadline (active, warning or breached, not stopped), kept by the SLA part. */
  next_due_at: NullableTimestamp;
  next_due_target: string | null;
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
  sentiment_label: ColumnType<string | null, string | null | undefined, string | null>;
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

export interface DB extends EngineTables, ChannelTables, AuthTables, WorkspaceTables, ProblemTables, MailboxTables, ChatTables {
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
export type GroupRow = Selectable<GroupsTable>;

// --- 002_engine.sql

export interface CalendarsTable {
  id: Generated<string>;
  name: string;
  definition: Json<Record<string, unknown>>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SlaPoliciesTable {
  id: Generated<string>;
  name: string;
  position: number;
  enabled: Generated<boolean>;
  calendar_id: string | null;
  definition: Json<Record<string, unknown>>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface TimersTable {
  id: Generated<number>;
  ticket_id: string | null;
  kind: string;
  key: string;
  due_at: Date;
  data: Json<Record<string, unknown>>;
  fired_at: Date | null;
  created_at: Generated<Date>;
}

export interface EscalationsTable {
  id: Generated<string>;
  ticket_id: string;
  type: string;
  reason: string;
  reason_text: string | null;
  trigger: string;
  actor_id: string | null;
  rule_id: string | null;
  from_tier: number | null;
  to_tier: number | null;
  from_group_id: string | null;
  to_group_id: string | null;
  from_assignee_id: string | null;
  to_assignee_id: string | null;
  note: string | null;
  /** The automatic handoff (024): structured, worded by the viewer's language. */
  handoff: ColumnType<Handoff | null, Handoff | string | null | undefined, Handoff | string | null>;
  created_at: Timestamp;
}

export interface EscalationRequestsTable {
  id: Generated<string>;
  ticket_id: string;
  requester_id: string;
  reason: string;
  text: string | null;
  status: Generated<"open" | "acknowledged" | "resolved">;
  escalation_id: string | null;
  due_at: Date | null;
  acknowledged_at: Date | null;
  /** The supervisor who acknowledged it in person (030); null while only the receipt went out. */
  acknowledged_by: ColumnType<string | null, string | null | undefined, string | null>;
  resolved_at: Date | null;
  created_at: Timestamp;
}

export interface EscalationRulesTable {
  id: Generated<string>;
  name: string;
  position: number;
  enabled: Generated<boolean>;
  event: string;
  definition: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface RuleFiringsTable {
  rule_id: string;
  occurrence_key: string;
  ticket_id: string;
  fired_at: Timestamp;
}

export interface OutboxTable {
  id: Generated<number>;
  kind: "email" | "webhook" | "notification" | "whatsapp";
  idempotency_key: string;
  ticket_id: string | null;
  payload: Json<Record<string, unknown>>;
  status: Generated<"pending" | "delivered" | "dead">;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  delivered_at: Date | null;
}

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  ticket_id: string | null;
  kind: string;
  title: string;
  body: Generated<string>;
  /** The kind's parameters, for wording it in the viewer's language (018). */
  params: Generated<Record<string, string | number | null>>;
  read_at: Date | null;
  created_at: Timestamp;
}

export interface WebhooksTable {
  id: Generated<string>;
  name: string;
  url: string;
  secret: string;
  events: ColumnType<string[], string[] | undefined, string[]>;
  enabled: Generated<boolean>;
  consecutive_failures: Generated<number>;
  disabled_reason: string | null;
  created_at: Generated<Date>;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: string;
  outbox_id: number | null;
  event: string;
  status_code: number | null;
  ok: boolean;
  error: string | null;
  duration_ms: number | null;
  attempt: number;
  at: Generated<Date>;
}

export interface EngineTables {
  calendars: CalendarsTable;
  sla_policies: SlaPoliciesTable;
  timers: TimersTable;
  escalations: EscalationsTable;
  escalation_requests: EscalationRequestsTable;
  escalation_rules: EscalationRulesTable;
  rule_firings: RuleFiringsTable;
  outbox: OutboxTable;
  notifications: NotificationsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
