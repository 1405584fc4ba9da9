import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eraseRequester, ERASED, EraseError } from "../../src/transfer/erase.ts";
import { startTestApp, type Person, type TestApp } from "../harness.ts";

const BIN = fileURLToPath(new URL("../../bin/eskala.js", import.meta.url));
const EMAIL = "budi.santoso@pelanggan.example";
const NAME = "Budi Santoso";
const WORDS = "Saldo dompet saya hilang setelah transfer ke rekening 1234567890";
const SECRET = "erase-test-secret-0123456789";
const b64 = (s: string) => Buffer.from(s).toString("base64");
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const PERIOD = `from=${day(-30)}&to=${day(1)}`;

let t: TestApp;
let budi: Person;
let ticketId = "";

/** Every row of every table, as text, that contains the needle (case-insensitive). */
async function rowsContaining(needle: string): Promise<string[]> {
  const { rows: tables } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(
    t.db,
  );
  const found: string[] = [];
  for (const { table_name } of tables) {
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from ${sql.table(table_name)} x where x::text ilike ${"%" + needle + "%"}`.execute(
      t.db,
    );
    if (rows[0]!.n > 0) found.push(`${table_name}: ${rows[0]!.n}`);
  }
  return found;
}

async function figures() {
  const get = async (path: string) =>
    (await t.inject("GET", `${path}?${PERIOD}`, { token: t.people.admin.token })).body;
  return {
    rate: await get("/api/v1/reports/escalation-rate"),
    solved: await get("/api/v1/reports/solved-tiers"),
    tickets: await t.count("tickets"),
    escalations: await t.count("escalations"),
    events: await t.count("ticket_events"),
    ratings: (await t.db.selectFrom("csat_surveys").select(["rating"]).orderBy("id").execute()).map((r) => r.rating),
  };
}

beforeAll(async () => {
  t = await startTestApp();
  const row = await t.db
    .insertInto("users")
    .values({
      email: EMAIL,
      name: NAME,
      role: "customer",
      password_hash: null,
      organization_id: t.orgId,
      created_at: new Date(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  budi = {
    id: row.id,
    email: EMAIL,
    role: "customer",
    token: (await t.services.auth.createToken(row.id, "test")).token,
  };
  const ticket = await t.createTicket(
    {
      subject: "Saldo hilang",
      description: WORDS,
      attachments: [{ filename: "bukti transfer.txt", content_type: "text/plain", content_base64: b64("bukti 999") }],
    },
    budi,
  );
  ticketId = ticket.id;
  const agent = t.people.agent1.token;
  const ok = async (p: Promise<{ status: number; text: string }>) => {
    const r = await p;
    expect(r.status, r.text).toBeLessThan(300);
  };
  await ok(
    t.inject("POST", `/api/v1/tickets/${ticketId}/messages`, {
      token: agent,
      body: { body: `Halo ${NAME}, kami cek dulu ya.` },
    }),
  );
  await ok(
    t.inject("POST", `/api/v1/tickets/${ticketId}/messages`, {
      token: budi.token,
      body: { body: "Sudah tiga hari, tolong dibantu. Email saya " + EMAIL },
    }),
  );
  await ok(
    t.inject("POST", `/api/v1/tickets/${ticketId}/messages`, {
      token: agent,
      body: { body: `Catatan: ${NAME} pelanggan lama`, kind: "note" },
    }),
  );
  await ok(
    t.inject("POST", `/api/v1/tickets/${ticketId}/escalation-requests`, {
      token: budi.token,
      body: { reason: "too_slow", text: "Saya sudah menunggu terlalu lama" },
    }),
  );
  await ok(
    t.inject("POST", `/api/v1/tickets/${ticketId}/escalations`, {
      token: agent,
      body: { to: { tier: 2 }, reason: "too_complex", note: `Pelanggan ${NAME} minta saldo dikembalikan` },
    }),
  );
  await t.db
    .insertInto("csat_surveys")
    .values({
      ticket_id: ticketId,
      requester_id: budi.id,
      solved_at: new Date(),
      solved_tier: 2,
      escalated: true,
      expires_at: new Date(Date.now() + 86_400_000),
      rating: 2,
      comment: `Lambat sekali, ${NAME} kecewa`,
      rated_at: new Date(),
      created_at: new Date(),
    })
    .execute();
  // Someone else's ticket, to see that it is left alone.
  await t.createTicket({ subject: "Tidak bisa login", description: "Pelanggan lain" });
});
afterAll(async () => t?.close());

describe("eskala erase --requester", () => {
  it("a dry run tells what would change and changes nothing", async () => {
    expect((await rowsContaining(EMAIL)).length).toBeGreaterThan(0);
    const before = await rowsContaining(NAME);
    const s = await eraseRequester(t.db, { email: EMAIL, secret: SECRET, dryRun: true });
    expect(s).toMatchObject({
      already: false,
      dry_run: true,
      tickets: 1,
      messages: 1,
      attachments: 1,
      satisfaction_comments: 1,
    });
    expect(s.escalation_requests).toBe(1);
    expect(s.other_rows).toBeGreaterThan(0);
    expect(await rowsContaining(NAME)).toEqual(before);
    expect(
      (await t.db.selectFrom("users").select("name").where("id", "=", budi.id).executeTakeFirstOrThrow()).name,
    ).toBe(NAME);
  });

  it("leaves no trace of the address, the name or the words, keeps the statistics, and is recorded in the audit log", async () => {
    const before = await figures();
    expect(before.tickets).toBeGreaterThan(1);
    const s = await eraseRequester(t.db, { email: EMAIL.toUpperCase(), secret: SECRET });
    expect(s).toMatchObject({ already: false, tickets: 1, messages: 1, attachments: 1, satisfaction_comments: 1 });

    expect(await rowsContaining(EMAIL)).toEqual([]);
    expect(await rowsContaining(NAME)).toEqual([]);
    expect(await rowsContaining("Saldo dompet saya hilang")).toEqual([]);
    expect(await rowsContaining("menunggu terlalu lama")).toEqual([]);
    expect(await t.count("attachments")).toBe(0);
    expect(await figures()).toEqual(before);

    const ticket = await t.db.selectFrom("tickets").selectAll().where("id", "=", ticketId).executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({ subject: ERASED, description: ERASED, tier: 2, escalation_count: 2 });
    const user = await t.db.selectFrom("users").selectAll().where("id", "=", budi.id).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ name: ERASED, disabled: true, password_hash: null });
    // Signed out: every process forgets the token (the session-end signal), so the API refuses it.
    await expect
      .poll(async () => (await t.inject("GET", "/api/v1/tickets", { token: budi.token })).status, { timeout: 5000 })
      .toBe(401);
    // Staff still read the history, in its shape: the agent's words stay, the customer's are gone.
    const messages = await t.db
      .selectFrom("messages")
      .select(["body", "kind"])
      .where("ticket_id", "=", ticketId)
      .orderBy("created_at")
      .execute();
    expect(messages.map((m) => m.body)).toEqual([
      `Halo ${ERASED}, kami cek dulu ya.`,
      ERASED,
      `Catatan: ${ERASED} pelanggan lama`,
    ]);

    const audit = await t.inject("GET", `/api/v1/audit-log?entity=user&entity_id=${budi.id}`, {
      token: t.people.admin.token,
    });
    expect(audit.status).toBe(200);
    const erasure = audit.body.items.find((i: { changes: { field: string }[] }) =>
      i.changes.some((c) => c.field === "erased"),
    );
    expect(erasure).toMatchObject({ action: "updated", entity_name: ERASED, actor: { name: "Eskala" } });
    expect(erasure.changes).toContainEqual(expect.objectContaining({ field: "tickets", after: 1 }));
    expect(JSON.stringify(audit.body)).not.toContain("Budi");
  });

  it("a second run is a no-op; an unknown address is an error", async () => {
    const before = await figures();
    const s = await eraseRequester(t.db, { email: EMAIL, secret: SECRET });
    expect(s).toMatchObject({ already: true, user_id: budi.id, tickets: 0 });
    expect(await figures()).toEqual(before);
    await expect(eraseRequester(t.db, { email: "nobody@nowhere.example", secret: SECRET })).rejects.toThrow(
      new EraseError("No customer has the email address nobody@nowhere.example"),
    );
    await expect(eraseRequester(t.db, { email: t.people.agent1.email, secret: SECRET })).rejects.toThrow(
      /staff member/,
    );
  });

  it.runIf(process.env.DATABASE_URL)("runs as `eskala erase`: an unknown address exits with 1 and a clear line", () => {
    const env = { ...process.env, DATABASE_URL: t.databaseUrl!, LOG_LEVEL: "warn" };
    const run = spawnSync(process.execPath, [BIN, "erase", "--requester", "nobody@nowhere.example", "--dry-run"], {
      encoding: "utf8",
      env,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe("No customer has the email address nobody@nowhere.example");
  });
});
