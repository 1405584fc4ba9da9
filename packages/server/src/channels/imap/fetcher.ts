import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { ImapFlow } from "imapflow";
import type { Logger } from "pino";
import type { DB } from "../../db/schema.ts";
import type { ImapImportKey } from "../mail/inbound-context.ts";
import { MailRefused, type InboundResult } from "../mail/inbound.ts";
import { describeImapError, FolderError, guardedImapClient, type ImapClientOptions } from "./imap-client.ts";
import { mailboxTarget, type MailboxRow } from "./mailboxes.service.ts";

/** What the fetcher hands the mail intake: the raw message, its IMAP key, the addresses it was sent to. */
export type ImapIntake = (
  raw: Buffer,
  key: ImapImportKey,
  mailbox: MailboxRow,
  recipients: string[],
) => Promise<InboundResult>;

export interface ImapFetcherOptions {
  /** This process's name on the leases it takes (random by default). */
  owner?: string;
  /** How long a lease holds a mailbox without being renewed (another process takes it after). */
  leaseMs?: number;
  /** How often free mailboxes are looked for. */
  scanMs?: number;
  /** A folder is read again this often even when IDLE told nothing (servers without IDLE, lost news). */
  pollMs?: number;
  /** UIDs per FETCH. */
  chunk?: number;
  /** Messages of a chunk in the intake at once (their ticket creations commit as a group). */
  concurrency?: number;
  /** Backoff after a failure: base × 2^(failures-1), at most max. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  client?: ImapClientOptions;
  /** Called after each message's commit (tests stop a fetcher mid-fetch with it). */
  onImported?: (mailboxId: string, uid: number, result: InboundResult | { outcome: "refused" }) => void;
}

export interface ImapFetcher {
  start(): void;
  /** Stops fetching: the messages in the intake finish, the rest of the chunk is left as it is. */
  stop(): Promise<void>;
  /** Looks for mailboxes to fetch now (after an admin's change). */
  poke(): void;
}

class LeaseLost extends Error {}

/**
 * The IMAP fetcher: holds each enabled mailbox it can lease with one connection that IDLEs on the
 * folder, and imports every message above the last UID it knows through the same intake as SMTP.
 * Exactly once: each message's `imap_imports` row (mailbox, UIDVALIDITY, UID) is written in the
 * transaction of the ticket or reply it makes, so a restarted or second fetcher skips it; only
 * after the commit is it marked \Seen or moved. A failing mailbox records why, in a sentence, and
 * is tried again with backoff; the others go on.
 */
