import { z } from "zod";
import { Id, Instant, LIMITS } from "./common.ts";
import { EscalationReason, EscalationTarget, QueueName } from "./engine.ts";
import { Language, Message, Priority, ResolutionCode, TICKET_SORTS, Tag, Ticket, TicketStatus } from "./tickets.ts";

/** The agent workspace: macros (canned replies), saved views of the ticket list, bulk changes. */

const Name = z.string().trim().min(1, "a name is required").max(LIMITS.name);

// --- Macros ---------------------------------------------------------------------------------

/**
 * The placeholders a macro's text may hold, written `{{customer.name}}`. Rendered as plain text
 * (the thread and emails escape it); any other `{{…}}` is refused when the macro is saved.
 */
export const MACRO_PLACEHOLDERS = [
  "customer.name",
  "customer.first_name",
  "customer.email",
  "ticket.number",
  "ticket.subject",
  "agent.name",
  "agent.first_name",
  "organization.name",
] as const;
export type MacroPlaceholder = (typeof MACRO_PLACEHOLDERS)[number];

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The placeholders in a text that are not in the documented list, in order of appearance. */
export function unknownPlaceholders(text: string): string[] {
  const unknown: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1]!;
    if (!(MACRO_PLACEHOLDERS as readonly string[]).includes(name) && !unknown.includes(name)) unknown.push(name);
  }
  return unknown;
}

/** Fills a macro's text: each known placeholder becomes its value as plain text, once (values are not re-read). */
export function renderPlaceholders(text: string, values: Partial<Record<MacroPlaceholder, string>>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    (MACRO_PLACEHOLDERS as readonly string[]).includes(name) ? (values[name as MacroPlaceholder] ?? "") : whole,
  );
}

const MacroText = z
  .string()
  .max(LIMITS.messageBody)
  .superRefine((text, ctx) => {
    for (const name of unknownPlaceholders(text))
      ctx.addIssue({
        code: "custom",
        message: `unknown placeholder {{${name}}}; use one of ${MACRO_PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")}`,
      });
  });

export const MacroChanges = z
  .strictObject({
    status: TicketStatus.optional(),
    resolution_code: ResolutionCode.optional().describe("With status solved."),
    priority: Priority.optional(),
    tags_add: z.array(Tag).max(LIMITS.tags).optional(),
    tags_remove: z.array(Tag).max(LIMITS.tags).optional(),
    group_id: Id.optional(),
  })
  .refine((c) => c.status !== "solved" || c.resolution_code, {
    message: "a resolution code is required when the macro solves",
    path: ["resolution_code"],
  });
export type MacroChanges = z.infer<typeof MacroChanges>;

export const MacroBody = z
  .strictObject({
    name: Name,
    body: z
      .strictObject({ id: MacroText.default(""), en: MacroText.default("") })
      .describe("The text in Indonesian and English; the reply uses the ticket's language (the other when empty)."),
    kind: z.enum(["reply", "note"]).default("reply").describe("reply = public to the customer, note = internal"),
    shared: z.boolean().default(false).describe("Shared with every agent: supervisors and admins only."),
    changes: MacroChanges.default({}),
  })
  .refine((m) => m.body.id.trim() || m.body.en.trim() || Object.keys(m.changes).length > 0, {
    message: "a macro needs a text in one language or a field change",
    path: ["body"],
  });
