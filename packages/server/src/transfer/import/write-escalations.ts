/**
 * The escalation history a source carries (moves between tiers or groups): written as the
 * escalation records they were, at their instants, for tickets imported before them (an unknown
 * actor or group is left out, with a warning). Records
 * only; no rule, timer or notification reacts to history.
 */
import { randomUUID } from "node:crypto";
import type { Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";
import type { TransferEscalation } from "../format.ts";
import { mapKey, readMappings, writeMappings } from "./mappings.ts";
import type { BatchResult, Checked } from "./write-structure.ts";

export async function writeEscalations(
  trx: Transaction<DB>,
  items: Checked<TransferEscalation>[],
  now: Date,
): Promise<BatchResult> {
  const refs = await readMappings(trx, [
    ...items.map((i) => ({ kind: "escalations", key: i.record.key })),
    ...items.map((i) => ({ kind: "tickets", key: i.record.ticket_key })),
    ...items.flatMap((i) => (i.record.actor_key ? [{ kind: "users", key: i.record.actor_key }] : [])),
    ...items.flatMap((i) =>
      [i.record.from_group_key, i.record.to_group_key].flatMap((key) => (key ? [{ kind: "groups", key }] : [])),
    ),
  ]);
  const ref = (kind: string, key: string | null | undefined) => (key ? (refs.get(mapKey(kind, key)) ?? null) : null);
  const skips: BatchResult["skips"] = [];
  const warnings: NonNullable<BatchResult["warnings"]> = [];
  const rows = [];
  const maps = [];
  let updated = 0;
  for (const { record: e, at } of items) {
    if (ref("escalations", e.key)) {
      updated++;
      continue;
    }
    if (!ref("tickets", e.ticket_key)) {
      skips.push({ at, key: e.key, reason: `unknown reference: ticket ${e.ticket_key}` });
      continue;
    }
    // The actor and the groups are optional: an unknown one is left out, with a warning.
    const missing = (
      [
        ["users", e.actor_key, "actor"],
        ["groups", e.from_group_key, "group"],
        ["groups", e.to_group_key, "group"],
      ] as const
    ).filter(([kind, key]) => key && !ref(kind, key));
    if (missing.length)
      warnings.push({
        at,
        key: e.key,
        reason: `unknown reference: ${missing.map(([, k, w]) => `${w} ${k}`).join(", ")}; imported without it`,
      });
    const id = randomUUID();
    rows.push({
      id,
      ticket_id: ref("tickets", e.ticket_key)!,
      type: e.type,
      reason: e.reason,
      trigger: e.trigger,
      actor_id: ref("users", e.actor_key),
      from_tier: e.from_tier ?? null,
      to_tier: e.to_tier ?? null,
      from_group_id: ref("groups", e.from_group_key),
      to_group_id: ref("groups", e.to_group_key),
      note: e.note ?? null,
      created_at: new Date(e.created_at),
    });
    maps.push({ key: e.key, id });
  }
  if (rows.length) await trx.insertInto("escalations").values(rows).execute();
  await writeMappings(trx, "escalations", maps, now);
  return { created: rows.length, updated, skips, warnings };
}
