import { z } from "zod";
import { PRIORITIES, CHANNELS } from "@eskala/core";
import { Id, Instant, LIMITS, nonEmptyPatch } from "./common.ts";

/**
 * Business calendars, SLA policies, the SLA preview and the SLA block of a ticket (PRODUCT.md §4).
 * Calendar and policy contents are checked by core's validators, which name the faulty field
 * (`definition.weekly.mon.0.1`); the schemas here fix the outer shape and document it.
 */

const Name = z.string().trim().min(1).max(LIMITS.name);
const Minutes = z.number().positive().max(10_000_000).describe("Business minutes");
const Localized = z.object({ id: z.string(), en: z.string() });
const Interval = z
  .tuple([z.string(), z.string()])
  .describe('["HH:MM","HH:MM"]; an end before the start runs overnight; "24:00" allowed as an end');

/** The calendar JSON of PRODUCT §4, as the API returns it. */
export const CalendarDefinition = z
  .object({
    timezone: z.string().describe("IANA time zone, e.g. Asia/Jakarta"),
    always_open: z.boolean().optional().describe("24/7 (holidays still close whole days)"),
    weekly: z.record(z.string(), z.array(Interval)).optional().describe("mon..sun; absent days are closed"),
    holidays: z.array(z.string()).optional().describe("Local dates YYYY-MM-DD, closed all day"),
    holiday_sets: z.array(z.string()).optional().describe("Ids from GET /api/v1/holiday-sets"),
  })
  .meta({ id: "CalendarDefinition" });
export type CalendarDefinition = z.infer<typeof CalendarDefinition>;

/** Calendar input: any object, validated field by field by core (422 paths start at `definition`). */
const CalendarInput = z
  .record(z.string(), z.unknown())
  .describe(
    'e.g. {"timezone":"Asia/Jakarta","weekly":{"mon":[["08:00","12:00"],["13:00","17:00"]]},"holidays":["2026-12-25"]}',
  );

export const CalendarBody = z.strictObject({ name: Name, definition: CalendarInput });
export type CalendarBody = z.infer<typeof CalendarBody>;
export const CalendarPatch = nonEmptyPatch(
  z.strictObject({ name: Name.optional(), definition: CalendarInput.optional() }),
);
export type CalendarPatch = z.infer<typeof CalendarPatch>;

export const BusinessCalendar = z
  .object({
    id: Id,
    name: z.string(),
    definition: CalendarDefinition,
    version: z.number().int(),
    policy_ids: z.array(Id).describe("SLA policies using this calendar"),
    created_at: Instant,
    updated_at: Instant,
  })
  .meta({ id: "BusinessCalendar" });
export type BusinessCalendar = z.infer<typeof BusinessCalendar>;

export const HolidaySetItem = z
  .object({
    id: z.string(),
    name: Localized,
    dates: z.array(z.string()),
    entries: z.array(z.object({ date: z.string(), name: Localized })),
  })
  .meta({ id: "HolidaySet" });

export const ImportIcsBody = z.strictObject({
  ics: z.string().min(1).max(2_000_000).describe("An iCalendar (.ics) file's text"),
  year: z
    .number()
    .int()
    .min(1970)
    .max(2200)
    .optional()
    .describe("Keep only this year's dates (recurring events are expanded into it)"),
});
export type ImportIcsBody = z.infer<typeof ImportIcsBody>;
export const ImportIcsResult = z.object({ holidays: z.array(z.string()).describe("Sorted local dates YYYY-MM-DD") });

const TargetSet = z.strictObject({
  first_response: Minutes.optional(),
  next_response: Minutes.optional(),
  periodic_update: Minutes.optional().describe("While escalated: the longest gap between updates to the customer"),
  resolution: Minutes.optional(),
});

export const SlaConditions = z.strictObject({
  priorities: z.array(z.enum(PRIORITIES)).max(4).optional(),
  category_ids: z.array(Id).max(200).optional(),
  segments: z.array(z.string().trim().min(1).max(40)).max(50).optional(),
  channels: z.array(z.enum(CHANNELS)).max(CHANNELS.length).optional(),
  group_ids: z.array(Id).max(200).optional(),
});

const policyFields = {
  name: Name,
  enabled: z.boolean().optional(),
  calendar_id: Id.nullable().describe("null = 24/7"),
  conditions: SlaConditions.default({}).describe(
    "Every present, non-empty list must contain the ticket's value; {} matches all",
  ),
  pause_on_hold: z.boolean().default(false).describe("pending always pauses; on_hold only when set"),
  targets: z
    .record(z.string(), z.record(z.string(), z.unknown()))
    .describe(
      "Per priority (low, medium, high, urgent): first_response, next_response, periodic_update, resolution in business minutes",
    ),
  tier_budgets: z
    .record(z.string(), z.unknown())
    .default({})
    .describe('Business minutes a tier may hold a ticket, e.g. {"1": 120}'),
  ladder: z
    .array(z.unknown())
    .max(10)
    .default([])
    .describe("Warning thresholds as ascending fractions, e.g. [0.5, 0.75]"),
  customer_request_response: Minutes.nullable()
    .optional()
    .describe("Business minutes to answer a customer's escalation request"),
  idle_minutes: Minutes.nullable()
    .optional()
    .describe("Raise ticket.idle after this many business minutes without an agent reply"),
};

