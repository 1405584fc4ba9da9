import { randomUUID } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { CreateMailboxBody, Mailbox, UpdateMailboxBody } from "@eskala/contracts";
import { requireRole, type Actor } from "../../auth/actor.ts";
import type { DB } from "../../db/schema.ts";
import type { ImapMailboxesTable } from "../../db/schema-mailboxes.ts";
import { AppError, notFound } from "../../lib/app-error.ts";
import type { OutboundGuard } from "../../outbox/outbound-guard.ts";
import { testImapConnection, type ImapClientOptions, type ImapTarget } from "./imap-client.ts";
import { openPassword, sealPassword } from "./secret-box.ts";

export type MailboxRow = Selectable<ImapMailboxesTable>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The API's mailbox: never the password, only whether one is set. */
export function presentMailbox(r: MailboxRow): Mailbox {
  return {
    id: r.id,
    name: r.name,
    host: r.host,
    port: r.port,
    tls: r.tls,
    user: r.username,
    password_set: r.password_enc !== null,
    folder: r.folder,
    group_id: r.group_id,
    after_import: r.after_import,
    move_to: r.move_to,
    enabled: r.enabled,
    status: {
      last_success_at: iso(r.last_success_at),
      last_error: r.last_error,
      last_error_code: (r.last_error_code as Mailbox["status"]["last_error_code"]) ?? null,
      last_error_at: iso(r.last_error_at),
      next_retry_at: iso(r.next_retry_at),
      failures: r.failures,
      imported_count: Number(r.imported_count),
    },
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}

/** The connection settings of a stored mailbox, its password decrypted. */
export function mailboxTarget(secret: string, r: MailboxRow): ImapTarget {
  return {
    host: r.host,
    port: r.port,
    tls: r.tls,
    user: r.username,
    password: r.password_enc === null ? null : openPassword(secret, r.id, r.password_enc),
    folder: r.folder,
  };
}

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === "23505";
const duplicateName = () =>
  new AppError("conflict", "A mailbox with this name exists", [{ path: ["name"], message: "taken" }]);

export type MailboxesService = ReturnType<typeof createMailboxesService>;

/** Admin CRUD of the IMAP mailboxes (`/api/v1/mailboxes`); the password is sealed with the instance secret. */
export function createMailboxesService(deps: {
  db: Kysely<DB>;
  secret: string;
  clientOptions?: ImapClientOptions;
  /** Told when a mailbox changed, so the fetcher looks again at once. */
  onChange?: () => void;
  /** The outbound address guard: a host that is (or resolves to) a private address must be allow-listed. */
  guard?: Pick<OutboundGuard, "assertAllowedUrl">;
}) {
  const { db, secret } = deps;
  // The same policy as webhooks: an admin may not point the server at an internal address unless ESKALA_WEBHOOK_ALLOW names it.
  const checkHost = async (host: string) => {
    const literal = host.includes(":") ? `[${host.replace(/^\[|\]$/g, "")}]` : host;
    let url: string;
    try {
      url = new URL(`imap://${literal}`).href;
    } catch {
      throw AppError.field(["host"], "not a host name or address");
    }
    await deps.guard?.assertAllowedUrl(url, ["host"]);
  };
  const load = async (id: string) => {
    const row = await db.selectFrom("imap_mailboxes").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw notFound("mailbox");
    return row;
  };
  const checkGroup = async (groupId: string | null | undefined) => {
    if (!groupId) return;
    const g = await db.selectFrom("groups").select("id").where("id", "=", groupId).executeTakeFirst();
    if (!g) throw AppError.field(["group_id"], "unknown group");
  };
  const checkMove = (after: string, moveTo: string | null | undefined) => {
    if (after === "move" && !moveTo) throw AppError.field(["move_to"], "name the folder to move imported mail to");
  };

  return {
    async list(actor: Actor | null): Promise<Mailbox[]> {
      requireRole(actor, "admin");
      const rows = await db.selectFrom("imap_mailboxes").selectAll().orderBy("name").execute();
      return rows.map(presentMailbox);
    },
    async get(actor: Actor | null, id: string): Promise<Mailbox> {
      requireRole(actor, "admin");
      return presentMailbox(await load(id));
    },
    async create(actor: Actor | null, body: CreateMailboxBody, now: Date): Promise<Mailbox> {
      requireRole(actor, "admin");
      await checkGroup(body.group_id);
      checkMove(body.after_import, body.move_to);
      await checkHost(body.host);
      const id = randomUUID();
      try {
        const row = await db
          .insertInto("imap_mailboxes")
          .values({
            id,
            name: body.name,
            host: body.host,
            port: body.port,
            tls: body.tls,
            username: body.user,
            password_enc: body.password === undefined ? null : sealPassword(secret, id, body.password),
            folder: body.folder,
            group_id: body.group_id ?? null,
            after_import: body.after_import,
            move_to: body.after_import === "move" ? (body.move_to ?? null) : null,
            enabled: body.enabled,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.column("name").doNothing())
          .returningAll()
          .executeTakeFirst();
        if (!row) throw duplicateName();
        deps.onChange?.();
        return presentMailbox(row);
      } catch (err) {
        if (isUniqueViolation(err)) throw duplicateName();
        throw err;
      }
    },
    async update(actor: Actor | null, id: string, body: UpdateMailboxBody, now: Date): Promise<Mailbox> {
      requireRole(actor, "admin");
      const current = await load(id);
      if (body.group_id !== undefined) await checkGroup(body.group_id);
      if (body.host !== undefined) await checkHost(body.host);
      const after = body.after_import ?? current.after_import;
      const moveTo = body.move_to !== undefined ? body.move_to : current.move_to;
      checkMove(after, moveTo);
      // Another server, account or folder is another numbering of messages: start over there
      // (mail already imported is still known by its Message-ID).
      const elsewhere =
        (body.host !== undefined && body.host !== current.host) ||
        (body.user !== undefined && body.user !== current.username) ||
        (body.folder !== undefined && body.folder !== current.folder);
      try {
        const row = await db
          .updateTable("imap_mailboxes")
          .set({
            ...(body.name !== undefined ? { name: body.name } : {}),
            ...(body.host !== undefined ? { host: body.host } : {}),
            ...(body.port !== undefined ? { port: body.port } : {}),
            ...(body.tls !== undefined ? { tls: body.tls } : {}),
            ...(body.user !== undefined ? { username: body.user } : {}),
            ...(body.password !== undefined
              ? { password_enc: body.password === null ? null : sealPassword(secret, id, body.password) }
              : {}),
            ...(body.folder !== undefined ? { folder: body.folder } : {}),
            ...(body.group_id !== undefined ? { group_id: body.group_id } : {}),
            after_import: after,
            move_to: after === "move" ? moveTo : null,
            ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
            ...(elsewhere ? { uidvalidity: null, last_uid: 0 } : {}),
            // New settings are tried at once, not after the old ones' backoff.
            next_retry_at: null,
            failures: 0,
            updated_at: now,
          })
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirstOrThrow();
        deps.onChange?.();
        return presentMailbox(row);
      } catch (err) {
        if (isUniqueViolation(err)) throw duplicateName();
        throw err;
      }
    },
    async remove(actor: Actor | null, id: string): Promise<void> {
      requireRole(actor, "admin");
      const gone = await db.deleteFrom("imap_mailboxes").where("id", "=", id).returning("id").executeTakeFirst();
      if (!gone) throw notFound("mailbox");
      deps.onChange?.();
    },
    /** Connects with the stored settings, signs in and opens the folder. Changes nothing. */
    async test(actor: Actor | null, id: string) {
      requireRole(actor, "admin");
      const row = await load(id);
      return testImapConnection(mailboxTarget(secret, row), deps.clientOptions);
    },
  };
}
