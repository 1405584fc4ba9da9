import { createHash, createHmac } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { Config } from "../../config.ts";
import type { DB } from "../../db/schema.ts";
import { AppError } from "../../lib/app-error.ts";
import { SYSTEM_ACTOR } from "../../auth/actor.ts";
import { enqueueNotification } from "../../notify/fan-out.ts";
import type { RecordTicketEvents } from "../csat/csat.service.ts";
import { loadSecret, safeEqual } from "../settings.ts";

/** A signed call older (or further in the future) than this is refused. */
export const SIGNATURE_TOLERANCE_S = 300;

/** `t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`, the header both directions use. */
export function signPayload(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${mac}`;
}

export type SignatureCheck = { ok: true; signature: string; integration: string | null } | { ok: false; why: string };

/**
 * Checks `X-Eskala-Signature` against every enabled integration's secret and the instance secret.
 * Unsigned, malformed, wrong or stale signatures fail (401); replays are caught on apply (409).
 */
export async function verifySignature(
  db: Kysely<DB>,
  config: Pick<Config, "ESKALA_SECRET">,
  header: string | undefined,
  rawBody: string,
  now: Date,
): Promise<SignatureCheck> {
  if (!header) return { ok: false, why: "X-Eskala-Signature is missing" };
  const parts = Object.fromEntries(
    header.split(",").map((p) => {
      const i = p.indexOf("=");
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()];
    }),
  );
  const t = Number(parts.t);
  const v1 = parts.v1 ?? "";
  if (!/^\d{1,12}$/.test(parts.t ?? "") || !/^[0-9a-f]{64}$/.test(v1))
    return { ok: false, why: "X-Eskala-Signature must be t=<unix>,v1=<hex>" };
  if (Math.abs(now.getTime() / 1000 - t) > SIGNATURE_TOLERANCE_S)
    return { ok: false, why: "The signature's timestamp is more than 5 minutes away from now" };
  const integrations = await db
    .selectFrom("integrations")
    .select(["name", "secret"])
    .where("enabled", "=", true)
    .execute();
  const candidates = [
    ...integrations.map((i) => ({ name: i.name as string | null, secret: i.secret })),
    { name: null, secret: await loadSecret(db, config) },
  ];
  for (const c of candidates) {
    const expected = signPayload(c.secret, rawBody, t).split("v1=")[1]!;
    if (safeEqual(v1, expected)) return { ok: true, signature: `${t}.${v1}`, integration: c.name };
  }
  return { ok: false, why: "The signature does not match" };
}

/**
 * Puts an external issue's status on every linked ticket's timeline and notifies each assignee,
 * in one transaction that also remembers the signature (a replay is a 409 and writes nothing).
 */
export async function applyIssueStatus(
  db: Kysely<DB>,
  recordEvents: RecordTicketEvents,
  input: { key: string; status: string; url?: string | undefined; title?: string | undefined },
  signature: { signature: string; integration: string | null },
  now: Date,
): Promise<{ ticket_ids: string[] }> {
  return db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom("integration_signatures")
      .where("seen_at", "<", new Date(now.getTime() - 2 * SIGNATURE_TOLERANCE_S * 1000))
      .execute();
    const fresh = await trx
      .insertInto("integration_signatures")
      .values({ signature: signature.signature, seen_at: now })
      .onConflict((oc) => oc.column("signature").doNothing())
      .returning("signature")
      .executeTakeFirst();
    if (!fresh) throw new AppError("conflict", "This signed call was already received (replay)");
    const links = await trx
      .selectFrom("ticket_links as l")
      .innerJoin("tickets as t", "t.id", "l.ticket_id")
      .select(["l.id", "l.ticket_id", "l.key", "l.status", "t.number", "t.assignee_id"])
      .where(sql<boolean>`lower(l.key) = ${input.key.toLowerCase()}`)
      .orderBy("t.number")
      .execute();
    const digest = createHash("sha256").update(signature.signature).digest("hex").slice(0, 16);
    for (const l of links) {
      await trx
        .updateTable("ticket_links")
        .set({ status: input.status, status_updated_at: now, ...(input.title ? { title: input.title } : {}) })
        .where("id", "=", l.id)
        .execute();
      await recordEvents(
        SYSTEM_ACTOR,
        l.ticket_id,
        [
          {
            type: "issue.status_changed",
            at: now,
            data: {
              link_id: l.id,
              key: l.key,
              status: input.status,
              previous_status: l.status,
              integration: signature.integration,
              ...(input.url ? { url: input.url } : {}),
            },
          },
        ],
        now,
        { trx },
      );
      if (l.assignee_id)
        await enqueueNotification(trx, {
          userIds: [l.assignee_id],
          kind: "issue.status_changed",
          title: `#${l.number}: ${l.key} is now ${input.status}`,
          body: `The engineering issue ${l.key}${input.title ? ` (${input.title})` : ""} linked to ticket #${l.number} changed from ${l.status ?? "unknown"} to ${input.status}.`,
          params: { number: l.number, key: l.key, status: input.status, previous_status: l.status ?? null },
          ticketId: l.ticket_id,
          key: `issue-status:${digest}:${l.ticket_id}`,
          now,
        });
    }
    return { ticket_ids: [...new Set(links.map((l) => l.ticket_id))] };
  });
}
