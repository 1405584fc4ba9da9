import type { Kysely, Selectable } from "kysely";
import type { Actor } from "../../auth/actor.ts";
import type { Config } from "../../config.ts";
import type { DB } from "../../db/schema.ts";
import type { TicketLinksTable } from "../../db/schema-channels.ts";
import { AppError, notFound } from "../../lib/app-error.ts";
import { assertStaff, assertVisible } from "../../tickets/ticket-access.ts";
import { enqueueWebhookEvent } from "../../notify/fan-out.ts";
import { findTicketForUpdate } from "../../tickets/ticket.repo.ts";
import type { RecordTicketEvents } from "../csat/csat.service.ts";
import { webhookTicket } from "./webhooks.ts";

export type LinksService = ReturnType<typeof createLinksService>;

/** Tier 3: tickets linked to engineering issues; linking tells the subscribed webhooks. */
export function createLinksService(deps: { db: Kysely<DB>; config: Config; recordEvents: RecordTicketEvents }) {
  const { db, config, recordEvents } = deps;

  async function link(
    actor: Actor,
    ticketId: string,
    body: { url: string; key: string; title?: string | undefined },
    now: Date,
  ) {
    assertStaff(actor, "Linking issues");
    return db.transaction().execute(async (trx) => {
      const ticket = assertVisible(actor, await findTicketForUpdate(trx, ticketId));
      const existing = await trx
        .selectFrom("ticket_links")
        .select("id")
        .where("ticket_id", "=", ticketId)
        .where((eb) => eb(eb.fn("lower", ["key"]), "=", body.key.toLowerCase()))
        .executeTakeFirst();
      if (existing)
        throw new AppError("conflict", `The ticket is already linked to ${body.key}`, [
          { path: ["key"], message: "already linked" },
        ]);
      const row = await trx
        .insertInto("ticket_links")
        .values({
          ticket_id: ticketId,
          url: body.url,
          key: body.key,
          title: body.title ?? null,
          status: null,
          created_by: actor.via === "system" ? null : actor.userId,
          created_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordEvents(
        actor,
        ticketId,
        [{ type: "ticket.linked", at: now, data: { link_id: row.id, key: row.key, url: row.url, title: row.title } }],
        now,
        { trx },
      );
      await enqueueWebhookEvent(
        trx,
        "ticket.linked",
        { ticket: webhookTicket(ticket, config), link: { id: row.id, key: row.key, url: row.url, title: row.title } },
        { key: row.id, ticketId, now },
      );
      return presentLink(row);
    });
  }

  async function list(actor: Actor, ticketId: string) {
    assertStaff(actor, "Engineering links");
    assertVisible(
      actor,
      await db
        .selectFrom("tickets")
        .select(["requester_id", "organization_id"])
        .where("id", "=", ticketId)
        .executeTakeFirst(),
    );
    const rows = await db
      .selectFrom("ticket_links")
      .selectAll()
      .where("ticket_id", "=", ticketId)
      .orderBy("created_at")
      .execute();
    return rows.map(presentLink);
  }

  async function unlink(actor: Actor, ticketId: string, linkId: string, now: Date) {
    assertStaff(actor, "Engineering links");
    await db.transaction().execute(async (trx) => {
      const gone = await trx
        .deleteFrom("ticket_links")
        .where("id", "=", linkId)
        .where("ticket_id", "=", ticketId)
        .returningAll()
        .executeTakeFirst();
      if (!gone) throw notFound("link");
      await recordEvents(
        actor,
        ticketId,
        [{ type: "ticket.unlinked", at: now, data: { link_id: gone.id, key: gone.key } }],
        now,
        { trx },
      );
    });
  }

  return { link, list, unlink };
}

export function presentLink(l: Selectable<TicketLinksTable>) {
  return {
    id: l.id,
    ticket_id: l.ticket_id,
    url: l.url,
    key: l.key,
    title: l.title,
    status: l.status,
    status_updated_at: l.status_updated_at?.toISOString() ?? null,
    created_at: l.created_at.toISOString(),
  };
}
