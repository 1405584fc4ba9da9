import { z } from "zod";
import { Id, Instant, LIMITS } from "./common.ts";

/** Schemas of notifications: outgoing webhooks, in-app notifications and the live stream. */

/** Events a webhook may subscribe to; an empty list means all of them. */
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
export const WebhookEvent = z.enum(WEBHOOK_EVENTS);
export type WebhookEvent = z.infer<typeof WebhookEvent>;

const WebhookUrl = z
  .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
  .max(2000)
  .describe("Where deliveries are POSTed (http or https)");
const WebhookSecret = z
  .string()
  .min(16, "at least 16 characters")
  .max(200)
  .describe("HMAC-SHA256 key for X-Eskala-Signature; generated when absent");
const WebhookEvents = z.array(WebhookEvent).max(WEBHOOK_EVENTS.length).describe("Events to receive; empty = all");

export const CreateWebhookBody = z.strictObject({
  name: z.string().trim().min(1).max(LIMITS.name),
  url: WebhookUrl,
  events: WebhookEvents,
  secret: WebhookSecret.optional(),
});
export type CreateWebhookBody = z.infer<typeof CreateWebhookBody>;

export const UpdateWebhookBody = z
  .strictObject({
    name: z.string().trim().min(1).max(LIMITS.name).optional(),
    url: WebhookUrl.optional(),
    events: WebhookEvents.optional(),
    secret: WebhookSecret.optional(),
    enabled: z.boolean().optional().describe("Re-enabling resets the failure count"),
  })
  .refine((b) => Object.keys(b).length > 0, { message: "nothing to update" });
export type UpdateWebhookBody = z.infer<typeof UpdateWebhookBody>;

export const Webhook = z
  .object({
    id: Id,
    name: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    enabled: z.boolean(),
    consecutive_failures: z.number().int(),
    disabled_reason: z.string().nullable(),
    created_at: Instant,
  })
  .meta({ id: "Webhook" });
export type Webhook = z.infer<typeof Webhook>;

/** The creation answer: the only time the secret is shown. */
export const CreatedWebhook = Webhook.extend({ secret: z.string() }).meta({ id: "CreatedWebhook" });

/** One delivery attempt, as the log shows it (newest first). */
export const WebhookDelivery = z
  .object({
    id: z.number().int(),
    outbox_id: z.number().int().nullable(),
    event: z.string(),
    attempt: z.number().int(),
    ok: z.boolean(),
    status: z.enum(["delivered", "failed"]),
    status_code: z.number().int().nullable(),
    error: z.string().nullable(),
    duration_ms: z.number().int().nullable(),
    at: Instant,
    delivery_status: z
      .enum(["pending", "delivered", "dead"])
      .nullable()
      .describe("Where the outbox row of this attempt stands now"),
    next_attempt_at: Instant.nullable().describe("The next retry of this row, while it is pending"),
  })
  .meta({ id: "WebhookDelivery" });

export const WebhookDeliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

export const WebhookTestResult = z.object({ queued: z.boolean(), idempotency_key: z.string() });

// --- in-app notifications

export const Notification = z
  .object({
    id: Id,
    kind: z.string(),
    title: z.string().describe("English fallback wording"),
    body: z.string(),
    params: z
      .record(z.string(), z.union([z.string(), z.number(), z.null()]))
      .describe("The kind's parameters (ticket number, subject, rule, target, author), for wording it in any language"),
    ticket_id: Id.nullable(),
    read_at: Instant.nullable(),
    created_at: Instant,
  })
  .meta({ id: "Notification" });
export type Notification = z.infer<typeof Notification>;

export const NotificationsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  unread: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional()
    .describe("Only unread ones"),
});

export const NotificationList = z.object({ items: z.array(Notification), unread: z.number().int() });
export type NotificationList = z.infer<typeof NotificationList>;

export const MarkNotificationsReadBody = z
  .strictObject({
    ids: z.array(Id).min(1).max(500).optional(),
    all: z.literal(true).optional(),
  })
  .refine((b) => (b.ids === undefined) !== (b.all === undefined), {
    message: "send either ids or all: true",
    path: ["ids"],
  });
export type MarkNotificationsReadBody = z.infer<typeof MarkNotificationsReadBody>;

export const MarkNotificationsReadResult = z.object({ updated: z.number().int(), unread: z.number().int() });

// --- live stream (Server-Sent Events at /api/v1/stream), documented for clients

/** `event: ticket`: something changed on a ticket the receiver may see; refetch it. */
export const LiveTicketEvent = z.object({
  ticket_id: Id,
  type: z.string().describe("The change's first timeline event type, e.g. ticket.created, message.added"),
  at: Instant,
  version: z.number().int(),
});
export type LiveTicketEvent = z.infer<typeof LiveTicketEvent>;

/** `event: notification`: a new in-app notification for the receiver. */
export const LiveNotificationEvent = Notification;
