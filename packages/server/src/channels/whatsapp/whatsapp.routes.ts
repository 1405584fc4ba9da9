import { createHmac } from "node:crypto";
import { z } from "zod";
import {
  Language,
  MAIL_TEMPLATE_KEYS,
  UpdateWhatsappTemplateBody,
  WhatsappTemplate,
  WhatsappTemplateKind,
  WhatsappWebhookBody,
} from "@eskala/contracts";
import type { Logger } from "pino";
import { requireRole } from "../../auth/actor.ts";
import type { Api, Services } from "../../http/context.ts";
import { registerJsonBodyParser } from "../../http/request-guards.ts";
import { AppError } from "../../lib/app-error.ts";
import { errors } from "../http-helpers.ts";
import { safeEqual } from "../settings.ts";
import { createWhatsappIntake, type WhatsappIntakeDeps } from "./inbound.ts";
import { defaultTemplateName } from "./outbound.ts";

/** The raw body of a delivery: Meta's signature covers its exact bytes. */
const rawBodies = new WeakMap<object, string>();

/** `sha256=` + HMAC-SHA256 of the raw body with the app secret, compared in constant time. */
export function whatsappSignatureValid(secret: string | undefined, header: unknown, rawBody: string): boolean {
  if (!secret || typeof header !== "string" || !header.startsWith("sha256=")) return false;
  const expected = `sha256=${createHmac("sha256", secret).update(rawBody, "utf8").digest("hex")}`;
  return safeEqual(header.toLowerCase(), expected);
}

const HandshakeQuery = z.looseObject({
  "hub.mode": z.string().max(64).optional(),
  "hub.verify_token": z.string().max(1000).optional(),
  "hub.challenge": z.string().max(1000).optional(),
});

const WebhookResult = z.object({
  messages: z.number().int().describe("Messages received (new tickets or replies)"),
  duplicates: z.number().int().describe("Messages seen before (same message id), ignored"),
  statuses: z.number().int().describe("Delivery statuses put on ticket timelines"),
});

/**
 * WhatsApp Business (Cloud API): the webhook's verify handshake and signed deliveries, and the
 * admin's approved templates per notification kind and language.
 */
