import { z } from "zod";
import { CHANNELS, PRIORITIES, RESOLUTION_CODES, TICKET_STATUSES, LANGUAGES } from "@eskala/core";
import { Email, Id, Instant, Int32, LIMITS, PageQuery } from "./common.ts";

export const TicketStatus = z.enum(TICKET_STATUSES);
export const Priority = z.enum(PRIORITIES);
export const Channel = z.enum(CHANNELS);
export const ResolutionCode = z.enum(RESOLUTION_CODES);
export const Language = z.enum(LANGUAGES);
/** A ticket's (or an article's) tag: one word of letters, digits and _ : . - */
export const Tag = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.tag)
  .regex(/^[\p{L}\p{N}_:.-]+$/u, "letters, digits, _ : . - only");

export const Attachment = z.strictObject({
  filename: z.string().min(1).max(200),
  content_type: z.string().min(1).max(200).default("application/octet-stream"),
  /** Base64 of the file; at most 5 MiB decoded. */
  content_base64: z.base64().max(Math.ceil((LIMITS.attachmentBytes * 4) / 3) + 4),
});
export type Attachment = z.infer<typeof Attachment>;

export const CreateTicketBody = z.strictObject({
  subject: z.string().trim().min(1).max(LIMITS.subject),
  description: z.string().trim().min(1).max(LIMITS.description),
  requester: z
    .strictObject({
      email: Email,
      name: z.string().trim().min(1).max(LIMITS.name).optional(),
      language: Language.optional(),
    })
    .optional()
    .describe("Required for agents and tokens; a customer creates tickets as themselves."),
  priority: Priority.optional(),
  category: z.string().trim().min(1).max(LIMITS.name).optional().describe("Category id or name"),
  channel: Channel.optional(),
  tags: z.array(Tag).max(LIMITS.tags).optional(),
  language: Language.optional(),
  group_id: Id.optional(),
  attachments: z.array(Attachment).max(10).optional(),
  created_at: Instant.optional().describe("Admins only: the original creation instant, for imports."),
  solved_at: Instant.optional().describe("Admins only, with created_at: import a solved ticket."),
  resolution_code: ResolutionCode.optional(),
});
export type CreateTicketBody = z.infer<typeof CreateTicketBody>;

export const UpdateTicketBody = z
  .strictObject({
    subject: z.string().trim().min(1).max(LIMITS.subject).optional(),
    status: TicketStatus.optional(),
    priority: Priority.optional(),
    category_id: Id.nullable().optional(),
    group_id: Id.nullable().optional(),
    assignee_id: Id.nullable().optional(),
    tags: z.array(Tag).max(LIMITS.tags).optional(),
    resolution_code: ResolutionCode.optional().describe("Required when status becomes solved."),
    collaborator_ids: z.array(Id).max(20).optional(),
    expected_version: Int32.min(0).optional().describe("Optimistic concurrency: 409 if the ticket changed."),
  })
  .refine((b) => Object.keys(b).some((k) => k !== "expected_version"), { message: "nothing to update" });
export type UpdateTicketBody = z.infer<typeof UpdateTicketBody>;

const Ref = z.object({ id: Id, name: z.string() }).nullable();

const HandoffExcerpt = z
  .object({ text: z.string(), at: Instant, shortened: z.boolean(), author: z.string().nullable().optional() })
  .nullable();

/**
 * The automatic handoff of a move no person wrote a note for (a rule, a deadline, routing, the
 * customer's request), from the ticket's own data: staff only, worded by the web in the viewer's language.
 */
export const Handoff = z
  .object({
    v: z.literal(1),
    asked: z.object({ first: HandoffExcerpt, latest: HandoffExcerpt }),
    done: z.object({
      last_reply: HandoffExcerpt,
      notes_count: z.number().int(),
      latest_note: HandoffExcerpt,
      previous_note: HandoffExcerpt.optional(),
      in_tier: z
        .object({ since: Instant, wall_minutes: z.number(), business_minutes: z.number().nullable() })
        .nullable(),
    }),
    sla: z.array(
      z.object({
        target: z.string(),
        state: z.enum(["warning", "breached"]),
        due_at: Instant.nullable(),
        threshold: z.number().nullable(),
      }),
    ),
    next_due: z.object({ target: z.string(), at: Instant }).nullable(),
    why: z.object({
      kind: z.enum(["rule", "deadline", "customer", "routing"]),
      rule: z.string().optional(),
      event: z.string().optional(),
      target: z.string().nullable().optional(),
      threshold: z.number().nullable().optional(),
      minutes: z.number().nullable().optional(),
      reason: z.string().optional(),
      words: z.string().nullable().optional(),
    }),
    from_tier: z.number(),
    to_tier: z.number(),
  })
  .meta({ id: "Handoff" });
export type Handoff = z.infer<typeof Handoff>;

/** The problem a ticket is linked to, on the staff view of the ticket (never the customer's). */
export const TicketProblemRef = z
  .object({
    id: Id,
    number: z.number().int(),
    title: z.string(),
    status: z.enum(["investigating", "known_error", "fixed"]),
    workaround: z.string().nullable(),
  })
  .meta({ id: "TicketProblemRef" });
export type TicketProblemRef = z.infer<typeof TicketProblemRef>;

