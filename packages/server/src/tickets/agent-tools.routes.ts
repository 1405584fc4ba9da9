import { z } from "zod";
import { AttachmentInfo, Id, Problem, RequesterSummary } from "@eskala/contracts";
import { sql } from "kysely";
import { requireActor } from "../auth/actor.ts";
import type { Api, Services } from "../http/context.ts";
import { notFound } from "../lib/app-error.ts";
import { assertStaff, assertVisible, canSeeTicket } from "./ticket-access.ts";

const IdParams = z.object({ id: Id });
const errors = { 401: Problem, 403: Problem, 404: Problem, 422: Problem };
const OPEN = ["new", "open", "pending", "on_hold"];

/**
 * What agents reach for beside a ticket: the requester's summary (customer panel) and the
 * ticket's files with downloads that check who may read them.
 */
export function agentToolsRoutes(api: Api, s: Pick<Services, "database">): void {
  const db = s.database.db;

  api.get(
    "/api/v1/users/:id/summary",
    {
      schema: {
        tags: ["users"],
        summary: "A requester at a glance (staff): other tickets (open first), organisation, ratings",
        params: IdParams,
        response: { 200: RequesterSummary, ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req.actor);
      assertStaff(actor, "A requester's summary");
      const user = await db
        .selectFrom("users as u")
        .leftJoin("organizations as o", "o.id", "u.organization_id")
        .select([
          "u.id",
          "u.name",
          "u.email",
          "u.language",
          "u.created_at",
          "o.id as org_id",
          "o.name as org_name",
          "o.segment",
        ])
        .where("u.id", "=", req.params.id)
        .executeTakeFirst();
      if (!user) throw notFound("user");
      const isOpen = sql<boolean>`t.status in (${sql.join(OPEN)})`;
      // The requester's tickets through tickets_requester_idx; open ones first.
      const [tickets, counts, ratings, average] = await Promise.all([
        db
          .selectFrom("tickets as t")
          .select(["t.id", "t.number", "t.subject", "t.status", "t.updated_at"])
          .where("t.requester_id", "=", user.id)
          .orderBy(isOpen, "desc")
          .orderBy("t.updated_at", "desc")
          .orderBy("t.id", "desc")
          .limit(20)
          .execute(),
        db
          .selectFrom("tickets as t")
          .select((eb) => [
            eb.fn.countAll<string>().as("total"),
            sql<string>`count(*) filter (where ${isOpen})`.as("open"),
          ])
          .where("t.requester_id", "=", user.id)
          .executeTakeFirstOrThrow(),
        db
          .selectFrom("csat_surveys as c")
          .innerJoin("tickets as t", "t.id", "c.ticket_id")
          .select(["c.ticket_id", "t.number", "c.rating", "c.comment", "c.rated_at"])
          .where("t.requester_id", "=", user.id)
          .where("c.rating", "is not", null)
          .orderBy("c.rated_at", "desc")
          .limit(10)
          .execute(),
        db
          .selectFrom("csat_surveys as c")
          .innerJoin("tickets as t", "t.id", "c.ticket_id")
          .select(sql<string | null>`avg(c.rating)`.as("avg"))
          .where("t.requester_id", "=", user.id)
          .where("c.rating", "is not", null)
          .executeTakeFirstOrThrow(),
      ]);
      return {
        user: {
          id: user.id,
          name: user.name,
          email: user.email,
          language: user.language,
          created_at: user.created_at.toISOString(),
        },
        organization: user.org_id
          ? { id: user.org_id, name: user.org_name ?? "", segment: user.segment ?? null }
          : null,
        tickets: tickets.map((t) => ({
          id: t.id,
          number: Number(t.number),
          subject: t.subject,
          status: t.status,
          updated_at: t.updated_at.toISOString(),
        })),
        open_count: Number(counts.open),
        total_count: Number(counts.total),
        ratings: ratings.map((r) => ({
          ticket_id: r.ticket_id,
          ticket_number: Number(r.number),
          rating: r.rating!,
          comment: r.comment,
          rated_at: (r.rated_at ?? new Date(0)).toISOString(),
        })),
        average_rating: average.avg === null ? null : Math.round(Number(average.avg) * 10) / 10,
      };
    },
  );

  api.get(
    "/api/v1/tickets/:id/attachments",
    {
      schema: {
        tags: ["tickets"],
        summary: "The ticket's files (customers: those of the ticket and its public replies)",
        params: IdParams,
        response: { 200: z.object({ items: z.array(AttachmentInfo) }), ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req.actor);
      const ticket = await db
        .selectFrom("tickets")
        .select(["requester_id", "organization_id"])
        .where("id", "=", req.params.id)
        .executeTakeFirst();
      assertVisible(actor, ticket);
      let q = db
        .selectFrom("attachments as a")
        .leftJoin("messages as m", "m.id", "a.message_id")
        .select(["a.id", "a.message_id", "a.filename", "a.content_type", "a.size", "a.created_at"])
        .where("a.ticket_id", "=", req.params.id);
      if (actor.role === "customer")
        q = q.where((eb) => eb.or([eb("a.message_id", "is", null), eb("m.kind", "=", "reply")]));
      const rows = await q.orderBy("a.created_at").orderBy("a.id").execute();
      return { items: rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() })) };
    },
  );

  api.get(
    "/api/v1/attachments/:id",
    {
      schema: {
        tags: ["tickets"],
        summary: "Download a file (customers: only their tickets' files, never an internal note's)",
        description: "The file's bytes, as an attachment (never shown inline).",
        params: IdParams,
        response: errors,
      },
    },
    async (req, reply) => {
      const actor = requireActor(req.actor);
      const file = await db
        .selectFrom("attachments as a")
        .innerJoin("tickets as t", "t.id", "a.ticket_id")
        .leftJoin("messages as m", "m.id", "a.message_id")
        .select(["a.filename", "a.content_type", "a.data", "t.requester_id", "t.organization_id", "m.kind"])
        .where("a.id", "=", req.params.id)
        .executeTakeFirst();
      // 404 for a file the actor may not read, so its existence does not leak.
      if (!file || !canSeeTicket(actor, file) || (actor.role === "customer" && file.kind === "note"))
        throw notFound("attachment");
      const ascii = file.filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
      return reply
        .header(
          "content-type",
          /^[\w.+-]+\/[\w.+-]+$/.test(file.content_type) ? file.content_type : "application/octet-stream",
        )
        .header(
          "content-disposition",
          `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        )
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "sandbox; default-src 'none'")
        .header("cache-control", "private, no-store")
        .send(Buffer.from(file.data) as never);
    },
  );
}