export function whatsappRoutes(intake: Omit<WhatsappIntakeDeps, "database">, log: Logger) {
  return (api: Api, s: Services) => {
    const tags = ["whatsapp"];
    // One intake per app: deliveries arriving together share its groups' transactions.
    const whatsapp = createWhatsappIntake({ ...intake, database: s.database });
    api.get(
      "/api/v1/channels/whatsapp/webhook",
      {
        config: { public: true, rateLimit: { max: 60, timeWindow: "1 minute" } },
        schema: {
          tags,
          summary:
            "Meta's verify handshake: answers hub.challenge when hub.verify_token is ESKALA_WHATSAPP_VERIFY_TOKEN",
          security: [],
          querystring: HandshakeQuery,
          response: { 200: z.string(), ...errors },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const expected = s.config.ESKALA_WHATSAPP_VERIFY_TOKEN;
        const ok =
          q["hub.mode"] === "subscribe" &&
          expected !== undefined &&
          typeof q["hub.verify_token"] === "string" &&
          safeEqual(q["hub.verify_token"], expected);
        if (!ok) throw new AppError("forbidden", "The verify token does not match");
        return reply.type("text/plain; charset=utf-8").send(q["hub.challenge"] ?? "");
      },
    );

    // Deliveries live in their own plugin so only they keep the raw JSON body.
    void api.register(async (child) => {
      registerJsonBodyParser(child, (req, text) => rawBodies.set(req, text));
      child.post(
        "/api/v1/channels/whatsapp/webhook",
        {
          config: { public: true },
          attachValidation: true,
          // The signature is checked before the body, so an unsigned caller learns nothing and nothing is written.
          preValidation: async (req) => {
            const header = req.headers["x-hub-signature-256"];
            if (!whatsappSignatureValid(s.config.ESKALA_WHATSAPP_APP_SECRET, header, rawBodies.get(req) ?? ""))
              throw new AppError(
                "unauthenticated",
                header ? "The X-Hub-Signature-256 signature does not match" : "X-Hub-Signature-256 is missing",
              );
          },
          schema: {
            tags,
            summary:
              "A WhatsApp Cloud API delivery (signed: X-Hub-Signature-256 = sha256=<hex HMAC-SHA256 of the raw body with ESKALA_WHATSAPP_APP_SECRET>)",
            security: [],
            body: WhatsappWebhookBody,
            response: { 200: WebhookResult, ...errors, 413: errors[400] },
          },
        },
        async (req) => {
          if (req.validationError) {
            const issues = (req.validationError as { validation?: { instancePath?: string; message?: string }[] })
              .validation;
            const fields = (issues ?? []).slice(0, 20).map((i) => ({
              path: (i.instancePath ?? "")
                .split("/")
                .filter(Boolean)
                .map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
              message: i.message ?? "invalid",
            }));
            log.warn({ request_id: req.id, fields }, "malformed WhatsApp webhook refused");
            throw new AppError(
              "malformed_request",
              "The body is not a WhatsApp Business webhook delivery",
              fields.length ? fields : [{ path: [], message: "invalid" }],
            );
          }
          return whatsapp.receive(req.body as WhatsappWebhookBody, s.clock.now());
        },
      );
    });

    const KindParams = z.object({ kind: WhatsappTemplateKind, language: Language });
    api.get(
      "/api/v1/channels/whatsapp/templates",
      {
        schema: {
          tags,
          summary: "The approved template sent outside the 24-hour window, per notification kind and language (admins)",
          response: { 200: z.object({ items: z.array(WhatsappTemplate) }), ...errors },
        },
      },
      async (req) => {
        requireRole(req.actor, "admin");
        const rows = await s.database.db
          .selectFrom("whatsapp_templates")
          .select(["kind", "language", "name"])
          .execute();
        const custom = new Map(rows.map((r) => [`${r.kind} ${r.language}`, r.name]));
        return {
          items: MAIL_TEMPLATE_KEYS.flatMap((kind) =>
            (["id", "en"] as const).map((language) => {
              const name = custom.get(`${kind} ${language}`);
              return { kind, language, name: name ?? defaultTemplateName(kind), custom: name !== undefined };
            }),
          ),
        };
      },
    );
    api.put(
      "/api/v1/channels/whatsapp/templates/:kind/:language",
      {
        schema: {
          tags,
          summary: "Set the approved template's name for a kind and language (admins)",
          params: KindParams,
          body: UpdateWhatsappTemplateBody,
          response: { 200: WhatsappTemplate, ...errors },
        },
      },
      async (req) => {
        requireRole(req.actor, "admin");
        const { kind, language } = req.params;
        await s.database.db
          .insertInto("whatsapp_templates")
          .values({ kind, language, name: req.body.name, updated_at: s.clock.now() })
          .onConflict((oc) =>
            oc.columns(["kind", "language"]).doUpdateSet({ name: req.body.name, updated_at: s.clock.now() }),
          )
          .execute();
        return { kind, language, name: req.body.name, custom: true };
      },
    );
    api.delete(
      "/api/v1/channels/whatsapp/templates/:kind/:language",
      {
        schema: {
          tags,
          summary: "Go back to the built-in template name for a kind and language (admins)",
          params: KindParams,
          response: { 200: WhatsappTemplate, ...errors },
        },
      },
      async (req) => {
        requireRole(req.actor, "admin");
        const { kind, language } = req.params;
        await s.database.db
          .deleteFrom("whatsapp_templates")
          .where("kind", "=", kind)
          .where("language", "=", language)
          .execute();
        return { kind, language, name: defaultTemplateName(kind), custom: false };
      },
    );
  };
}
