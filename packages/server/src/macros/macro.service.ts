import type { Kysely, Selectable, Transaction } from "kysely";
import {
  renderPlaceholders,
  type ApplyMacroBody,
  type Macro,
  type MacroBody,
  type MacroChanges,
  type MacroPatch,
  type MacroPlaceholder,
  type RenderedMacro,
} from "@eskala/contracts";
import { atLeast, type Actor } from "../auth/actor.ts";
import type { DB } from "../db/schema.ts";
import type { MacrosTable } from "../db/schema-workspace.ts";
import { AppError, forbidden, notFound } from "../lib/app-error.ts";
import { assertStaff, assertVisible } from "../tickets/ticket-access.ts";
import { findTicketView, type TicketView } from "../tickets/ticket.repo.ts";
import type { MessageService } from "../tickets/message.service.ts";
import type { TicketService } from "../tickets/ticket.service.ts";

type MacroRow = Selectable<MacrosTable> & { owner_name: string };

export type MacroService = ReturnType<typeof createMacroService>;

/** Whether the actor may change or delete a macro (or a saved view): shared ones by supervisors and admins, personal ones by their owner. */
export function canEditOwned(actor: Actor, row: { owner_id: string; shared: boolean }): boolean {
  return row.shared ? atLeast(actor, "supervisor") : row.owner_id === actor.userId;
}

/** Sharing is for supervisors and admins; 403 naming the field otherwise. */
export function assertMayShare(actor: Actor, shared: boolean | undefined): void {
  if (shared && !atLeast(actor, "supervisor"))
    throw new AppError("forbidden", "Only supervisors and admins share with every agent", [
      { path: ["shared"], message: "supervisors and admins only" },
    ]);
}

/** The values of a macro's placeholders for a ticket and the agent applying it (plain text). */
export function placeholderValues(ticket: TicketView, actor: Actor): Record<MacroPlaceholder, string> {
  const first = (name: string) => name.trim().split(/\s+/)[0] ?? "";
  return {
    "customer.name": ticket.requester_name,
    "customer.first_name": first(ticket.requester_name),
    "customer.email": ticket.requester_email,
    "ticket.number": String(ticket.number),
    "ticket.subject": ticket.subject,
    "agent.name": actor.name,
    "agent.first_name": first(actor.name),
    "organization.name": ticket.organization_name ?? "",
  };
}

/** A macro's text in a language: that language's, or the other when it has none. */
export function macroText(
  row: Pick<MacroRow, "body_id" | "body_en">,
  language: string,
): { language: "id" | "en"; text: string } {
  const own = language === "en" ? row.body_en : row.body_id;
  if (own.trim()) return { language: language === "en" ? "en" : "id", text: own };
  return language === "en" ? { language: "id", text: row.body_id } : { language: "en", text: row.body_en };
}

/**
 * Macros: canned replies in Indonesian and English with placeholders, which may also set fields.
 * Personal (the owner's) or shared (made by supervisors and admins, seen by every agent). Applying
 * one writes its reply and its field changes in one transaction, through the ticket and message
 * services (timeline events, hooks, outbox as for any reply and change).
 */
