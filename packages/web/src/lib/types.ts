/**
 * The API's shapes. Existing resources come from @eskala/contracts (types only, so zod stays out
 * of the bundle); the engine's coming endpoints are typed here from the agreed shapes until
 * contracts exports them.
 */
import type { z } from "zod";
import type * as C from "@eskala/contracts";

export type {
  Ticket,
  User,
  Problem,
  CreateTicketBody,
  UpdateTicketBody,
  CreateUserBody,
  UpdateUserBody,
} from "@eskala/contracts";
/** A ticket as its customer sees it (the portal): no group, assignee, tags, priority or tier name. */
export type CustomerTicket = z.infer<typeof C.CustomerTicket>;
export type CustomerTicketSummary = z.infer<typeof C.CustomerTicketSummary>;
export type TicketSummary = z.infer<typeof C.TicketSummary> & {
  next_due_at?: string | null;
  next_due_target?: SlaTarget | null;
};
export type Message = z.infer<typeof C.Message>;
export type TicketEvent = z.infer<typeof C.TicketEvent>;
export type Tier = z.infer<typeof C.Tier>;
export type Group = z.infer<typeof C.Group>;
export type Category = z.infer<typeof C.Category>;
export type Organization = z.infer<typeof C.Organization>;
export type ApiToken = z.infer<typeof C.ApiToken> & { token?: string };
export type Session = z.infer<typeof C.Session>;
export type Priority = C.Ticket["priority"];
export type TicketStatus = C.Ticket["status"];
export type ResolutionCode = NonNullable<C.Ticket["resolution_code"]>;
export type Language = C.Ticket["language"];
export type Role = C.User["role"];
export type Presence = NonNullable<C.User["agent"]>["presence"];

export type Page<T> = { items: T[]; next_cursor: string | null };
export type Items<T> = { items: T[] };
export type Localized = { id: string; en: string };

// ---- SLA (engine) ----
export const SLA_TARGETS = ["first_response", "next_response", "periodic_update", "resolution", "tier_budget"] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];
export type ClockState = "active" | "paused" | "achieved" | "warning" | "breached";
export type SlaClock = {
  target: SlaTarget;
  state: ClockState;
  started_at: string;
  due_at: string | null;
  remaining_minutes: number | null;
  paused_minutes: number;
  achieved_at: string | null;
  breached_at: string | null;
  explanation: Localized | null;
  /** The tier a tier_budget clock belongs to. */
  tier?: number | null;
};
export type TicketSla = {
  policy: { id: string; name: string } | null;
  clocks: SlaClock[];
  pauses: { from: string; to: string | null; reason: string }[];
};

// ---- Escalations (engine) ----
export const ESCALATION_REASONS = [
  "missing_skill",
  "too_complex",
  "too_slow",
  "sla_breach",
  "customer_request",
  "negative_sentiment",
  "low_rating",
  "other",
] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];
export type EscalationType = "hierarchical" | "functional" | "supervisor" | "de_escalation";
export type EscalationTarget =
  { tier: number } | { group_id: string } | { department_id: string } | { supervisor: true };
export type EscalateBody = {
  to: EscalationTarget;
  type: EscalationType;
  reason: EscalationReason;
  reason_text?: string;
  note: string;
};
type Placement = { tier: number | null; group_id: string | null; assignee_id: string | null };
export type Escalation = {
  id: string;
  type: EscalationType;
  reason: EscalationReason;
  reason_text: string | null;
  trigger: string;
  from: Placement;
  to: Placement;
  note: string | null;
  actor: { id: string; name: string } | null;
  rule_id?: string | null;
  created_at: string;
};

export const CUSTOMER_REQUEST_REASONS = ["too_slow", "not_helpful", "wants_supervisor", "other"] as const;
export type CustomerRequestReason = (typeof CUSTOMER_REQUEST_REASONS)[number];
export type EscalationRequest = {
  id: string;
  status: "open" | "acknowledged" | "resolved";
  reason: CustomerRequestReason;
  text?: string | null;
  due_at: string | null;
  acknowledged_at?: string | null;
  resolved_at?: string | null;
  created_at: string;
  ticket?: { id?: string; number: number; subject: string };
  ticket_id?: string;
  /** Staff lists: who asked. */
  customer?: { name: string; email: string };
  /** The supervisor who acknowledged it in person; null while only the receipt went out. */
  acknowledged_by?: { id: string; name: string } | null;
};

// ---- Queues, board, notifications (engine) ----
export const QUEUE_KEYS = ["mine", "group", "breaching", "escalated-to-me"] as const;
export type QueueKey = (typeof QUEUE_KEYS)[number];

