import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppImapFetcher } from "../../src/channels/imap/compose-imap.ts";
import type { ImapFetcher, ImapFetcherOptions } from "../../src/channels/imap/fetcher.ts";
import { openPassword } from "../../src/channels/imap/secret-box.ts";
import { replyToAddress } from "../../src/channels/mail/addresses.ts";
import { loadSecret } from "../../src/channels/settings.ts";
import type { TestApp } from "../harness.ts";
import { rawMail, startDovecot, type Dovecot } from "./dovecot.ts";
import { DOMAIN, startChannelsApp } from "./helpers.ts";

let t: TestApp;
let dc: Dovecot;
const fetchers: ImapFetcher[] = [];

beforeAll(async () => {
  // Dovecot first: if the app fails to start, afterAll still stops it.
  dc = await startDovecot({
    support: "rahasia-1",
    billing: "rahasia-2",
    restart: "rahasia-3",
    race: "rahasia-4",
    seen: "x",
  });
  // Dovecot listens on 127.0.0.1: allow-listed, as an admin would for a mailbox inside the network.
  t = await startChannelsApp({ ESKALA_WEBHOOK_ALLOW: "127.0.0.1" });
});
afterAll(async () => {
  await Promise.all(fetchers.map((f) => f.stop()));
  await t?.close();
  await dc?.stop();
});