export const SlaPolicyBody = z.strictObject(policyFields);
export type SlaPolicyBody = z.infer<typeof SlaPolicyBody>;
export const SlaPolicyPatch = z.strictObject({
  name: policyFields.name.optional(),
  enabled: z.boolean().optional(),
  calendar_id: Id.nullable().optional(),
  conditions: SlaConditions.optional(),
  pause_on_hold: z.boolean().optional(),
  targets: policyFields.targets.optional(),
  tier_budgets: z.record(z.string(), z.unknown()).optional(),
  ladder: z.array(z.unknown()).max(10).optional(),
  customer_request_response: policyFields.customer_request_response,
  idle_minutes: policyFields.idle_minutes,
});
export type SlaPolicyPatch = z.infer<typeof SlaPolicyPatch>;

export const SlaPolicyResource = z
  .object({
    id: Id,
    name: z.string(),
    position: z.number().int(),
    enabled: z.boolean(),
    calendar_id: Id.nullable(),
    conditions: SlaConditions,
    pause_on_hold: z.boolean(),
    targets: z.record(z.string(), TargetSet),
    tier_budgets: z.record(z.string(), z.number()),
    ladder: z.array(z.number()),
    customer_request_response: z.number().nullable(),
    idle_minutes: z.number().nullable(),
    version: z.number().int(),
    created_at: Instant,
    updated_at: Instant,
  })
  .meta({ id: "SlaPolicy" });
export type SlaPolicyResource = z.infer<typeof SlaPolicyResource>;

export const ReorderSlaPoliciesBody = z.strictObject({
  ids: z.array(Id).min(1).max(500).describe("Every policy id, first match first"),
});

const PauseInput = z.strictObject({ from: Instant, to: Instant });
const CalendarChoice = {
  calendar: CalendarInput.optional().describe("An inline calendar (exactly one of calendar and calendar_id)"),
  calendar_id: Id.optional(),
  pauses: z.array(PauseInput).max(1000).optional().describe("Instant ranges [from, to) during which the clock stops"),
};

export const PreviewDueBody = z.strictObject({
  ...CalendarChoice,
  start: Instant,
  business_minutes: z.number().min(0).max(10_000_000),
});
export type PreviewDueBody = z.infer<typeof PreviewDueBody>;
export const PreviewDueResult = z.object({ due_at: Instant, explanation: Localized }).meta({ id: "PreviewDue" });

export const PreviewBetweenBody = z.strictObject({ ...CalendarChoice, from: Instant, to: Instant });
export type PreviewBetweenBody = z.infer<typeof PreviewBetweenBody>;
export const PreviewBetweenResult = z
  .object({ business_minutes: z.number().describe("Fractional; negative when `to` is before `from`") })
  .meta({ id: "PreviewBetween" });

export const RecomputeJob = z
  .object({
    id: Id,
    kind: z.enum(["calendar", "policy", "all"]),
    target_id: Id.nullable(),
    total: z.number().int(),
    done: z.number().int(),
    status: z.enum(["queued", "running", "done", "failed"]),
    error: z.string().nullable(),
    created_at: Instant,
    started_at: Instant.nullable(),
    finished_at: Instant.nullable(),
  })
  .meta({ id: "SlaRecomputeJob" });

export const SLA_CLOCK_TARGETS = [
  "first_response",
  "next_response",
  "periodic_update",
  "resolution",
  "tier_budget",
] as const;
export const SLA_CLOCK_STATES = ["active", "paused", "achieved", "warning", "breached"] as const;

/** The `sla` block of `GET /api/v1/tickets/{id}`. */
export const TicketSla = z
  .object({
    policy: z
      .object({ id: Id, name: z.string() })
      .nullable()
      .describe("null for customers and for tickets under no policy"),
    clocks: z.array(
      z.object({
        target: z.enum(SLA_CLOCK_TARGETS),
        tier: z.number().int().nullable(),
        state: z.enum(SLA_CLOCK_STATES),
        started_at: Instant,
        due_at: Instant.nullable(),
        remaining_minutes: z.number().nullable().describe("Business minutes left; negative once breached"),
        paused_minutes: z.number(),
        achieved_at: Instant.nullable(),
        breached_at: Instant.nullable(),
        explanation: Localized.nullable(),
      }),
    ),
    pauses: z.array(z.object({ from: Instant, to: Instant.nullable(), reason: z.string() })),
  })
  .meta({ id: "TicketSla" });
export type TicketSla = z.infer<typeof TicketSla>;