/** `at_risk` (not yet due) or `breached`; the clock states are accepted too. */
export type BoardRisk = { ticket: TicketSummary; target: SlaTarget; due_at: string; state: ClockState | "at_risk" };
export type BoardAgent = {
  id: string;
  name: string;
  tier: number;
  presence: Presence;
  open_tickets: number;
  capacity: number;
};
export type Board = {
  risk: BoardRisk[];
  escalations_24h: { reason: EscalationReason; count: number }[];
  open_requests: EscalationRequest[];
  agents: BoardAgent[];
};

export type Notification = {
  id: string;
  kind: string;
  title: string;
  body: string;
  /** The kind's parameters; empty on rows written before they existed (then title/body are shown). */
  params?: Record<string, string | number | null>;
  ticket_id: string | null;
  read_at: string | null;
  created_at: string;
};

// ---- Admin (engine) ----
export type Interval = [string, string];
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type CalendarDefinition = {
  timezone: string;
  /** 24/7: no weekly hours, holidays ignored. */
  always_open?: boolean;
  weekly: Partial<Record<Weekday, Interval[]>>;
  holidays: string[];
  holiday_sets: string[];
};
export type Calendar = {
  id: string;
  name: string;
  definition: CalendarDefinition;
  policy_ids?: string[];
  created_at?: string;
};
export type HolidaySet = {
  id: string;
  name: Localized;
  dates: string[];
  entries?: { date: string; name: Localized }[];
};
export type DuePreview = { due_at: string; explanation: Localized };

export type PriorityTargets = Partial<
  Record<"first_response" | "next_response" | "periodic_update" | "resolution", number>
>;
export type SlaPolicy = {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
  calendar_id: string | null;
  conditions: {
    priorities?: Priority[];
    category_ids?: string[];
    segments?: string[];
    channels?: string[];
    group_ids?: string[];
  };
  pause_on_hold: boolean;
  targets: Partial<Record<Priority, PriorityTargets>>;
  tier_budgets: Record<string, number>;
  ladder: number[];
  customer_request_response?: number | null;
  /** Minutes without activity before `ticket.idle` fires. */
  idle_minutes?: number | null;
};

export const RULE_EVENTS = [
  "ticket.created",
  "ticket.updated",
  "message.customer",
  "message.agent",
  "sla.warning",
  "sla.breached",
  "ticket.idle",
  "tier.budget_exceeded",
  "sentiment.negative",
  "csat.low",
  "escalation.requested",
] as const;
export type RuleEvent = (typeof RULE_EVENTS)[number];
export const RULE_OPS = ["is", "is_not", "in", "contains", "gt", "lt"] as const;
export type RuleOp = (typeof RULE_OPS)[number];
export type RuleCondition = { field: string; op: RuleOp; value: unknown };
export type RuleTarget =
  { tier: number | "next" } | { group_id: string } | { department_id: string } | { supervisor: true };
export type RuleAction =
  | { type: "escalate"; to: RuleTarget; reason: EscalationReason }
  | { type: "set_priority"; priority: Priority }
  | { type: "assign"; agent_id: string }
  | { type: "add_tag"; tag: string }
  | { type: "remove_tag"; tag: string }
  | { type: "internal_note"; body: string }
  | {
      type: "notify";
      channel: "customer" | "group" | "supervisor" | "assignee" | "agent" | "webhook";
      template?: string;
      agent_id?: string;
      webhook_id?: string;
    };
export type Rule = {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
  event: RuleEvent;
  conditions: { all?: RuleCondition[]; any?: RuleCondition[] };
  actions: RuleAction[];
};
export type DryRun = {
  mode?: string;
  evaluated?: number;
  matched?: number;
  items: { ticket: { id: string; number: number; subject: string }; actions: RuleAction[] }[];
};

export const WEBHOOK_EVENTS = [
  "ticket.created",
  "ticket.updated",
  "ticket.escalated",
  "ticket.solved",
  "ticket.linked",
  "ticket.tier3_reached",
  "sla.warning",
  "sla.breached",
  "escalation.requested",
  "csat.low",
] as const;
export type Webhook = {
  id: string;
  name: string;
  url: string;
  events: string[];
  enabled: boolean;
  consecutive_failures?: number;
  disabled_reason?: string | null;
  created_at?: string;
  /** Only in the answer to POST: shown once. */
  secret?: string;
};
export type WebhookDelivery = {
  id: number | string;
  event: string;
  attempt: number;
  ok: boolean;
  status: "delivered" | "failed";
  status_code: number | null;
  error: string | null;
  duration_ms: number | null;
  at: string;
  delivery_status: "pending" | "delivered" | "dead" | null;
  next_attempt_at: string | null;
};
export type Satisfaction = {
  id: string;
  rating: number | null;
  comment: string | null;
  rated_at: string | null;
  expires_at: string;
};

export type KbArticle = { id: string; title: string; snippet: string; url: string; language: Language };
