import type { WhatsappStatus } from "@eskala/contracts";
import type { Kysely } from "kysely";
import { createGroupCommit, type Settled } from "../../db/group-commit.ts";
import type { DB } from "../../db/schema.ts";
import { appendEvents, type TimelineEvent } from "../../tickets/ticket-events.ts";

const STATUSES = new Set(["sent", "delivered", "read", "failed"]);
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const keyOf = (s: WhatsappStatus) => `status:${s.id}:${s.status}`;

interface Reports {
  statuses: WhatsappStatus[];
  now: Date;
}

/**
 * Status reports of the messages we sent: each (message, status) once, on the timeline of the
 * message's ticket; reports of messages we do not know are skipped. The reports of deliveries
 * arriving together share one transaction (group commit): three statements for the group.
 */
export function createStatusIntake(db: Kysely<DB>) {
  const group = createGroupCommit<Reports, number>({ max: 64, inFlight: 2, run: (items) => recordGroup(items) });

  async function recordGroup(items: Reports[]): Promise<Settled<number>[]> {
    const known = items.map((r) => r.statuses.filter((s) => STATUSES.has(s.status)));
    const all = known.flat();
    if (all.length === 0) return items.map(() => ({ ok: true, value: 0 }));
    try {
      const counts = await db.transaction().execute(async (trx) => {
        const sent = await trx
          .selectFrom("whatsapp_messages")
          .select(["wamid", "ticket_id", "wa_id"])
          .where("direction", "=", "outbound")
          .where("wamid", "in", [...new Set(all.map((s) => s.id))])
          .execute();
        const ticketOf = new Map(sent.map((r) => [r.wamid, r]));
        // Each key once in the insert, for the first report that names it.
        const rows = new Map<string, { s: WhatsappStatus; out: (typeof sent)[number]; item: number; now: Date }>();
        known.forEach((list, item) =>
          list.forEach((s) => {
            const out = ticketOf.get(s.id);
            if (out && !rows.has(keyOf(s))) rows.set(keyOf(s), { s, out, item, now: items[item]!.now });
          }),
        );
        const perItem = items.map(() => 0);
        if (rows.size === 0) return perItem;
        const fresh = await trx
          .insertInto("whatsapp_messages")
          .values(
            [...rows].map(([wamid, { out, now }]) => ({
              wamid,
              direction: "status" as const,
              wa_id: out.wa_id,
              ticket_id: out.ticket_id,
              message_id: null,
              created_at: now,
            })),
          )
          .onConflict((oc) => oc.column("wamid").doNothing())
          .returning("wamid")
          .execute();
        const events: TimelineEvent[] = fresh.map(({ wamid }) => {
          const { s, out, item, now } = rows.get(wamid)!;
          perItem[item]!++;
          const error = s.errors?.[0];
          const detail = error ? (error.error_data?.details ?? error.message ?? error.title ?? "") : "";
          return {
            ticketId: out.ticket_id,
            type: "whatsapp.status",
            at: now,
            actorKind: "system",
            data: {
              status: s.status,
              wamid: s.id,
              ...(error ? { error: clip(`${error.code ? `(#${error.code}) ` : ""}${detail}`.trim(), 500) } : {}),
            },
          };
        });
        await appendEvents(trx, null, events);
        return perItem;
      });
      return counts.map((value) => ({ ok: true, value }));
    } catch (error) {
      if (items.length === 1) return [{ ok: false, error }];
      const alone: Settled<number>[] = [];
      for (const item of items) alone.push(...(await recordGroup([item])));
      return alone;
    }
  }

  return {
    /** Records one delivery's status reports; how many landed on a timeline. */
    record: (statuses: WhatsappStatus[], now: Date) => group.submit({ statuses, now }),
  };
}
