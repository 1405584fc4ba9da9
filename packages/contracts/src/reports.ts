import { z } from "zod";
import { ESCALATION_REASONS, ESCALATION_TRIGGERS, ESCALATION_TYPES } from "@eskala/core/escalation";
import { Id, Instant } from "./common.ts";
import { Channel, Priority, TicketStatus } from "./tickets.ts";

/**
 * The escalation review's reports (issue 17). Every report takes a period of whole days in the
 * organisation's time zone (`from`..`to`, both included) and the same filters; responses carry raw
 * keys (enum values, ids, tier levels) plus the names of ids, never localized words: the web page
 * words them. Each figure can be listed down to its tickets with `GET /api/v1/reports/tickets`
 * and the row's `ticket_filter` (query parameters, ready to send).
 */

/** A local calendar date, `YYYY-MM-DD`. */
export const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && s >= "1970-01-01" && s <= "9999-12-30";
  }, "must be a real calendar date between 1970-01-01 and 9999-12-30");

/** An id, or `none` for "not set" (a row whose key is null lists its tickets with it). */
const IdOrNone = z.union([Id, z.literal("none")]);

export const REPORT_DIMENSIONS = [
  "reason",
  "trigger",
  "type",
  "category",
  "channel",
  "agent",
  "tier",
  "group",
  "priority",
  "organization",
] as const;
export const ReportDimension = z.enum(REPORT_DIMENSIONS);
export type ReportDimension = z.infer<typeof ReportDimension>;

/** Dimensions of a ticket (escalation reason, trigger and type belong to escalation records). */
export const TICKET_DIMENSIONS = ["category", "channel", "agent", "tier", "group", "priority", "organization"] as const;
export const TicketDimension = z.enum(TICKET_DIMENSIONS);
export type TicketDimension = z.infer<typeof TicketDimension>;

const list = <T extends z.ZodType>(item: T, max: number) =>
  z.preprocess((v) => (typeof v === "string" ? v.split(",").filter(Boolean) : v), z.array(item).min(1).max(max));

/**
 * The period and filters every report takes.
 * - Tickets reports (rate, times, solved level, SLA, satisfaction, bouncing) count the tickets
 *   *created* in the period; escalation reports count the escalation records *made* in it.
 * - On a ticket, `tier` and `group_id` are where it is now; `agent_id` is the ticket's agent: the
 *   first agent who held it (the one a move first took it from, else its assignee), so an agent's
 *   escalated tickets stay theirs. On an escalation record `tier`, `group_id` and `agent_id` are
 *   where it moved *from* (the level, group and agent that escalated).
 * - `none` for an id filter means "not set" (no category, unassigned…).
 * - `from` and `to` default to the 30 days ending today; at most 2 years; `to` not before `from`.
 */
export const ReportQuery = z.object({
  from: LocalDate.optional().describe("First day, YYYY-MM-DD in the organisation's time zone"),
  to: LocalDate.optional().describe("Last day (included), YYYY-MM-DD in the organisation's time zone"),
  tier: z.coerce.number().int().min(0).max(20).optional(),
  group_id: IdOrNone.optional(),
  category_id: IdOrNone.optional(),
  channel: Channel.optional(),
  priority: Priority.optional(),
  agent_id: IdOrNone.optional().describe("An agent sees their own figures only: theirs is assumed, another's is a 403"),
  organization_id: IdOrNone.optional(),
  /** `previous`: the response also carries the same report for the period of the same length just before. */
  compare: z.literal("previous").optional(),
  /** `csv`: the report as CSV (as `Accept: text/csv` does). */
  format: z.enum(["json", "csv"]).optional(),
});
export type ReportQuery = z.infer<typeof ReportQuery>;

/** The filters of a report query, as the server applies them. */
export type ReportFilters = Pick<
  ReportQuery,
  "tier" | "group_id" | "category_id" | "channel" | "priority" | "agent_id" | "organization_id"