export const Ticket = z
  .object({
    id: Id,
    number: z.number().int(),
    subject: z.string(),
    description: z.string(),
    status: TicketStatus,
    priority: Priority,
    channel: Channel,
    language: Language,
    tier: z.number().int(),
    tier_name: z.string(),
    group: Ref,
    assignee: Ref,
    requester: z.object({ id: Id, name: z.string(), email: z.string() }),
    organization: Ref,
    category: Ref,
    tags: z.array(z.string()),
    collaborator_ids: z.array(Id),
    handoff_note: z
      .object({
        body: z.string(),
        author_name: z.string().nullable(),
        at: Instant,
        from_tier: z.number(),
        to_tier: z.number(),
        handoff: Handoff.nullable().optional(),
      })
      .nullable(),
    resolution_code: ResolutionCode.nullable(),
    solved_tier: z.number().int().nullable(),
    escalation_count: z.number().int(),
    created_at: Instant,
    updated_at: Instant,
    first_response_at: Instant.nullable(),
    solved_at: Instant.nullable(),
    closed_at: Instant.nullable(),
    version: z.number().int(),
    sla: z.any().optional().describe("SLA clocks: see the SLA section"),
    problem: TicketProblemRef.nullable()
      .optional()
      .describe("The problem (root cause) the ticket is linked to, with its workaround; staff only"),
  })
  .meta({ id: "Ticket" });
export type Ticket = z.infer<typeof Ticket>;

/**
 * The sorts a list offers, each an index scan at 1,000,000 tickets; `due` is the nearest deadline,
 * soonest first, tickets without one last. Subject and status have no index to sort by: not offered.
 */
export const TICKET_SORTS = [
  "created_at",
  "-created_at",
  "updated_at",
  "-updated_at",
  "priority",
  "-priority",
  "number",
  "-number",
  "due",
  "-due",
] as const;

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === "string" ? v.split(",").filter(Boolean) : v), z.array(item).max(20));

export const ListTicketsQuery = PageQuery.extend({
  status: csv(TicketStatus).optional(),
  priority: csv(Priority).optional(),
  tier: z.coerce.number().int().min(0).max(20).optional(),
  group_id: Id.optional(),
  assignee_id: z.union([Id, z.literal("none"), z.literal("me")]).optional(),
  requester_id: Id.optional(),
  organization_id: Id.optional(),
  category_id: Id.optional(),
  tag: z.string().max(LIMITS.tag).optional(),
  q: z.string().trim().min(1).max(LIMITS.query).optional(),
  sort: z.enum(TICKET_SORTS).default("-created_at"),
});
export type ListTicketsQuery = z.infer<typeof ListTicketsQuery>;

export const TicketSummary = Ticket.pick({
  id: true,
  number: true,
  subject: true,
  status: true,
  priority: true,
  channel: true,
  tier: true,
  group: true,
  assignee: true,
  requester: true,
  tags: true,
  created_at: true,
  updated_at: true,
}).meta({ id: "TicketSummary" });

/**
 * A ticket as its customer sees it: only the fields named here (no group, assignee, tags,
 * priority, handoff note, tier name or policy). The tier is its level number.
 */
export const CustomerTicket = Ticket.pick({
  id: true,
  number: true,
  subject: true,
  description: true,
  status: true,
  channel: true,
  language: true,
  tier: true,
  requester: true,
  organization: true,
  category: true,
  created_at: true,
  updated_at: true,
  first_response_at: true,
  solved_at: true,
  closed_at: true,
  version: true,
  sla: true,
}).meta({ id: "CustomerTicket" });
export type CustomerTicket = z.infer<typeof CustomerTicket>;

export const CustomerTicketSummary = CustomerTicket.pick({
  id: true,
  number: true,
  subject: true,
  status: true,
  channel: true,
  tier: true,
  requester: true,
  created_at: true,
  updated_at: true,
}).meta({ id: "CustomerTicketSummary" });
export type CustomerTicketSummary = z.infer<typeof CustomerTicketSummary>;

export const MessageKind = z.enum(["reply", "note"]);
export const CreateMessageBody = z.strictObject({
  body: z.string().trim().min(1).max(LIMITS.messageBody),
  kind: MessageKind.default("reply").describe("reply = public, note = internal (agents only)"),
  channel: Channel.optional(),
  status: TicketStatus.optional().describe("Agents: set the status with the reply (e.g. pending)."),
  resolution_code: ResolutionCode.optional(),
  attachments: z.array(Attachment).max(10).optional(),
  created_at: Instant.optional().describe("Admins only, for imports."),
  author_email: Email.optional().describe("Admins only, for imports: the message's original author."),
});
export type CreateMessageBody = z.infer<typeof CreateMessageBody>;

export const Message = z
  .object({
    id: Id,
    ticket_id: Id,
    kind: MessageKind,
    body: z.string(),
    channel: Channel,
    author: z.object({ id: Id, name: z.string(), role: z.string() }).nullable(),
    mentions: z.array(Id),
    attachments: z.array(z.object({ id: Id, filename: z.string(), content_type: z.string(), size: z.number() })),
    sentiment: z.number().nullable(),
    created_at: Instant,
  })
  .meta({ id: "Message" });

export const TicketEvent = z
  .object({
    id: z.string(),
    ticket_id: Id,
    type: z.string(),
    actor: z.object({ kind: z.string(), id: Id.nullable(), name: z.string().nullable() }),
    data: z.record(z.string(), z.unknown()),
    at: Instant,
  })
  .meta({ id: "TicketEvent" });
