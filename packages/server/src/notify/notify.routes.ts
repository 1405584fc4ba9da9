import { z } from "zod";
import {
  CreatedWebhook,
  CreateWebhookBody,
  Id,
  MarkNotificationsReadBody,
  MarkNotificationsReadResult,
  NotificationList,
  NotificationsQuery,
  Problem,
  UpdateWebhookBody,
  Webhook,
  WebhookDeliveriesQuery,
  WebhookDelivery,
  WebhookTestResult,
} from "@eskala/contracts";
import type { preValidationAsyncHookHandler } from "fastify";
import { requireActor, requireRole } from "../auth/actor.ts";
import type { Api, Services } from "../http/context.ts";
import type { NotificationService } from "./notifications.service.ts";
import type { WebhookService } from "./webhooks.service.ts";

const IdParams = z.object({ id: Id });
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };
// Powers before the body: a non-admin learns nothing about the schema (403, not 422).
const adminsOnly: preValidationAsyncHookHandler = async (req) => void requireRole(req.actor, "admin");

/** Webhook subscriptions (admins) and the user's own notifications. */
export function notifyRoutes(
  api: Api,
  s: Pick<Services, "clock">,
  deps: { webhooks: WebhookService; notifications: NotificationService },
): void {
  const { webhooks, notifications } = deps;
  let tags = ["webhooks"];
  api.get(
    "/api/v1/webhooks",
    {
      schema: {
        tags,
        summary: "List webhooks (admins)",
        response: { 200: z.object({ items: z.array(Webhook) }), ...errors },
      },
      preValidation: adminsOnly,
    },
    async (req) => ({ items: await webhooks.list(req.actor) }),
  );
  api.post(
    "/api/v1/webhooks",
    {
      schema: {
        tags,
        summary: "Subscribe a URL to events (admins); the secret is shown once",
        body: CreateWebhookBody,
        response: { 201: CreatedWebhook, ...errors },
      },
      preValidation: adminsOnly,
    },
    async (req, reply) => reply.code(201).send(await webhooks.create(req.actor, req.body, s.clock.now())),
  );
  api.get(
    "/api/v1/webhooks/:id",
    {
      schema: { tags, summary: "Get a webhook (admins)", params: IdParams, response: { 200: Webhook, ...errors } },
      preValidation: adminsOnly,
    },
    async (req) => webhooks.get(req.actor, req.params.id),
  );
  api.patch(
    "/api/v1/webhooks/:id",
    {
      schema: {
        tags,
        summary: "Change a webhook; enabling it again resets its failures (admins)",
        params: IdParams,
        body: UpdateWebhookBody,
        response: { 200: Webhook, ...errors },
      },
      preValidation: adminsOnly,
    },
    async (req) => webhooks.update(req.actor, req.params.id, req.body),
  );
  api.delete(
    "/api/v1/webhooks/:id",
    {
      schema: { tags, summary: "Delete a webhook (admins)", params: IdParams, response: { 204: z.null(), ...errors } },
      preValidation: adminsOnly,
    },
    async (req, reply) => {
      await webhooks.remove(req.actor, req.params.id);
      return reply.code(204).send(null);
    },
  );
  api.get(
    "/api/v1/webhooks/:id/deliveries",
    {
      schema: {
        tags,
        summary: "The delivery log: every attempt, newest first (admins)",
        params: IdParams,
        querystring: WebhookDeliveriesQuery,
        response: { 200: z.object({ items: z.array(WebhookDelivery) }), ...errors },
      },
      preValidation: adminsOnly,
    },
    async (req) => ({ items: await webhooks.deliveries(req.actor, req.params.id, req.query.limit) }),
  );
  api.post(
    "/api/v1/webhooks/:id/test",
    {
      schema: {
        tags,
        summary: "Queue a signed ping to the webhook (admins)",
        params: IdParams,
        response: { 202: WebhookTestResult, ...errors },
      },
      preValidation: adminsOnly,
    },
    async (req, reply) => reply.code(202).send(await webhooks.test(req.actor, req.params.id, s.clock.now())),
  );

  tags = ["notifications"];
  api.get(
    "/api/v1/notifications",
    {
      schema: {
        tags,
        summary: "My in-app notifications, newest first, with the unread count",
        querystring: NotificationsQuery,
        response: { 200: NotificationList, ...errors },
      },
    },
    async (req) => notifications.list(requireActor(req.actor), req.query),
  );
  api.post(
    "/api/v1/notifications/read",
    {
      schema: {
        tags,
        summary: "Mark my notifications read (the listed ids, or all)",
        body: MarkNotificationsReadBody,
        response: { 200: MarkNotificationsReadResult, ...errors },
      },
    },
    async (req) => notifications.markRead(requireActor(req.actor), req.body, s.clock.now()),
  );
}
