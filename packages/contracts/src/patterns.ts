import { z } from "zod";
import { Id, Instant } from "./common.ts";
import { ReportPeriod, ReportQuery, TicketFilter } from "./reports.ts";

/**
 * The escalation review's pattern reports (issue 17): recurring problems (similar tickets that
 * keep escalating, categories and tags whose escalations rise) and training needs (agents whose
 * skill escalations in a category stand out from their team's). Raw keys and names only: the page
 * words them.
 */

/** How sure a one-sided exact test lets us be (core `confidenceLevel`); `too_few` below n = 5. */
export const ConfidenceLevel = z.enum(["very_likely", "likely", "possible", "unlikely", "too_few"]);
export type ConfidenceLevel = z.infer<typeof ConfidenceLevel>;

const PatternQuery = ReportQuery.omit({ compare: true });

export const RecurringProblemsQuery = PatternQuery.extend({
  /** The smallest group of similar tickets listed. */
  min_tickets: z.coerce.number().int().min(2).max(100).default(3),
  /** The most groups listed (largest first), and the most rising categories and tags each. */
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type RecurringProblemsQuery = z.infer<typeof RecurringProblemsQuery>;

export const PatternTicket = z.object({
  id: Id,
  number: z.number().int(),
  subject: z.string(),
  language: z.string(),
  category_id: Id.nullable(),
  /** Escalations of this ticket in the period. */
  escalations: z.number().int(),
  last_escalated_at: Instant,
});
export type PatternTicket = z.infer<typeof PatternTicket>;

export const RecurringGroup = z.object({
  /** The id of the group's central ticket (the one most of the others are similar to). */
  key: Id,
  /** The central ticket's subject. */
  label: z.string(),
  tickets: z.number().int(),
  escalations: z.number().int(),
  languages: z.array(z.string()),
  categories: z.array(z.object({ id: Id.nullable(), name: z.string().nullable(), tickets: z.number().int() })),
  first_escalated_at: Instant,
  last_escalated_at: Instant,
  /** Every ticket of the group, most escalated first. */
  items: z.array(PatternTicket),
});
export type RecurringGroup = z.infer<typeof RecurringGroup>;

export const RisingRow = z.object({
  kind: z.enum(["category", "tag"]),
  /** A category id (null: no category) or a tag. */
  key: z.string().nullable(),
  /** The category's name or the tag. */
  label: z.string().nullable(),
  escalations: z.number().int(),
  /** Escalations in the period of the same length just before. */
  previous: z.number().int(),
  /** escalations ÷ previous; null when there were none before. */
  ratio: z.number().nullable(),
  tickets: z.number().int(),
  /** One-sided exact binomial test that the rise is more than chance (from 5 escalations in both periods). */
  p_value: z.number().nullable(),
  confidence: ConfidenceLevel,
  /** Drill-down to every escalated ticket of a category (`GET /api/v1/reports/tickets`); null for a tag. */
  ticket_filter: TicketFilter.nullable(),
  /** The most escalated tickets (at most 10). */
  items: z.array(PatternTicket),
});
export type RisingRow = z.infer<typeof RisingRow>;

export const RecurringProblemsReport = z
  .object({
    period: ReportPeriod,
    previous_period: ReportPeriod,
    filters: z.record(z.string(), z.union([z.string(), z.number()])),
    /** How the groups were made: pg_trgm trigram similarity of subjects and descriptions. */
    method: z.object({
      similarity: z.literal("pg_trgm"),
      threshold: z.number(),
      /** Escalated tickets in the period (after the filters). */
      escalated_tickets: z.number().int(),
      /** Tickets compared: the most escalated, at most `candidate_limit`. */
      compared_tickets: z.number().int(),
      candidate_limit: z.number().int(),
    }),
    groups: z.array(RecurringGroup),
    rising: z.object({ categories: z.array(RisingRow), tags: z.array(RisingRow) }),
  })
  .meta({ id: "RecurringProblemsReport" });
export type RecurringProblemsReport = z.infer<typeof RecurringProblemsReport>;

export const TrainingNeedsQuery = PatternQuery.extend({
  /** `all`: also the agents above their team's rate who do not stand out (p ≥ 0.05). */
  show: z.enum(["standing_out", "all"]).default("standing_out"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type TrainingNeedsQuery = z.infer<typeof TrainingNeedsQuery>;

export const TrainingNeedRow = z.object({
  agent: z.object({ id: Id, name: z.string() }),
  /** The category to train on. */
  category: z.object({ id: Id, name: z.string() }),
  /** The agent's teams: the groups they belong to (their members but the agent make the team's figures). */
  team: z.array(z.object({ id: Id, name: z.string() })),
  /** Tickets of the category the agent held in the period (assigned now, or moved away from them). */
  tickets: z.number().int(),
  /** Of those, tickets they escalated for `missing_skill` or `too_complex`. */
  escalations: z.number().int(),
  reasons: z.object({ missing_skill: z.number().int(), too_complex: z.number().int() }),
  rate: z.number(),
  team_tickets: z.number().int(),
  team_escalations: z.number().int(),
  team_rate: z.number().nullable(),
  /** One-sided Fisher exact test of the agent's rate above the team's. */
  p_value: z.number(),
  confidence: ConfidenceLevel,
  /** p < 0.05. */
  stands_out: z.boolean(),
  /** The escalated tickets behind `escalations` (at most 20, newest first). */
  items: z.array(PatternTicket.extend({ reason: z.enum(["missing_skill", "too_complex"]) })),
});
export type TrainingNeedRow = z.infer<typeof TrainingNeedRow>;

export const TrainingNeedsReport = z
  .object({
    period: ReportPeriod,
    filters: z.record(z.string(), z.union([z.string(), z.number()])),
    /** Rows are listed from this many tickets held in the category; fewer say too little. */
    min_sample: z.number().int(),
    rows: z.array(TrainingNeedRow),
  })
  .meta({ id: "TrainingNeedsReport" });
export type TrainingNeedsReport = z.infer<typeof TrainingNeedsReport>;