export function createImapFetcher(
  deps: { db: Kysely<DB>; secret: string; log: Logger; intake: ImapIntake },
  opts: ImapFetcherOptions = {},
): ImapFetcher {
  const { db, log } = deps;
  const owner = opts.owner ?? `imap-${randomUUID()}`;
  const leaseMs = opts.leaseMs ?? 60_000;
  const scanMs = opts.scanMs ?? 5_000;
  const pollMs = opts.pollMs ?? 60_000;
  const chunkSize = opts.chunk ?? 100;
  const concurrency = opts.concurrency ?? 8;
  const retryBaseMs = opts.retryBaseMs ?? 5_000;
  const retryMaxMs = opts.retryMaxMs ?? 15 * 60_000;
  const sessions = new Map<string, { wake: () => void; done: Promise<void> }>();
  let stopped = true;
  let scanTimer: NodeJS.Timeout | null = null;
  let scanning: Promise<void> | null = null;

  const leaseFree = sql<boolean>`(lease_until is null or lease_until < now() or lease_owner = ${owner})`;

  async function scan() {
    if (stopped) return;
    const due = await db
      .selectFrom("imap_mailboxes")
      .select("id")
      .where("enabled", "=", true)
      .where(sql<boolean>`(next_retry_at is null or next_retry_at <= now())`)
      .where(leaseFree)
      .execute();
    for (const { id } of due) {
      if (stopped || sessions.has(id)) continue;
      const row = await db
        .updateTable("imap_mailboxes")
        .set({ lease_owner: owner, lease_until: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
        .where("id", "=", id)
        .where("enabled", "=", true)
        .where(sql<boolean>`(next_retry_at is null or next_retry_at <= now())`)
        .where(leaseFree)
        .returningAll()
        .executeTakeFirst();
      if (!row) continue;
      let wake = () => {};
      const session = { wake: () => wake(), done: Promise.resolve() };
      sessions.set(id, session);
      session.done = runSession(row, (w) => (wake = w)).finally(() => sessions.delete(id));
    }
  }

  function scheduleScan(delay = scanMs) {
    if (stopped) return;
    if (scanTimer) clearTimeout(scanTimer);
    scanTimer = setTimeout(() => {
      scanTimer = null;
      scanning = scan()
        .catch((err) => log.error({ err }, "IMAP mailbox scan failed"))
        .finally(() => {
          scanning = null;
          scheduleScan();
        });
    }, delay);
  }

  async function renew(id: string) {
    const held = await db
      .updateTable("imap_mailboxes")
      .set({ lease_until: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
      .where("id", "=", id)
      .where("lease_owner", "=", owner)
      .returning(["enabled", "updated_at"])
      .executeTakeFirst();
    if (!held) throw new LeaseLost();
    return held;
  }

  async function runSession(row: MailboxRow, onWake: (w: () => void) => void) {
    const target = mailboxTarget(deps.secret, row);
    let client: ImapFlow | null = null;
    let wakeUp: (() => void) | null = null;
    let pending = true;
    let broken: unknown = null;
    let lost = false;
    const halt = () => stopped || lost;
    // The lease is renewed on a timer of its own, so a long chunk does not let it lapse.
    const keeper = setInterval(() => {
      renew(row.id).catch((err: unknown) => {
        if (!(err instanceof LeaseLost)) return log.warn({ err, mailbox: row.name }, "IMAP lease not renewed");
        lost = true;
        wake();
      });
    }, leaseMs / 3);
    const wake = () => {
      const w = wakeUp;
      wakeUp = null;
      w?.();
    };
    onWake(wake);
    try {
      client = await guardedImapClient(target, opts.client);
      client.on("error", (err: unknown) => {
        broken = err;
        wake();
      });
      client.on("close", () => {
        broken ??= Object.assign(new Error("The server closed the connection"), { code: "EConnectionClosed" });
        wake();
      });
      // IDLE (or the NOOP poll of a server without it) tells of new mail.
      client.on("exists", () => {
        pending = true;
        wake();
      });
      await client.connect();
      let uidvalidity: number;
      try {
        uidvalidity = Number((await client.mailboxOpen(target.folder)).uidValidity);
      } catch (err) {
        throw new FolderError(target.folder, err);
      }
      let lastSync = 0;
      let lastRenew = Date.now();
      while (!halt()) {
        if (broken) throw broken;
        if (Date.now() - lastRenew > leaseMs / 3 || pending) {
          const held = await renew(row.id);
          lastRenew = Date.now();
          // Disabled or changed by an admin: end here; the next scan starts over with the new settings.
          if (!held.enabled || held.updated_at.getTime() !== row.updated_at.getTime()) break;
        }
        if (pending || Date.now() - lastSync >= pollMs) {
          pending = false;
          await sync(client, row, uidvalidity, halt);
          lastSync = Date.now();
          await db
            .updateTable("imap_mailboxes")
            .set({
              last_success_at: sql`now()`,
              last_error: null,
              last_error_code: null,
              last_error_at: null,
              failures: 0,
              next_retry_at: null,
            })
            .where("id", "=", row.id)
            .where("lease_owner", "=", owner)
            .execute();
          if (halt()) break;
          continue;
        }
        const wait = Math.max(50, Math.min(pollMs - (Date.now() - lastSync), leaseMs / 3 - (Date.now() - lastRenew)));
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, wait);
          wakeUp = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
      if (lost) throw new LeaseLost();
      await release(row.id);
    } catch (err) {
      if (err instanceof LeaseLost) {
        log.warn({ mailbox: row.name }, "IMAP mailbox lease lost; another process fetches it");
      } else {
        await recordFailure(row, err).catch((e: unknown) => log.error({ err: e }, "IMAP failure not recorded"));
      }
    } finally {
      clearInterval(keeper);
      wakeUp = null;
      if (client) await client.logout().catch(() => client?.close());
    }
  }

  async function release(id: string) {
    await db
      .updateTable("imap_mailboxes")
      .set({ lease_owner: null, lease_until: null })
      .where("id", "=", id)
      .where("lease_owner", "=", owner)
      .execute();
  }

  async function recordFailure(row: MailboxRow, err: unknown) {
    const d = describeImapError(err, row);
    const failures = row.failures + 1;
    const delayMs = Math.min(retryMaxMs, retryBaseMs * 2 ** Math.min(failures - 1, 20));
    log.warn({ mailbox: row.name, err, code: d.code, retryInMs: delayMs }, "IMAP fetch failed");
    await db
      .updateTable("imap_mailboxes")
      .set({
        last_error: d.message,
        last_error_code: d.code,
        last_error_at: sql`now()`,
        failures: sql`failures + 1`,
        next_retry_at: sql`now() + make_interval(secs => ${delayMs / 1000})`,
        lease_owner: null,
        lease_until: null,
      })
      .where("id", "=", row.id)
      .where("lease_owner", "=", owner)
      .execute();
  }

  /** Imports every message above the last UID known for this UIDVALIDITY, a chunk at a time. */
  async function sync(client: ImapFlow, row: MailboxRow, uidvalidity: number, halt: () => boolean) {
    const known = await db
      .selectFrom("imap_mailboxes")
      .select(["uidvalidity", "last_uid", "after_import", "move_to", "group_id"])
      .where("id", "=", row.id)
      .executeTakeFirstOrThrow();
    const last = known.uidvalidity === uidvalidity ? Number(known.last_uid) : 0;
    if (known.uidvalidity !== uidvalidity) {
      // A new numbering of the folder (recreated, restored): every UID is new; the Message-ID still dedupes.
      await db.updateTable("imap_mailboxes").set({ uidvalidity, last_uid: 0 }).where("id", "=", row.id).execute();
    }
    const found = await client.search({ uid: `${last + 1}:*` }, { uid: true });
    const uids = (found || []).filter((u) => u > last).sort((a, b) => a - b);
    for (let i = 0; i < uids.length && !halt(); i += chunkSize) {
      const chunk = uids.slice(i, i + chunkSize);
      const done = new Set(
        (
          await db
            .selectFrom("imap_imports")
            .select("uid")
            .where("mailbox_id", "=", row.id)
            .where("uidvalidity", "=", uidvalidity)
            .where("uid", "=", sql<number>`any(${chunk})`)
            .execute()
        ).map((r) => Number(r.uid)),
      );
      const todo = chunk.filter((u) => !done.has(u));
      const messages = todo.length
        ? await client.fetchAll(todo.join(","), { uid: true, source: true, envelope: true }, { uid: true })
        : [];
      let imported = 0;
      let failure: unknown = null;
      const queue = [...messages];
      const lane = async () => {
        for (let m = queue.shift(); m && !halt() && !failure; m = queue.shift()) {
          if (!m.source) continue;
          const key = { mailboxId: row.id, uidvalidity, uid: m.uid };
          const recipients = [...(m.envelope?.to ?? []), ...(m.envelope?.cc ?? [])]
            .map((a) => a.address)
            .filter((a): a is string => !!a);
          try {
            const result = await deps.intake(m.source, key, { ...row, group_id: known.group_id }, recipients);
            if (result.outcome === "ticket" || result.outcome === "message") imported++;
            else await recordImport(key, result.outcome, result.outcome === "duplicate" ? result.ticketId : null);
            done.add(m.uid);
            opts.onImported?.(row.id, m.uid, result);
          } catch (err) {
            if (err instanceof MailRefused) {
              log.info({ mailbox: row.name, uid: m.uid, err }, "IMAP message refused by the intake");
              await recordImport(key, "refused", null);
              done.add(m.uid);
              opts.onImported?.(row.id, m.uid, { outcome: "refused" });
            } else failure = err;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, messages.length) }, lane));
      if (imported)
        await db
          .updateTable("imap_mailboxes")
          .set({ imported_count: sql`imported_count + ${imported}` })
          .where("id", "=", row.id)
          .execute();
      if (failure) throw failure;
      if (halt()) return;
      // After the commit: mark or move what is in the database (imported now or by an earlier fetch).
      const handled = chunk.filter((u) => done.has(u));
      if (handled.length) {
        if (known.after_import === "move" && known.move_to)
          await client.messageMove(handled.join(","), known.move_to, { uid: true });
        else await client.messageFlagsAdd(handled.join(","), ["\\Seen"], { uid: true });
      }
      await db
        .updateTable("imap_mailboxes")
        .set({ last_uid: sql`greatest(last_uid, ${chunk[chunk.length - 1]!})` })
        .where("id", "=", row.id)
        .execute();
      await renew(row.id);
    }
  }

  async function recordImport(key: ImapImportKey, outcome: string, ticketId: string | null) {
    await db
      .insertInto("imap_imports")
      .values({ mailbox_id: key.mailboxId, uidvalidity: key.uidvalidity, uid: key.uid, outcome, ticket_id: ticketId })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      scheduleScan(0);
    },
    async stop() {
      stopped = true;
      if (scanTimer) clearTimeout(scanTimer);
      scanTimer = null;
      await scanning;
      for (const s of sessions.values()) s.wake();
      await Promise.all([...sessions.values()].map((s) => s.done));
    },
    poke() {
      if (!stopped) scheduleScan(0);
    },
  };
}
