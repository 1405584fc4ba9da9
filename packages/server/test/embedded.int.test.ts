import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testConfig } from "../src/config.ts";
import { compose } from "../src/compose.ts";
import { buildApp } from "../src/http/app.ts";
import { seedDemo } from "../src/seed/demo.ts";

const dir = mkdtempSync(join(tmpdir(), "eskala-embedded-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TOKEN = "restart-test-admin-token-123456";

async function start() {
  const services = await compose(testConfig({ ESKALA_DATA_DIR: dir, ESKALA_ADMIN_TOKEN: TOKEN }));
  const http = await buildApp(services);
  return { services, http, stop: async () => (await http.close(), await services.close()) };
}

describe.skipIf(!!process.env.DATABASE_URL)("embedded database on disk", () => {
  it("keeps a ticket created through the API across a restart", async () => {
    const first = await start();
    await first.services.database.db.insertInto("tiers").values({ level: 1, name: "Tier 1" }).execute();
    const created = await first.http.inject({
      method: "POST",
      url: "/api/v1/tickets",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      payload: JSON.stringify({ subject: "Bertahan", description: "Harus tetap ada setelah restart", requester: { email: "tahan@example.com" } }),
    });
    expect(created.statusCode).toBe(201);
    await first.stop();

    const second = await start();
    const got = await second.http.inject({ method: "GET", url: `/api/v1/tickets/${created.json().id}`, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ subject: "Bertahan", number: created.json().number });
    await second.stop();
  });

  it("seeds a believable demo contact center once", async () => {
    const app = await start();
    const logins = await seedDemo(app.services, { tickets: 60 });
    expect(logins?.map((l) => l.email)).toContain("agent1@eskala.local");
    const db = app.services.database.db;
    const count = async (q: Promise<{ n: number | string | bigint }>) => Number((await q).n);
    expect(await count(db.selectFrom("users").select((eb) => eb.fn.countAll().as("n")).where("role", "in", ["agent", "supervisor"]).executeTakeFirstOrThrow() as never)).toBeGreaterThanOrEqual(12);
    const statuses = await db.selectFrom("tickets").select("status").distinct().execute();
    expect(statuses.map((s) => s.status).sort()).toEqual(["closed", "new", "on_hold", "open", "pending", "solved"]);
    const rules = await db.selectFrom("escalation_rules").select(["name", "event"]).execute();
    expect(rules.map((r) => r.event)).toEqual(expect.arrayContaining(["sla.warning", "sla.breached", "escalation.requested", "sentiment.negative"]));
    expect(await seedDemo(app.services)).toBeNull();
    await app.stop();
  });
});