const fast: ImapFetcherOptions = { scanMs: 100, pollMs: 500, leaseMs: 5_000, retryBaseMs: 300, retryMaxMs: 2_000 };
function fetcher(opts: ImapFetcherOptions = {}) {
  const f = createAppImapFetcher(t.services, { ...fast, ...opts });
  fetchers.push(f);
  f.start();
  return f;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let n = 0;
const mail = (over: Partial<Parameters<typeof rawMail>[0]> = {}) =>
  rawMail({
    from: "Budi Santoso <budi@pelanggan.test>",
    to: "support@perusahaan.test",
    subject: `Tidak bisa login ${++n}`,
    text: "Halo, sejak kemarin saya tidak bisa login ke aplikasi. Mohon bantuannya.",
    messageId: `<imap-${n}-${Date.now()}@pelanggan.test>`,
    ...over,
  });

const mailboxBody = (user: string, over: Record<string, unknown> = {}) => ({
  name: `Kotak ${user}`,
  host: dc.host,
  port: dc.port,
  tls: false,
  user,
  password: dc.users[user],
  group_id: t.groups.billing,
  ...over,
});
async function addMailbox(user: string, over: Record<string, unknown> = {}) {
  const res = await t.inject("POST", "/api/v1/mailboxes", { body: mailboxBody(user, over) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; name: string };
}
const ticketsBySubject = (subjects: string[]) =>
  t.db.selectFrom("tickets").selectAll().where("subject", "in", subjects).execute();
const subjectOf = (raw: string) => /^Subject: (.*)$/m.exec(raw)![1]!.trim();

describe("/api/v1/mailboxes", () => {
  it("refuses a host that is a private, link-local or metadata address the allow-list does not name; nothing stored", async () => {
    const before = await t.db.selectFrom("imap_mailboxes").select("id").execute();
    for (const host of ["169.254.169.254", "10.20.30.40", "[::1]", "192.168.1.10"]) {
      const res = await t.inject("POST", "/api/v1/mailboxes", { body: mailboxBody("support", { name: `Intern ${host}`, host }) });
      expect(res.status, host).toBe(422);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.body.errors).toEqual([expect.objectContaining({ path: ["host"] })]);
      expect(res.body.errors[0].message).toContain("ESKALA_WEBHOOK_ALLOW");
    }
    expect(await t.db.selectFrom("imap_mailboxes").select("id").execute()).toEqual(before);
    // Moving an existing mailbox there is refused the same way, and it keeps its host.
    const box = await addMailbox("seen", { name: "Dipindah" });
    const moved = await t.inject("PATCH", `/api/v1/mailboxes/${box.id}`, { body: { host: "10.20.30.40" } });
    expect(moved.status).toBe(422);
    expect(moved.body.errors[0].path).toEqual(["host"]);
    const kept = await t.inject("GET", `/api/v1/mailboxes/${box.id}`);
    expect(kept.body.host).toBe(dc.host);
    // A host stored before the check (or a name that now resolves inside) is refused again when connecting.
    await t.db.updateTable("imap_mailboxes").set({ host: "127.0.0.2", enabled: false }).where("id", "=", box.id).execute();
    const tried = await t.inject("POST", `/api/v1/mailboxes/${box.id}/test`);
    expect(tried.body).toMatchObject({ ok: false, error_code: "unreachable" });
    expect(tried.body.message).toContain("only an address in ESKALA_WEBHOOK_ALLOW may be used");
    expect((await t.inject("DELETE", `/api/v1/mailboxes/${box.id}`)).status).toBe(204);
  });

  it("an admin adds a mailbox: the password is stored encrypted and never returned", async () => {
    const res = await t.inject("POST", "/api/v1/mailboxes", {
      body: {
        name: "Dukungan",
        host: "imap.perusahaan.test",
        port: 993,
        tls: true,
        user: "cs@perusahaan.test",
        password: "app-pass-123",
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: "Dukungan",
      tls: "implicit",
      folder: "INBOX",
      after_import: "seen",
      enabled: true,
      password_set: true,
    });
    expect(res.body.status).toMatchObject({ last_error: null, imported_count: 0, last_success_at: null });
    expect(res.text).not.toContain("app-pass-123");
    expect(res.body).not.toHaveProperty("password");
    const row = await t.db
      .selectFrom("imap_mailboxes")
      .selectAll()
      .where("id", "=", res.body.id)
      .executeTakeFirstOrThrow();
    expect(row.password_enc).not.toContain("app-pass-123");
    expect(openPassword(await loadSecret(t.db, t.services.config), row.id, row.password_enc!)).toBe("app-pass-123");
    // Bound to its mailbox: a ciphertext copied to another row does not open.
    expect(() => openPassword("another-secret-0123456789", row.id, row.password_enc!)).toThrow();

    const got = await t.inject("GET", `/api/v1/mailboxes/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.text).not.toContain("app-pass-123");
    const patched = await t.inject("PATCH", `/api/v1/mailboxes/${res.body.id}`, {
      body: { tls: "starttls", port: 143, after_import: "move", move_to: "Eskala" },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      tls: "starttls",
      port: 143,
      after_import: "move",
      move_to: "Eskala",
      password_set: true,
    });
    const cleared = await t.inject("PATCH", `/api/v1/mailboxes/${res.body.id}`, {
      body: { password: null, enabled: false },
    });
    expect(cleared.body).toMatchObject({ password_set: false, enabled: false });
    const list = await t.inject("GET", "/api/v1/mailboxes");
    expect(list.body.items.map((m: { name: string }) => m.name)).toContain("Dukungan");
    expect((await t.inject("DELETE", `/api/v1/mailboxes/${res.body.id}`)).status).toBe(204);
    expect((await t.inject("GET", `/api/v1/mailboxes/${res.body.id}`)).status).toBe(404);
  });

  it("refuses bad input with 422 naming the field, a duplicate name with 409, and non-admins; nothing written", async () => {
    const before = await t.count("imap_mailboxes");
    const base = { name: "Salah", host: "imap.test", port: 993, user: "u", password: "p" };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, port: 0 }, "port"],
      [{ ...base, port: 70000 }, "port"],
      [{ ...base, port: "imap" }, "port"],
      [{ ...base, host: "" }, "host"],
      [{ ...base, host: "   " }, "host"],
      [{ ...base, host: "bad host/" }, "host"],
      [{ ...base, tls: "maybe" }, "tls"],
      [{ ...base, group_id: "00000000-0000-4000-8000-000000000000" }, "group_id"],
      [{ ...base, after_import: "move" }, "move_to"],
      [{ ...base, name: "" }, "name"],
    ];
    for (const [body, field] of cases) {
      const res = await t.inject("POST", "/api/v1/mailboxes", { body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(JSON.stringify(res.body)).toContain(field);
    }
    expect(await t.count("imap_mailboxes")).toBe(before);

    const first = await t.inject("POST", "/api/v1/mailboxes", { body: { ...base, name: "Sekali" } });
    expect(first.status).toBe(201);
    const again = await t.inject("POST", "/api/v1/mailboxes", { body: { ...base, name: "Sekali" } });
    expect(again.status).toBe(409);
    expect(again.body.errors[0].path).toEqual(["name"]);
    const other = await t.inject("POST", "/api/v1/mailboxes", { body: { ...base, name: "Lain" } });
    const rename = await t.inject("PATCH", `/api/v1/mailboxes/${other.body.id}`, { body: { name: "Sekali" } });
    expect(rename.status).toBe(409);
    const badPatch = await t.inject("PATCH", `/api/v1/mailboxes/${other.body.id}`, { body: { port: -1 } });
    expect(badPatch.status).toBe(422);
    expect((await t.inject("GET", `/api/v1/mailboxes/${other.body.id}`)).body.port).toBe(993);

    for (const who of [t.people.agent1, t.people.supervisor, t.people.customer]) {
      expect((await t.inject("GET", "/api/v1/mailboxes", { token: who.token })).status).toBe(403);
      expect(
        (await t.inject("POST", "/api/v1/mailboxes", { token: who.token, body: { ...base, name: "X" } })).status,
      ).toBe(403);
    }
    expect((await t.inject("GET", "/api/v1/mailboxes", { token: null })).status).toBe(401);
    for (const id of [first.body.id, other.body.id]) await t.inject("DELETE", `/api/v1/mailboxes/${id}`);
  });

  it("tests the connection against the server: signed in and the folder counted, or why not", async () => {
    await dc.append("seen", [mail()]);
    const good = await addMailbox("seen", { enabled: false });
    const ok = await t.inject("POST", `/api/v1/mailboxes/${good.id}/test`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, error_code: null, messages: 1 });
    await t.inject("PATCH", `/api/v1/mailboxes/${good.id}`, { body: { password: "salah" } });
    const bad = await t.inject("POST", `/api/v1/mailboxes/${good.id}/test`);
    expect(bad.body).toMatchObject({ ok: false, error_code: "auth_failed" });
    expect(bad.body.message).toMatch(/refused the user name or password/);
    await t.inject("PATCH", `/api/v1/mailboxes/${good.id}`, { body: { password: "x", folder: "Tidak-Ada" } });
    expect((await t.inject("POST", `/api/v1/mailboxes/${good.id}/test`)).body).toMatchObject({
      ok: false,
      error_code: "folder_missing",
    });
    await t.inject("DELETE", `/api/v1/mailboxes/${good.id}`);
  });
});

describe("fetching from a real Dovecot", () => {
  let supportBox: { id: string };
  let first: string;

  it("a mail becomes one ticket in the mailbox's group, marked \\Seen after the commit", async () => {
    supportBox = await addMailbox("support");
    const raw = mail();
    first = subjectOf(raw);
    await dc.append("support", [raw]);
    // No poll for a minute: the next test's reply can only come by IDLE.
    fetcher({ pollMs: 60_000 });
    const [ticket] = await until("the ticket", async () => {
      const rows = await ticketsBySubject([first]);
      return rows.length ? rows : undefined;
    });
    expect(ticket).toMatchObject({ channel: "email", group_id: t.groups.billing, language: "id" });
    expect(ticket!.description).toContain("tidak bisa login");
    await until("\\Seen", async () => (await dc.list("support")).every((m) => m.seen));
    const status = await until("the status", async () => {
      const r = (await t.inject("GET", `/api/v1/mailboxes/${supportBox.id}`)).body;
      return r.status.last_success_at && r.status.imported_count === 1 ? r : undefined;
    });
    expect(status.status).toMatchObject({ last_error: null, failures: 0 });
    expect(await ticketsBySubject([first])).toHaveLength(1);
  });

  it("a reply to the ticket's Reply-To threads onto it (IDLE brings it without a poll)", async () => {
    const [ticket] = await ticketsBySubject([first]);
    const secret = await loadSecret(t.db, t.services.config);
    const reply = mail({
      to: replyToAddress("support", DOMAIN, ticket!.number, secret),
      subject: `Re: ${first}`,
      text: "Sudah saya coba lagi, masih gagal.\n\n> kutipan lama",
    });
    await dc.append("support", [reply]);
    const msg = await until("the reply", () =>
      t.db
        .selectFrom("messages")
        .selectAll()
        .where("ticket_id", "=", ticket!.id)
        .where("body", "like", "%masih gagal%")
        .executeTakeFirst(),
    );
    expect(msg).toMatchObject({ kind: "reply", channel: "email" });
    expect(await ticketsBySubject([`Re: ${first}`])).toHaveLength(0);
    const imports = await t.db.selectFrom("imap_imports").selectAll().where("mailbox_id", "=", supportBox.id).execute();
    expect(imports.map((i) => i.outcome).sort()).toEqual(["message", "ticket"]);
  });

  it("a fetcher stopped after the first of several mails, and started again, imports each exactly once", async () => {
    await Promise.all(fetchers.splice(0).map((f) => f.stop()));
    const box = await addMailbox("restart", { after_import: "move", move_to: "Diproses" });
    const c = await dc.client("restart");
    await c.mailboxCreate("Diproses");
    await c.logout();
    const raws = Array.from({ length: 8 }, () => mail({ to: "restart@perusahaan.test" }));
    await dc.append("restart", raws);
    // Stopped from inside the first commit's callback: the mails in flight finish, the rest wait.
    let stopping: Promise<void> | null = null;
    const a: ImapFetcher = fetcher({
      owner: "first",
      concurrency: 2,
      onImported: () => void (stopping ??= a.stop()),
    });
    await until("the first import", async () => stopping !== null);
    await stopping;
    const after = await ticketsBySubject(raws.map(subjectOf));
    expect(after.length).toBeGreaterThanOrEqual(1);
    expect(after.length).toBeLessThan(8);
    // Stopped right after its commits: nothing was moved yet, so the next fetcher sees them all again.
    expect((await dc.list("restart")).length).toBe(8);

    fetcher({ owner: "second" });
    await until("all eight", async () => (await dc.list("restart")).length === 0);
    const tickets = await ticketsBySubject(raws.map(subjectOf));
    expect(tickets).toHaveLength(8);
    expect(new Set(tickets.map((x) => x.subject)).size).toBe(8);
    expect((await dc.list("restart", "Diproses")).length).toBe(8);
    const imports = await t.db.selectFrom("imap_imports").select("uid").where("mailbox_id", "=", box.id).execute();
    expect(imports).toHaveLength(8);
  });

  it("a refused login shows on the mailbox and is retried with backoff; another mailbox still imports", async () => {
    await Promise.all(fetchers.splice(0).map((f) => f.stop()));
    fetcher();
    const bad = await addMailbox("billing", { name: "Salah sandi", password: "bukan-ini" });
    const raw = mail({ to: "support@perusahaan.test" });
    await dc.append("support", [raw]);
    await dc.append("billing", [mail({ to: "billing@perusahaan.test" })]);
    const seenFailures = await until("two failures", async () => {
      const r = (await t.inject("GET", `/api/v1/mailboxes/${bad.id}`)).body;
      return r.status.failures >= 2 ? r : undefined;
    });
    expect(seenFailures.status).toMatchObject({ last_error_code: "auth_failed" });
    expect(seenFailures.status.last_error).toMatch(
      /^The server at 127\.0\.0\.1:\d+ refused the user name or password\.$/,
    );
    expect(Date.parse(seenFailures.status.next_retry_at)).toBeGreaterThan(
      Date.parse(seenFailures.status.last_error_at),
    );
    await until("the other mailbox's ticket", async () => (await ticketsBySubject([subjectOf(raw)])).length === 1);
    expect((await dc.list("billing"))[0]!.seen).toBe(false);

    // The admin fixes the password: tried at once, imported, the error gone.
    await t.inject("PATCH", `/api/v1/mailboxes/${bad.id}`, { body: { password: "rahasia-2" } });
    const fixed = await until("the fix", async () => {
      const r = (await t.inject("GET", `/api/v1/mailboxes/${bad.id}`)).body;
      return r.status.imported_count === 1 && r.status.last_success_at ? r : undefined;
    });
    expect(fixed.status).toMatchObject({ last_error: null, last_error_code: null, failures: 0, next_retry_at: null });
  });

  it("two fetchers at once import each mail once", async () => {
    await Promise.all(fetchers.splice(0).map((f) => f.stop()));
    const box = await addMailbox("race");
    const raws = Array.from({ length: 10 }, () => mail({ to: "race@perusahaan.test" }));
    await dc.append("race", raws);
    fetcher({ owner: "left", leaseMs: 3_000 });
    fetcher({ owner: "right", leaseMs: 3_000 });
    await until("all ten", async () => (await dc.list("race")).every((m) => m.seen), 30_000);
    // Another round of leases changing hands finds nothing new.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await ticketsBySubject(raws.map(subjectOf))).toHaveLength(10);
    expect(await t.db.selectFrom("imap_imports").select("uid").where("mailbox_id", "=", box.id).execute()).toHaveLength(
      10,
    );
  });

  it("the same message taken by two intakes at once makes one ticket (the import key is in the ticket's transaction)", async () => {
    const { processInboundMail } = await import("../../src/channels/mail/inbound.ts");
    const raw = Buffer.from(mail({ to: "race@perusahaan.test" }));
    const secret = await loadSecret(t.db, t.services.config);
    const pino = (await import("pino")).default;
    const deps = {
      tickets: t.services.tickets,
      messages: t.services.messages,
      auth: t.services.auth,
      database: t.services.database,
      clock: t.services.clock,
      config: t.services.config,
    };
    const box = await addMailbox("seen", { name: "Dua intake", enabled: false });
    const key = { mailboxId: box.id, uidvalidity: 1, uid: 999 };
    const results = await Promise.all(
      [0, 1].map(() =>
        processInboundMail(
          deps,
          raw,
          { mailFrom: null, rcptTo: [] },
          { secret, log: pino({ level: "silent" }), imap: key, groupId: null },
        ),
      ),
    );
    expect(results.map((r) => r.outcome).sort()).toEqual(["duplicate", "ticket"]);
    expect(await ticketsBySubject([subjectOf(raw.toString())])).toHaveLength(1);
    const rows = await t.db.selectFrom("imap_imports").selectAll().where("uid", "=", 999).execute();
    expect(rows.map((r) => r.outcome).sort()).toEqual(["ticket"]);
  });

  it("the imap worker starts with the others (startWorkers) and stops with the app", async () => {
    await Promise.all(fetchers.splice(0).map((f) => f.stop()));
    const raw = mail();
    await dc.append("support", [raw]);
    await t.services.startWorkers();
    await until("the worker's ticket", async () => (await ticketsBySubject([subjectOf(raw)])).length === 1);
  });
});
