import type { Kysely, Transaction } from "kysely";
import type { CreateProblemBody, ListProblemsQuery, UpdateProblemBody } from "@eskala/contracts";
import { atLeast, type Actor } from "../auth/actor.ts";
import type { DB } from "../db/schema.ts";
import type { ProblemsTable } from "../db/schema-problems.ts";
import { AppError, forbidden, notFound } from "../lib/app-error.ts";
import type { MessageService } from "../tickets/message.service.ts";
import type { TicketEventService } from "../tickets/ticket-event.service.ts";
import { resolveStaff } from "../tickets/ticket-refs.ts";
import type { Selectable, Updateable } from "kysely";
import { OPEN_TICKET_STATUSES, findProblemTickets, findProblemView, findProblemViews } from "./problem.repo.ts";

export type ProblemService = ReturnType<typeof createProblemService>;

/** The public update a linked customer gets when no message was written for their language. */
export const DEFAULT_FIX_MESSAGE = {
  id: "Kabar baik: masalah yang menyebabkan permintaan Anda sudah kami perbaiki. Silakan coba kembali, dan balas pesan ini jika masih ada kendala.",
  en: "Good news: the problem behind your request has been fixed. Please try again, and reply to this message if anything still does not work.",
} as const;

const requireStaff = (actor: Actor) => {
  if (!atLeast(actor, "agent")) throw forbidden("Problems are for the support team");
};
/** Supervisors and admins own a problem's status, workaround and owner; agents link tickets and propose problems. */
const requireLead = (actor: Actor, what: string) => {
  if (!atLeast(actor, "supervisor")) throw forbidden(`${what} is for supervisors and admins`);
};

/**
 * Problems (root causes): create (optionally with tickets linked at once), change, link and unlink
 * tickets. Every change is one transaction with the linked tickets' timeline events; marking a
 * problem fixed tells each linked open ticket's customer once (problem_notices' key), in that same
 * transaction, through the ticket's own reply path (its email goes through the outbox).
 */