export function createMacroService(deps: { db: Kysely<DB>; tickets: TicketService; messages: MessageService }) {
  const { db } = deps;

  const select = (ex: Kysely<DB> | Transaction<DB>) =>
    ex
      .selectFrom("macros as m")
      .innerJoin("users as u", "u.id", "m.owner_id")
      .selectAll("m")
      .select("u.name as owner_name");

  async function find(ex: Kysely<DB> | Transaction<DB>, actor: Actor, id: string): Promise<MacroRow> {
    const row = await select(ex).where("m.id", "=", id).executeTakeFirst();
    // Another agent's personal macro does not exist for this actor.
    if (!row || (!row.shared && row.owner_id !== actor.userId)) throw notFound("macro");
    return row;
  }

  async function checkChanges(changes: MacroChanges | undefined) {
    if (
      changes?.group_id &&
      !(await db.selectFrom("groups").select("id").where("id", "=", changes.group_id).executeTakeFirst())
    )
      throw AppError.field(["changes", "group_id"], "unknown group");
    if (changes?.resolution_code && changes.status !== "solved")
      throw AppError.field(["changes", "resolution_code"], "only with status solved");
  }

  const present = (actor: Actor, row: MacroRow): Macro => ({
    id: row.id,
    name: row.name,
    body: { id: row.body_id, en: row.body_en },
    kind: row.kind,
    shared: row.shared,
    changes: row.changes as MacroChanges,
    owner: { id: row.owner_id, name: row.owner_name },
    can_edit: canEditOwned(actor, row),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  });

  async function list(actor: Actor): Promise<Macro[]> {
    assertStaff(actor, "Macros");
    const rows = await select(db)
      .where((eb) => eb.or([eb("m.shared", "=", true), eb("m.owner_id", "=", actor.userId)]))
      .orderBy("m.name")
      .orderBy("m.id")
      .execute();
    return rows.map((r) => present(actor, r));
  }

  async function get(actor: Actor, id: string) {
    assertStaff(actor, "Macros");
    return present(actor, await find(db, actor, id));
  }

  async function create(actor: Actor, body: MacroBody, now: Date) {
    assertStaff(actor, "Macros");
    assertMayShare(actor, body.shared);
    await checkChanges(body.changes);
    const { id } = await db
      .insertInto("macros")
      .values({
        owner_id: actor.userId,
        shared: body.shared,
        name: body.name,
        body_id: body.body.id,
        body_en: body.body.en,
        kind: body.kind,
        changes: JSON.stringify(body.changes),
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return get(actor, id);
  }

  async function update(actor: Actor, id: string, patch: MacroPatch, now: Date) {
    assertStaff(actor, "Macros");
    const row = await find(db, actor, id);
    if (!canEditOwned(actor, row)) throw forbidden("Shared macros are changed by supervisors and admins");
    assertMayShare(actor, patch.shared);
    await checkChanges(patch.changes);
    await db
      .updateTable("macros")
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.body?.id !== undefined ? { body_id: patch.body.id } : {}),
        ...(patch.body?.en !== undefined ? { body_en: patch.body.en } : {}),
        ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
        ...(patch.shared !== undefined ? { shared: patch.shared } : {}),
        ...(patch.changes !== undefined ? { changes: JSON.stringify(patch.changes) } : {}),
        updated_at: now,
      })
      .where("id", "=", id)
      .execute();
    return get(actor, id);
  }

  async function remove(actor: Actor, id: string) {
    assertStaff(actor, "Macros");
    const row = await find(db, actor, id);
    if (!canEditOwned(actor, row)) throw forbidden("Shared macros are removed by supervisors and admins");
    await db.deleteFrom("macros").where("id", "=", id).execute();
  }

  /** The macro's text for a ticket, in the ticket's language, with its placeholders filled in. */
  async function render(actor: Actor, ticketId: string, macroId: string): Promise<RenderedMacro> {
    assertStaff(actor, "Macros");
    const ticket = assertVisible(actor, await findTicketView(db, ticketId));
    const row = await find(db, actor, macroId);
    const { language, text } = macroText(row, ticket.language);
    return {
      macro_id: row.id,
      language,
      kind: row.kind,
      body: renderPlaceholders(text, placeholderValues(ticket, actor)),
      changes: row.changes as MacroChanges,
    };
  }

  /**
   * Applies a macro to a ticket in one transaction: its reply (the agent's edited text, or the
   * rendered one) with its status, then its other field changes (priority, tags, group).
   */
  async function apply(actor: Actor, ticketId: string, macroId: string, input: ApplyMacroBody, now: Date) {
    const rendered = await render(actor, ticketId, macroId);
    const changes = rendered.changes;
    const text = (input.body ?? rendered.body).trim();
    const messageId = await db.transaction().execute(async (trx) => {
      let messageId: string | null = null;
      const statusWithMessage = text.length > 0;
      if (statusWithMessage) {
        const message = await deps.messages.addInTrx(
          trx,
          actor,
          ticketId,
          {
            body: text,
            kind: input.kind ?? rendered.kind,
            ...(changes.status ? { status: changes.status } : {}),
            ...(changes.resolution_code ? { resolution_code: changes.resolution_code } : {}),
          },
          now,
        );
        messageId = message.id;
      }
      const current = await trx
        .selectFrom("tickets")
        .select("tags")
        .where("id", "=", ticketId)
        .executeTakeFirstOrThrow();
      const remove = new Set(changes.tags_remove ?? []);
      const tags = [...new Set([...current.tags, ...(changes.tags_add ?? [])])].filter((t) => !remove.has(t));
      const tagsChanged = tags.length !== current.tags.length || tags.some((t, i) => t !== current.tags[i]);
      await deps.tickets.updateInTrx(
        trx,
        actor,
        ticketId,
        {
          ...(!statusWithMessage && changes.status ? { status: changes.status } : {}),
          ...(!statusWithMessage && changes.resolution_code ? { resolution_code: changes.resolution_code } : {}),
          ...(changes.priority ? { priority: changes.priority } : {}),
          ...(changes.group_id ? { group_id: changes.group_id } : {}),
          ...(tagsChanged ? { tags } : {}),
        },
        now,
      );
      return messageId;
    });
    return { messageId };
  }

  return { list, get, create, update, remove, render, apply };
}