>;

export const EscalationRateQuery = ReportQuery.extend({ group_by: TicketDimension.optional() });
export type EscalationRateQuery = z.infer<typeof EscalationRateQuery>;
/** Up to two dimensions, comma-separated (`reason,category`); default `reason,category`. */
export const EscalationCountsQuery = ReportQuery.extend({ group_by: list(ReportDimension, 2).optional() });
export type EscalationCountsQuery = z.infer<typeof EscalationCountsQuery>;
export const TicketsReportQuery = ReportQuery.extend({ group_by: TicketDimension.optional() });
export type TicketsReportQuery = z.infer<typeof TicketsReportQuery>;

/** Which tickets a figure stands for (`GET /api/v1/reports/tickets`). */
export const DRILL_SETS = [
  "created",
  "escalated",
  "not_escalated",
  "escalations",
  "solved",
  "sla",
  "rated",
  "bounced",
] as const;
export const DrillSet = z.enum(DRILL_SETS);
export const SLA_STATES = ["achieved", "breached", "open"] as const;
export const SlaAttainmentState = z.enum(SLA_STATES);
export const BOUNCE_KINDS = ["moved_down", "returned", "many_moves"] as const;
export const BounceKind = z.enum(BOUNCE_KINDS);

export const ReportTicketsQuery = ReportQuery.omit({ compare: true, format: true }).extend({
  set: DrillSet.default("created"),
  /** set=escalations: an escalation of this reason / trigger / type in the period. */
  reason: z.enum(ESCALATION_REASONS).optional(),
  trigger: z.enum(ESCALATION_TRIGGERS).optional(),
  type: z.enum(ESCALATION_TYPES).optional(),
  /** set=solved: solved at this tier (0 = deflected). */
  solved_tier: z.coerce.number().int().min(0).max(20).optional(),
  /** set=sla: this target (`first_response`, `resolution`, `tier_budget:2`, ...) in this state. */
  sla_target: z
    .string()
    .regex(/^[a-z_]+(:\d{1,2})?$/, "not an SLA target")
    .max(40)
    .optional(),
  sla_state: SlaAttainmentState.optional(),
  /** set=rated: only escalated (true) or never escalated (false) tickets; `path` = tiers visited, e.g. `1-2`. */
  escalated: z.enum(["true", "false"]).optional(),
  path: z
    .string()
    .regex(/^\d{1,2}(-\d{1,2}){0,19}$/, "tiers separated by -")
    .optional(),
  /** set=bounced: only this kind of bounce. */
  bounce: BounceKind.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type ReportTicketsQuery = z.infer<typeof ReportTicketsQuery>;

/** The query parameters that list a figure's tickets (`GET /api/v1/reports/tickets?...`). */
export const TicketFilter = z.record(z.string(), z.string());
export type TicketFilter = z.infer<typeof TicketFilter>;

export const ReportPeriod = z.object({
  from: z.string(),
  to: z.string(),
  time_zone: z.string(),
  /** The first instant of `from` in the zone (a previous period may start before 1970). */
  starts_at: z.iso.datetime({ offset: true }),
  /** The first instant after `to` in the zone (exclusive end). */
  ends_at: z.iso.datetime({ offset: true }),
});
export type ReportPeriod = z.infer<typeof ReportPeriod>;

const Key = z.union([z.string(), z.number(), z.null()]);
/** A row's place: the raw value of each dimension (`null`: not set) and the names of the ids among them. */
const RowKey = {
  /** The first dimension's raw value: an enum value, an id, a tier level, or null. */
  key: Key,
  /** The first dimension's name when it is an id or tier (group, agent, category…); null for enum values. */
  label: z.string().nullable(),
  keys: z.record(z.string(), Key),
  labels: z.record(z.string(), z.string().nullable()),
  ticket_filter: TicketFilter,
};

const Base = { period: ReportPeriod, filters: z.record(z.string(), z.union([z.string(), z.number()])) };

// --- escalation rate
export const RateFigures = z.object({
  created: z.number().int(),
  escalated: z.number().int(),
  rate: z.number().nullable(),
});
export const EscalationRateRow = z.object({ ...RowKey, ...RateFigures.shape, escalated_filter: TicketFilter });
const EscalationRateReportFigures = z.object({
  ...Base,
  group_by: TicketDimension.nullable(),
  total: RateFigures.extend({ ticket_filter: TicketFilter, escalated_filter: TicketFilter }),
  rows: z.array(EscalationRateRow),
});
/** `previous`: the same report for the period of the same length just before (with `compare=previous`). */
export const EscalationRateReport = EscalationRateReportFigures.extend({
  previous: EscalationRateReportFigures.optional(),
}).meta({ id: "EscalationRateReport" });
export type EscalationRateReport = z.infer<typeof EscalationRateReport>;

// --- escalation counts
export const EscalationCountRow = z.object({ ...RowKey, escalations: z.number().int(), tickets: z.number().int() });
const EscalationCountsReportFigures = z.object({
  ...Base,
  group_by: z.array(ReportDimension),
  total: z.object({ escalations: z.number().int(), tickets: z.number().int(), ticket_filter: TicketFilter }),
  rows: z.array(EscalationCountRow),
});
/** `previous`: the same report for the period of the same length just before (with `compare=previous`). */
export const EscalationCountsReport = EscalationCountsReportFigures.extend({
  previous: EscalationCountsReportFigures.optional(),
}).meta({ id: "EscalationCountsReport" });
export type EscalationCountsReport = z.infer<typeof EscalationCountsReport>;

// --- times
export const Quantiles = z.object({ median: z.number().nullable(), p90: z.number().nullable() });
export const DurationFigures = z.object({
  count: z.number().int(),
  wall_minutes: Quantiles,
  business_minutes: Quantiles,
});
export const TierTime = DurationFigures.extend({
  tier: z.number().int(),
  label: z.string().nullable(),
  ticket_filter: TicketFilter,
});
const EscalationTimesReportFigures = z.object({
  ...Base,
  /** The calendar business minutes are counted in (the first enabled SLA policy's; 24/7 without one). */
  calendar: z.object({ id: Id.nullable(), name: z.string().nullable(), time_zone: z.string() }),
  /** From creation to the first upward move, of the tickets that moved up. */
  first_escalation: DurationFigures.extend({ ticket_filter: TicketFilter }),
  /** Completed stays in each tier (ended by a move or a solve). */
  tiers: z.array(TierTime),
});
/** `previous`: the same report for the period of the same length just before (with `compare=previous`). */
export const EscalationTimesReport = EscalationTimesReportFigures.extend({
  previous: EscalationTimesReportFigures.optional(),
}).meta({ id: "EscalationTimesReport" });
export type EscalationTimesReport = z.infer<typeof EscalationTimesReport>;

// --- solved level
export const SolvedTierRow = z.object({
  ...RowKey,
  /** The tier the ticket was solved at (0 = deflected by the help center). */
  tier: z.number().int(),
  solved: z.number().int(),
  share: z.number().nullable(),
});
const SolvedTiersReportFigures = z.object({
  ...Base,
  total: z.object({
    created: z.number().int(),
    solved: z.number().int(),
    unsolved: z.number().int(),
    ticket_filter: TicketFilter,
  }),
  rows: z.array(SolvedTierRow),
});
/** `previous`: the same report for the period of the same length just before (with `compare=previous`). */
export const SolvedTiersReport = SolvedTiersReportFigures.extend({
  previous: SolvedTiersReportFigures.optional(),
}).meta({ id: "SolvedTiersReport" });
export type SolvedTiersReport = z.infer<typeof SolvedTiersReport>;

// --- SLA attainment
export const SlaAttainmentRow = z.object({
  /** `first_response`, `next_response`, `periodic_update`, `resolution`, or `tier_budget:<level>`. */
  target: z.string(),
  priority: Priority,
  achieved: z.number().int(),
  breached: z.number().int(),
  open: z.number().int(),
  /** achieved ÷ (achieved + breached); null when none stopped or breached. */
  attainment: z.number().nullable(),
  ticket_filters: z.object({ achieved: TicketFilter, breached: TicketFilter, open: TicketFilter }),
});
const SlaAttainmentReportFigures = z.object({
  ...Base,
  rows: z.array(SlaAttainmentRow),
});
/** `previous`: the same report for the period of the same length just before (with `compare=previous`). */
export const SlaAttainmentReport = SlaAttainmentReportFigures.extend({
  previous: SlaAttainmentReportFigures.optional(),
}).meta({ id: "SlaAttainmentReport" });
export type SlaAttainmentReport = z.infer<typeof SlaAttainmentReport>;

// --- satisfaction
export const RatingFigures = z.object({
  count: z.number().int(),
  mean: z.number().nullable(),
  /** Share of ratings 4 or 5. */
  share_4_5: z.number().nullable(),
  ticket_filter: TicketFilter,
});
export const SatisfactionPath = RatingFigures.extend({
  /** Tiers the ticket went through, in order, e.g. `1-2-1`. */
  path: z.string(),
  tiers: z.array(z.number().int()),
});
const SatisfactionReportFigures = z.object({
  ...Base,
  escalated: RatingFigures,
  not_escalated: RatingFigures,
  paths: z.array(SatisfactionPath),
});
/** `previous`: the same report for the period of the same length just before (with `compare=previous`). */
export const SatisfactionReport = SatisfactionReportFigures.extend({
  previous: SatisfactionReportFigures.optional(),
}).meta({ id: "SatisfactionReport" });
export type SatisfactionReport = z.infer<typeof SatisfactionReport>;

// --- bouncing
export const BouncedTicket = z.object({
  id: Id,
  number: z.number().int(),
  subject: z.string(),
  status: TicketStatus,
  tier: z.number().int(),
  moves: z.number().int(),
  /** Tiers in order: where it was created, then after each move. */
  path: z.array(z.number().int()),
  kinds: z.array(BounceKind),
});
const BouncingReportFigures = z.object({
  ...Base,
  /** Tickets created in the period that moved at least once. */
  moved: z.number().int(),
  bounced: z.number().int(),
  kinds: z.array(z.object({ kind: BounceKind, tickets: z.number().int(), ticket_filter: TicketFilter })),
  ticket_filter: TicketFilter,
  /** The bounced tickets, most moves first (at most 100; the rest through `ticket_filter`). */
  tickets: z.array(BouncedTicket),
});
/** `previous`: the same report for the period of the same length just before (with `compare=previous`). */
export const BouncingReport = BouncingReportFigures.extend({ previous: BouncingReportFigures.optional() }).meta({
  id: "BouncingReport",
});
export type BouncingReport = z.infer<typeof BouncingReport>;

// --- drill-down
export const ReportTicket = z.object({
  id: Id,
  number: z.number().int(),
  subject: z.string(),
  status: TicketStatus,
  priority: Priority,
  channel: Channel,
  tier: z.number().int(),
  escalation_count: z.number().int(),
  created_at: Instant,
});
export const ReportTicketsPage = z
  .object({ items: z.array(ReportTicket), next_cursor: z.string().nullable() })
  .meta({ id: "ReportTicketsPage" });
export type ReportTicketsPage = z.infer<typeof ReportTicketsPage>;

/** `GET /api/v1/reports/escalations.csv`: the escalation records made in the period, one a row. */
export const EscalationExportQuery = ReportQuery.omit({ compare: true, format: true });
export type EscalationExportQuery = z.infer<typeof EscalationExportQuery>;