export function createProblemService(deps: {
  db: Kysely<DB>;
  events: Pick<TicketEventService, "record">;
  messages: Pick<MessageService, "addInTrx">;
}) {
  const { db, events } = deps;

  async function list(actor: Actor, query: ListProblemsQuery) {
    requireStaff(actor);
    return findProblemViews(db, query);
  }

  async function get(actor: Actor, id: string) {
    requireStaff(actor);
    const problem = await findProblemView(db, id);
    if (!problem) throw notFound("problem");
    return { problem, tickets: await findProblemTickets(db, id) };
  }

  async function create(actor: Actor, body: CreateProblemBody, now: Date) {
    requireStaff(actor);
    if (body.owner_id !== undefined) leadField(actor, "owner_id");
    if (body.workaround !== undefined) leadField(actor, "workaround");
    const id = await db.transaction().execute(async (trx) => {
      if (body.owner_id) await resolveStaff(trx, body.owner_id, "owner_id");
      const ticketIds = [...new Set(body.ticket_ids ?? [])];
      await checkLinkable(trx, ticketIds, (i) => ["ticket_ids", (body.ticket_ids ?? []).indexOf(ticketIds[i]!)]);
      const row = await trx
        .insertInto("problems")
        .values({
          title: body.title,
          description: body.description ?? "",
          workaround: body.workaround ?? null,
          owner_id: body.owner_id ?? null,
          created_by: actor.via === "system" ? null : actor.userId,
          created_at: now,
          updated_at: now,
        })
        .returning(["id", "number", "title"])
        .executeTakeFirstOrThrow();
      for (const ticketId of ticketIds.sort()) await linkIn(trx, actor, row, ticketId, now);
      return row.id;
    });
    return get(actor, id);
  }

  async function update(actor: Actor, id: string, body: UpdateProblemBody, now: Date) {
    requireStaff(actor);
    requireLead(actor, "Changing a problem");
    await db.transaction().execute(async (trx) => {
      // FOR UPDATE: a second PATCH (or a link) waits for this one's commit and sees its status.
      const current = await trx.selectFrom("problems").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
      if (!current) throw notFound("problem");
      if (body.expected_version !== undefined && body.expected_version !== current.version)
        throw new AppError("version_conflict", `The problem is at version ${current.version}; reload and try again`);
      const set: Updateable<ProblemsTable> = {};
      if (body.title !== undefined) set.title = body.title;
      if (body.description !== undefined) set.description = body.description;
      if (body.workaround !== undefined) set.workaround = body.workaround;
      if (body.owner_id !== undefined)
        set.owner_id = body.owner_id && (await resolveStaff(trx, body.owner_id, "owner_id")).id;
      if (body.resolution_message_id !== undefined) set.resolution_message_id = body.resolution_message_id;
      if (body.resolution_message_en !== undefined) set.resolution_message_en = body.resolution_message_en;
      if (body.solve_linked !== undefined) set.solve_linked = body.solve_linked;
      if (body.resolution_code !== undefined) set.resolution_code = body.resolution_code;
      const status = body.status ?? current.status;
      const workaround = set.workaround === undefined ? current.workaround : set.workaround;
      if (status === "known_error" && !workaround)
        throw AppError.field(["workaround"], "required while the problem is a known error");
      const becomes = body.status !== undefined && body.status !== current.status ? body.status : null;
      if (becomes) set.status = becomes;
      if (becomes === "fixed") set.fixed_at = now;
      else if (becomes) set.fixed_at = null;
      if (Object.keys(set).length === 0) return;
      const problem = await trx
        .updateTable("problems")
        .set({ ...set, updated_at: now, version: current.version + 1 })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (becomes === "known_error") await tellLinkedTickets(trx, actor, problem, "problem.known_error", now);
      if (becomes === "fixed") await notifyFixed(trx, actor, problem, now);
    });
    return get(actor, id);
  }

  /** Each open linked ticket gets a timeline event saying what became of its problem. */
  async function tellLinkedTickets(
    trx: Transaction<DB>,
    actor: Actor,
    problem: { id: string; number: number; title: string },
    type: string,
    now: Date,
  ) {
    for (const ticketId of await openLinkedTickets(trx, problem.id))
      await events.record(actor, ticketId, [{ type, at: now, data: problemData(problem) }], now, { trx });
  }

  /**
   * The fix told to every linked open ticket's customer, once: a notice row per (problem, ticket)
   * is inserted first, and only a ticket whose row is new gets the public reply (and, if asked, is
   * solved). A second PATCH to fixed, after a reopening or racing this one, inserts nothing.
   */
  async function notifyFixed(trx: Transaction<DB>, actor: Actor, problem: Selectable<ProblemsTable>, now: Date) {
    const open = await openLinkedTickets(trx, problem.id);
    if (open.length === 0) return;
    const fresh = await trx
      .insertInto("problem_notices")
      .values(open.map((ticketId) => ({ problem_id: problem.id, ticket_id: ticketId, sent_at: now })))
      .onConflict((oc) => oc.columns(["problem_id", "ticket_id"]).doNothing())
      .returning("ticket_id")
      .execute();
    const owner = problem.owner_id
      ? await trx
          .selectFrom("users")
          .select("email")
          .where("id", "=", problem.owner_id)
          .where("role", "!=", "customer")
          .where("disabled", "=", false)
          .executeTakeFirst()
      : undefined;
    for (const ticketId of fresh.map((r) => r.ticket_id).sort()) {
      const ticket = await trx
        .selectFrom("tickets")
        .select(["language"])
        .where("id", "=", ticketId)
        .executeTakeFirstOrThrow();
      const lang = ticket.language === "en" ? "en" : "id";
      const body =
        (lang === "en" ? problem.resolution_message_en : problem.resolution_message_id) ?? DEFAULT_FIX_MESSAGE[lang];
      await events.record(
        actor,
        ticketId,
        [{ type: "problem.fixed", at: now, data: { ...problemData(problem), solved: problem.solve_linked } }],
        now,
        { trx },
      );
      const message = await deps.messages.addInTrx(
        trx,
        actor,
        ticketId,
        {
          kind: "reply",
          body,
          // From the owner when there is one; the one who marked it fixed otherwise.
          ...(owner ? { author_email: owner.email } : {}),
          ...(problem.solve_linked
            ? { status: "solved" as const, resolution_code: (problem.resolution_code ?? "fixed") as "fixed" }
            : {}),
        },
        now,
      );
      await trx
        .updateTable("problem_notices")
        .set({ message_id: message.id })
        .where("problem_id", "=", problem.id)
        .where("ticket_id", "=", ticketId)
        .execute();
    }
  }

  async function link(actor: Actor, problemId: string, ticketId: string, now: Date) {
    requireStaff(actor);
    await db.transaction().execute(async (trx) => {
      const problem = await trx
        .selectFrom("problems")
        .select(["id", "number", "title"])
        .where("id", "=", problemId)
        .forShare()
        .executeTakeFirst();
      if (!problem) throw notFound("problem");
      await checkLinkable(trx, [ticketId], () => ["ticket_id"]);
      await linkIn(trx, actor, problem, ticketId, now);
    });
    return get(actor, problemId);
  }

  async function unlink(actor: Actor, problemId: string, ticketId: string, now: Date) {
    requireStaff(actor);
    await db.transaction().execute(async (trx) => {
      const problem = await trx
        .selectFrom("problems")
        .select(["id", "number", "title"])
        .where("id", "=", problemId)
        .executeTakeFirst();
      if (!problem) throw notFound("problem");
      const gone = await trx
        .deleteFrom("problem_tickets")
        .where("problem_id", "=", problemId)
        .where("ticket_id", "=", ticketId)
        .returning("ticket_id")
        .executeTakeFirst();
      if (!gone) throw notFound("link");
      await events.record(actor, ticketId, [{ type: "problem.unlinked", at: now, data: problemData(problem) }], now, {
        trx,
      });
    });
    return get(actor, problemId);
  }

  async function linkIn(
    trx: Transaction<DB>,
    actor: Actor,
    problem: { id: string; number: number; title: string },
    ticketId: string,
    now: Date,
  ) {
    await trx
      .insertInto("problem_tickets")
      .values({
        ticket_id: ticketId,
        problem_id: problem.id,
        linked_by: actor.via === "system" ? null : actor.userId,
        linked_at: now,
      })
      .execute();
    await events.record(actor, ticketId, [{ type: "problem.linked", at: now, data: problemData(problem) }], now, {
      trx,
    });
  }

  return { list, get, create, update, link, unlink };
}

