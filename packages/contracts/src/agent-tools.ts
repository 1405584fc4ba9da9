import { z } from "zod";
import { Id, Instant } from "./common.ts";
import { TicketStatus } from "./tickets.ts";

/** What an agent sees of a requester beside a ticket: their other tickets, organisation and ratings. */
export const RequesterSummary = z
  .object({
    user: z.object({ id: Id, name: z.string(), email: z.string(), language: z.string(), created_at: Instant }),
    organization: z.object({ id: Id, name: z.string(), segment: z.string().nullable() }).nullable(),
    /** Their tickets, open ones first (newest first within each), at most 20. */
    tickets: z.array(
      z.object({ id: Id, number: z.number().int(), subject: z.string(), status: TicketStatus, updated_at: Instant }),
    ),
    open_count: z.number().int(),
    total_count: z.number().int(),
    /** Their latest satisfaction ratings (1-5), newest first, at most 10. */
    ratings: z.array(
      z.object({
        ticket_id: Id,
        ticket_number: z.number().int(),
        rating: z.number().int(),
        comment: z.string().nullable(),
        rated_at: Instant,
      }),
    ),
    average_rating: z.number().nullable(),
  })
  .meta({ id: "RequesterSummary" });
export type RequesterSummary = z.infer<typeof RequesterSummary>;

/** What a staff member is doing on a ticket: viewing it, writing a reply or note, or gone. */
export const TicketPresenceState = z.enum(["viewing", "replying", "left"]);
export const TicketPresenceBody = z.strictObject({ state: TicketPresenceState });
export const TicketPresence = z
  .object({
    ticket_id: Id,
    user: z.object({ id: Id, name: z.string() }),
    state: TicketPresenceState,
    at: Instant,
  })
  .meta({ id: "TicketPresence" });
export type TicketPresence = z.infer<typeof TicketPresence>;

/** A file on a ticket: uploaded with its creation (message_id null) or with a message. */
export const AttachmentInfo = z
  .object({
    id: Id,
    message_id: Id.nullable(),
    filename: z.string(),
    content_type: z.string(),
    size: z.number().int(),
    created_at: Instant,
  })
  .meta({ id: "AttachmentInfo" });
export type AttachmentInfo = z.infer<typeof AttachmentInfo>;
