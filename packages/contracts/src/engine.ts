import { z } from "zod";
import { ESCALATION_REASONS, CUSTOMER_REQUEST_REASONS } from "@eskala/core/escalation";
import { Id, Instant, Int32, LIMITS, nonEmptyPatch } from "./common.ts";
import { Handoff, TicketSummary } from "./tickets.ts";

export const EscalationReason = z.enum(ESCALATION_REASONS);
export const EscalationTarget = z.union([
  z.strictObject({ tier: z.union([z.number().int().min(0).max(20), z.literal("next")]), group_id: Id.optional() }),
  z.strictObject({ group_id: Id }),
  z.strictObject({ department_id: Id }),
  z.strictObject({ supervisor: z.union([z.literal(true), Id]) }),
]);

export const CreateEscalationBody = z.strictObject({
  to: EscalationTarget.describe("Exactly one of tier, group_id, department_id, supervisor"),
  type: z.enum(["hierarchical", "functional", "supervisor", "de_escalation", "reassignment"]).optional(),
  reason: EscalationReason,
  reason_text: z.string().trim().max(2000).optional(),
  note: z
    .string()
    .trim()
    .min(1, "a handoff note is required")
    .max(LIMITS.note)
    .describe("Handoff note: what was tried, what is known"),
});
export type CreateEscalationBody = z.infer<typeof CreateEscalationBody>;

export const Escalation = z
  .object({
    id: Id,
    ticket_id: Id,
    type: z.string(),
    reason: z.string(),
    reason_text: z.string().nullable(),
    trigger: z.string(),
    from: z.object({ tier: z.number().nullable(), group_id: Id.nullable(), assignee_id: Id.nullable() }),
    to: z.object({ tier: z.number().nullable(), group_id: Id.nullable(), assignee_id: Id.nullable() }),
    note: z.string().nullable(),
    handoff: Handoff.nullable().optional().describe("The automatic handoff of a move no person wrote a note for"),
    actor: z.object({ id: Id, name: z.string() }).nullable(),
    rule_id: Id.nullable(),
    created_at: Instant,
  })
  .meta({ id: "Escalation" });

export const CreateEscalationRequestBody = z.strictObject({
  reason: z.enum(CUSTOMER_REQUEST_REASONS),
  text: z.string().trim().max(2000).optional(),
});

export const EscalationRequest = z
  .object({
    id: Id,
    ticket_id: Id,
    reason: z.string(),
    text: z.string().nullable(),
    status: z.enum(["open", "acknowledged", "resolved"]),
    due_at: Instant.nullable(),
    acknowledged_at: Instant.nullable(),
    resolved_at: Instant.nullable(),
    created_at: Instant,
    ticket: z.object({ id: Id.optional(), number: z.number(), subject: z.string() }).optional(),
    customer: z.object({ name: z.string(), email: z.string() }).optional().describe("Staff lists: who asked"),
    acknowledged_by: z
      .object({ id: Id, name: z.string() })
      .nullable()
      .optional()
      .describe("The supervisor who acknowledged the request in person; null while only the receipt went out"),
  })
  .meta({ id: "EscalationRequest" });

/** Rules are validated by core (field paths in errors); the API schema only fixes the outer shape. */
export const RuleBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  enabled: z.boolean().optional(),
  position: Int32.min(0).optional(),
  event: z.string().max(60),
  conditions: z.record(z.string(), z.unknown()).optional(),
  actions: z.array(z.record(z.string(), z.unknown())).max(20),
});
export const RulePatch = nonEmptyPatch(RuleBody.partial());
export const EscalationRule = z
  .object({
    id: Id,
    name: z.string(),
    position: z.number(),
    enabled: z.boolean(),
    event: z.string(),
    conditions: z.unknown(),
    actions: z.array(z.unknown()),
    created_at: Instant,
    updated_at: Instant,
  })
  .meta({ id: "EscalationRule" });

export const QueueName = z.enum(["mine", "group", "breaching", "escalated-to-me"]);
export const QueueItem = TicketSummary.extend({
  next_due_at: Instant.nullable(),
  next_due_target: z.string().nullable(),
});
/** How many tickets each queue holds, and how many tickets there are in all (every status). */
export const QueueCounts = z
  .object({
    mine: z.number().int(),
    group: z.number().int(),
    breaching: z.number().int(),
    "escalated-to-me": z.number().int(),
    all: z.number().int(),
  })
  .meta({ id: "QueueCounts" });