export type MacroBody = z.infer<typeof MacroBody>;
export const MacroPatch = z
  .strictObject({
    name: Name.optional(),
    body: z.strictObject({ id: MacroText.optional(), en: MacroText.optional() }).optional(),
    kind: z.enum(["reply", "note"]).optional(),
    shared: z.boolean().optional(),
    changes: MacroChanges.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "Send at least one field to change");
export type MacroPatch = z.infer<typeof MacroPatch>;

const Owner = z.object({ id: Id, name: z.string() });
export const Macro = z
  .object({
    id: Id,
    name: z.string(),
    body: z.object({ id: z.string(), en: z.string() }),
    kind: z.enum(["reply", "note"]),
    shared: z.boolean(),
    changes: MacroChanges,
    owner: Owner,
    can_edit: z.boolean().describe("Whether the caller may change or delete it"),
    created_at: Instant,
    updated_at: Instant,
  })
  .meta({ id: "Macro" });
export type Macro = z.infer<typeof Macro>;

export const RenderedMacro = z
  .object({
    macro_id: Id,
    language: Language,
    kind: z.enum(["reply", "note"]),
    body: z.string().describe("The text with its placeholders filled in for this ticket"),
    changes: MacroChanges,
  })
  .meta({ id: "RenderedMacro" });
export type RenderedMacro = z.infer<typeof RenderedMacro>;

export const ApplyMacroBody = z.strictObject({
  body: z
    .string()
    .trim()
    .max(LIMITS.messageBody)
    .optional()
    .describe("The text as the agent edited it; the rendered macro text when absent. Empty: no message."),
  kind: z
    .enum(["reply", "note"])
    .optional()
    .describe("Send the text as a public reply or an internal note; the macro's own kind when absent."),
});
export type ApplyMacroBody = z.infer<typeof ApplyMacroBody>;

export const AppliedMacro = z.object({ message: Message.nullable(), ticket: Ticket }).meta({ id: "AppliedMacro" });

// --- Saved views ----------------------------------------------------------------------------

export const ViewFilters = z
  .strictObject({
    queue: z.union([QueueName, z.literal("all")]).default("all"),
    q: z.string().trim().max(LIMITS.query).optional(),
    status: z.union([TicketStatus, z.literal("open"), z.literal("any")]).optional(),
    priority: Priority.optional(),
  })
  .meta({ id: "ViewFilters" });
export type ViewFilters = z.infer<typeof ViewFilters>;

export const ViewBody = z.strictObject({
  name: Name,
  filters: ViewFilters.default({ queue: "all" }),
  sort: z.enum(TICKET_SORTS).default("-updated_at"),
  shared: z.boolean().default(false).describe("Shared with every agent: supervisors and admins only."),
});
export type ViewBody = z.infer<typeof ViewBody>;
export const ViewPatch = z
  .strictObject({
    name: Name.optional(),
    filters: ViewFilters.optional(),
    sort: z.enum(TICKET_SORTS).optional(),
    shared: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "Send at least one field to change");
export type ViewPatch = z.infer<typeof ViewPatch>;

export const SavedView = z
  .object({
    id: Id,
    name: z.string(),
    filters: ViewFilters,
    sort: z.enum(TICKET_SORTS),
    shared: z.boolean(),
    owner: Owner,
    can_edit: z.boolean(),
    created_at: Instant,
    updated_at: Instant,
  })
  .meta({ id: "SavedView" });
export type SavedView = z.infer<typeof SavedView>;

/** Past this many tickets a view's count stops and says "at least". */
export const VIEW_COUNT_CAP = 1_000;

export const ViewCounts = z
  .object({
    items: z.array(
      z.object({
        id: Id,
        count: z.number().int().describe("Tickets the view lists now (its queue, filters and search)."),
        capped: z.boolean().describe(`True when the view holds more than ${VIEW_COUNT_CAP} tickets: count is the cap.`),
      }),
    ),
  })
  .meta({ id: "ViewCounts" });
export type ViewCounts = z.infer<typeof ViewCounts>;

// --- Bulk changes ---------------------------------------------------------------------------

export const BULK_MAX = 100;

export const BulkAction = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("assign"), assignee_id: Id.nullable().describe("null: unassign") }),
  z.strictObject({ type: z.literal("status"), status: TicketStatus, resolution_code: ResolutionCode.optional() }),
  z.strictObject({ type: z.literal("priority"), priority: Priority }),
  z.strictObject({ type: z.literal("tags_add"), tags: z.array(Tag).min(1).max(LIMITS.tags) }),
  z.strictObject({ type: z.literal("tags_remove"), tags: z.array(Tag).min(1).max(LIMITS.tags) }),
  z.strictObject({
    type: z.literal("escalate"),
    to: EscalationTarget,
    reason: EscalationReason,
    reason_text: z.string().trim().max(2000).optional(),
    note: z.string().trim().min(1, "a handoff note is required").max(LIMITS.note).describe("One handoff note for all"),
  }),
]);
export type BulkAction = z.infer<typeof BulkAction>;

export const BulkBody = z.strictObject({
  ticket_ids: z.array(Id).min(1, "select at least one ticket").max(BULK_MAX, `at most ${BULK_MAX} tickets at once`),
  action: BulkAction,
});
export type BulkBody = z.infer<typeof BulkBody>;

export const BulkItemResult = z.object({
  ticket_id: Id,
  number: z.number().int().nullable().describe("null when the ticket was not found"),
  ok: z.boolean(),
  code: z.string().optional().describe("The error code when not ok (not_found, invalid_transition, forbidden…)"),
  message: z.string().optional().describe("Why, as a sentence"),
});
export type BulkItemResult = z.infer<typeof BulkItemResult>;
export const BulkResult = z
  .object({ changed: z.number().int(), failed: z.number().int(), items: z.array(BulkItemResult) })
  .meta({ id: "BulkResult" });
export type BulkResult = z.infer<typeof BulkResult>;
