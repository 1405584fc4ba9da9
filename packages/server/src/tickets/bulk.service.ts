import type { Kysely } from "kysely";
import type { BulkAction, BulkBody, BulkItemResult, BulkResult } from "@eskala/contracts";
import type { Actor } from "../auth/actor.ts";
import type { DB } from "../db/schema.ts";
import type { EscalationService } from "../engine/escalation.service.ts";
import { AppError, notFound } from "../lib/app-error.ts";
import { assertStaff } from "./ticket-access.ts";
import type { TicketService } from "./ticket.service.ts";

export type BulkService = ReturnType<typeof createBulkService>;

/**
 * Changes on many tickets at once (assign, status, priority, tags, escalate with one handoff
 * note): each ticket is its own transaction through the same services a single change takes, so
 * timeline events, timers, outbox rows and permissions are those of a change made by hand. One
 * ticket's refusal (closed, not found, not allowed) is reported for it and the others go on.
 */
export function createBulkService(deps: {
  db: Kysely<DB>;
  tickets: TicketService;
  escalations: () => EscalationService | undefined;
}) {
  const { db, tickets } = deps;

  async function changeOne(actor: Actor, id: string, action: BulkAction, now: Date): Promise<void> {
    // Closed is final: a bulk change says so for that ticket rather than editing its fields.
    if ((await tickets.get(actor, id)).status === "closed")
      throw new AppError("invalid_transition", "The ticket is closed; a closed ticket cannot change");
    switch (action.type) {
      case "assign":
        await tickets.update(actor, id, { assignee_id: action.assignee_id }, now);
        return;
      case "status":
        await tickets.update(
          actor,
          id,
          { status: action.status, ...(action.resolution_code ? { resolution_code: action.resolution_code } : {}) },
          now,
        );
        return;
      case "priority":
        await tickets.update(actor, id, { priority: action.priority }, now);
        return;
      case "tags_add":
      case "tags_remove": {
        // Read, then write at that version: a change made meanwhile is read again rather than lost.
        for (let attempt = 0; ; attempt++) {
          const current = await tickets.get(actor, id);
          const tags =
            action.type === "tags_add"
              ? [...new Set([...current.tags, ...action.tags])]
              : current.tags.filter((t) => !action.tags.includes(t));
          if (tags.length === current.tags.length && tags.every((t, i) => t === current.tags[i])) return;
          if (tags.length > 20) throw AppError.field(["action", "tags"], "a ticket holds at most 20 tags");
          try {
            await tickets.update(actor, id, { tags, expected_version: current.version }, now);
            return;
          } catch (error) {
            if (!(error instanceof AppError && error.code === "version_conflict" && attempt < 2)) throw error;
          }
        }
      }
      case "escalate": {
        const escalations = deps.escalations();
        if (!escalations) throw new AppError("unavailable", "Escalation is not available");
        await escalations.escalate(
          actor,
          id,
          { to: action.to, reason: action.reason, reason_text: action.reason_text ?? null, note: action.note },
          now,
        );
        return;
      }
    }
  }

  async function run(actor: Actor, body: BulkBody, now: Date): Promise<BulkResult> {
    assertStaff(actor, "Bulk changes");
    const ids = [...new Set(body.ticket_ids)];
    const numbers = new Map(
      (await db.selectFrom("tickets").select(["id", "number"]).where("id", "in", ids).execute()).map((r) => [
        r.id,
        r.number,
      ]),
    );
    const items: BulkItemResult[] = [];
    for (const id of ids) {
      const number = numbers.get(id) ?? null;
      try {
        if (number === null) throw notFound("ticket");
        await changeOne(actor, id, body.action, now);
        items.push({ ticket_id: id, number, ok: true });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const field = error.errors?.[0];
        items.push({
          ticket_id: id,
          number,
          ok: false,
          code: error.code,
          message:
            field && !error.message.includes(field.message) ? `${error.message}: ${field.message}` : error.message,
        });
      }
    }
    const changed = items.filter((i) => i.ok).length;
    return { changed, failed: items.length - changed, items };
  }

  return { run };
}