/** What a timeline event says of its problem (the staff's words name it by number and title). */
const problemData = (p: { id: string; number: number; title: string }) => ({
  problem_id: p.id,
  problem_number: Number(p.number),
  title: p.title,
});

function leadField(actor: Actor, field: string) {
  if (!atLeast(actor, "supervisor"))
    throw new AppError("forbidden", `${field} is set by supervisors and admins`, [
      { path: [field], message: "supervisors and admins only" },
    ]);
}

/** Tickets that exist and are not linked to a problem yet; otherwise a 422/409 naming the field. */
async function checkLinkable(trx: Transaction<DB>, ticketIds: string[], field: (i: number) => (string | number)[]) {
  if (ticketIds.length === 0) return;
  const found = await trx
    .selectFrom("tickets as t")
    .leftJoin("problem_tickets as l", "l.ticket_id", "t.id")
    .select(["t.id", "l.problem_id"])
    .where("t.id", "in", ticketIds)
    .execute();
  const byId = new Map(found.map((r) => [r.id, r.problem_id]));
  for (const [i, id] of ticketIds.entries()) {
    if (!byId.has(id)) throw AppError.field(field(i), "no such ticket");
    if (byId.get(id))
      throw new AppError("conflict", "The ticket is already linked to a problem; unlink it there first", [
        { path: field(i), message: "already linked to a problem" },
      ]);
  }
}

async function openLinkedTickets(trx: Transaction<DB>, problemId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom("problem_tickets as l")
    .innerJoin("tickets as t", "t.id", "l.ticket_id")
    .select("t.id")
    .where("l.problem_id", "=", problemId)
    .where("t.status", "in", [...OPEN_TICKET_STATUSES])
    .orderBy("t.id")
    .execute();
  return rows.map((r) => r.id);
}
