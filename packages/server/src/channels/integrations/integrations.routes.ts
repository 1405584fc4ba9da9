import { randomBytes } from "node:crypto";
import { z } from "zod";
import {
  CreateIntegrationBody,
  CreateTicketLinkBody,
  Id,
  Integration,
  IssueStatusBody,
  TicketLink,
} from "@eskala/contracts";
import { requireRole } from "../../auth/actor.ts";
import type { Api, Services } from "../../http/context.ts";
import { registerJsonBodyParser } from "../../http/request-guards.ts";
import { AppError, notFound } from "../../lib/app-error.ts";
import { errors, IdParams } from "../http-helpers.ts";
import { applyIssueStatus, verifySignature, type SignatureCheck } from "./issue-status.ts";
import type { LinksService } from "./links.service.ts";
import type { RecordTicketEvents } from "../csat/csat.service.ts";

/** The raw body of a signed call (the HMAC covers the exact bytes) and its checked signature. */
const rawBodies = new WeakMap<object, string>();
const checked = new WeakMap<object, Extract<SignatureCheck, { ok: true }>>();

/** Engineering links on tickets, the signed issue-status callback, and the integrations that sign it. */
export function integrationRoutes(links: LinksService, recordEvents: RecordTicketEvents) {
  return (api: Api, s: Services) => {
    const tags = ["engineering links"];
    api.post(
      "/api/v1/tickets/:id/links",
      {
        schema: {
          tags,
          summary: "Link the ticket to an external issue (agents)",
          params: IdParams,
          body: CreateTicketLinkBody,
          response: { 201: TicketLink, ...errors },
        },
      },
      async (req, reply) =>
        reply.code(201).send(await links.link(requireRole(req.actor, "agent"), req.params.id, req.body, s.clock.now())),
    );
    api.get(
      "/api/v1/tickets/:id/links",
      {
        schema: {
          tags,
          summary: "The ticket's engineering links",
          params: IdParams,
          response: { 200: z.object({ items: z.array(TicketLink) }), ...errors },
        },
      },
      async (req) => ({ items: await links.list(requireRole(req.actor, "agent"), req.params.id) }),
    );
    api.delete(
      "/api/v1/tickets/:id/links/:linkId",
      {
        schema: {
          tags,
          summary: "Remove a link",
          params: z.object({ id: Id, linkId: Id }),
          response: { 204: z.null(), ...errors },
        },
      },
      async (req, reply) => {
        await links.unlink(requireRole(req.actor, "agent"), req.params.id, req.params.linkId, s.clock.now());
        return reply.code(204).send(null);
      },
    );

    // The signed callback lives in its own plugin so only it keeps the raw JSON body.
    void api.register(async (child) => {
      registerJsonBodyParser(child, (req, text) => rawBodies.set(req, text));
      child.post(
        "/api/v1/integrations/issue-status",
        {
          config: { public: true, rateLimit: { max: 120, timeWindow: "1 minute" } },
          // The signature is checked before the body, so an unsigned caller learns nothing of the schema.
          preValidation: async (req) => {
            const header = req.headers["x-eskala-signature"];
            const check = await verifySignature(
              s.database.db,
              s.config,
              typeof header === "string" ? header : undefined,
              rawBodies.get(req) ?? "",
              s.clock.now(),
            );
            if (!check.ok) throw new AppError("unauthenticated", check.why);
            checked.set(req, check);
          },
          schema: {
            tags,
            summary:
              'An external issue\'s status changed (signed: X-Eskala-Signature t=<unix>,v1=<hex HMAC-SHA256 of "t.body">)',
            security: [],
            body: IssueStatusBody,
            response: { 200: z.object({ ticket_ids: z.array(Id) }), ...errors },
          },
        },
        async (req) =>
          applyIssueStatus(
            s.database.db,
            recordEvents,
            req.body as z.infer<typeof IssueStatusBody>,
            checked.get(req)!,
            s.clock.now(),
          ),
      );
    });

    const admin = ["integrations"];
    const present = (r: { id: string; name: string; enabled: boolean; created_at: Date }) => ({
      id: r.id,
      name: r.name,
      enabled: r.enabled,
      created_at: r.created_at.toISOString(),
    });
    api.get(
      "/api/v1/integrations",
      {
        schema: {
          tags: admin,
          summary: "Inbound integrations (admins)",
          response: { 200: z.object({ items: z.array(Integration) }), ...errors },
        },
      },
      async (req) => {
        requireRole(req.actor, "admin");
        const rows = await s.database.db
          .selectFrom("integrations")
          .select(["id", "name", "enabled", "created_at"])
          .orderBy("created_at")
          .execute();
        return { items: rows.map(present) };
      },
    );
    api.post(
      "/api/v1/integrations",
      {
        schema: {
          tags: admin,
          summary: "Add an integration; its signing secret is shown once",
          body: CreateIntegrationBody,
          response: { 201: Integration, ...errors },
        },
      },
      async (req, reply) => {
        requireRole(req.actor, "admin");
        const secret = `whsec_${randomBytes(24).toString("base64url")}`;
        const row = await s.database.db
          .insertInto("integrations")
          .values({ name: req.body.name, secret, created_at: s.clock.now() })
          .onConflict((oc) => oc.doNothing())
          .returning(["id", "name", "enabled", "created_at"])
          .executeTakeFirst();
        if (!row)
          throw new AppError("conflict", "An integration with this name exists", [
            { path: ["name"], message: "taken" },
          ]);
        return reply.code(201).send({ ...present(row), secret });
      },
    );
    api.delete(
      "/api/v1/integrations/:id",
      {
        schema: {
          tags: admin,
          summary: "Remove an integration",
          params: IdParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (req, reply) => {
        requireRole(req.actor, "admin");
        const gone = await s.database.db
          .deleteFrom("integrations")
          .where("id", "=", req.params.id)
          .returning("id")
          .executeTakeFirst();
        if (!gone) throw notFound("integration");
        return reply.code(204).send(null);
      },
    );
  };
}
