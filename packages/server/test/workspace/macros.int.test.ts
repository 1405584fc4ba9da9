import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MacroBody } from "@eskala/contracts";
import { DEMO_MACROS } from "../../src/seed/demo-macros.ts";
import { manualClock, startTestApp, type Person, type TestApp } from "../harness.ts";

const clock = manualClock(new Date("2026-03-02T03:00:00Z"));
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ clock });
  await t.db.updateTable("users").set({ name: "Siti Rahma" }).where("id", "=", t.people.agent1.id).execute();
  await t.db
    .updateTable("users")
    .set({ name: "Budi Santoso", language: "id" })
    .where("id", "=", t.people.customer.id)
    .execute();
});
afterAll(async () => t?.close());

const macro = (extra: Record<string, unknown> = {}) => ({
  name: "Reset kata sandi",
  body: {
    id: "Halo {{customer.first_name}}, tiket #{{ticket.number}} ({{ticket.subject}}) sudah kami cek. Salam, {{agent.name}}",
    en: "Hello {{customer.first_name}}, we checked ticket #{{ticket.number}}. Regards, {{ agent.first_name }}",
  },
  ...extra,
});
const create = (as: Person, body: unknown) => t.inject("POST", "/api/v1/macros", { token: as.token, body });

describe("macros: CRUD and who may do what", () => {
  it("an agent creates a personal macro, sees it, changes it and deletes it", async () => {
    const { agent1 } = t.people;
    const res = await create(agent1, macro({ changes: { priority: "high", tags_add: ["password"] } }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: "Reset kata sandi",
      shared: false,
      kind: "reply",
      changes: { priority: "high", tags_add: ["password"] },
      owner: { id: agent1.id, name: "Siti Rahma" },
      can_edit: true,
    });
    const list = await t.inject("GET", "/api/v1/macros", { token: agent1.token });
    expect(list.body.items.map((m: { id: string }) => m.id)).toContain(res.body.id);
    const patched = await t.inject("PATCH", `/api/v1/macros/${res.body.id}`, {
      token: agent1.token,
      body: { name: "Reset sandi" },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe("Reset sandi");
    expect((await t.inject("DELETE", `/api/v1/macros/${res.body.id}`, { token: agent1.token })).status).toBe(204);
    expect((await t.inject("GET", `/api/v1/macros/${res.body.id}`, { token: agent1.token })).status).toBe(404);
  });

  it("an agent cannot create a shared macro (403 naming shared, nothing written); a supervisor can, and every agent sees it", async () => {
    const { agent1, agent2, supervisor } = t.people;
    const before = await t.count("macros");
    const refused = await create(agent1, macro({ shared: true }));
    expect(refused.status).toBe(403);
    expect(refused.body.errors).toEqual([{ path: ["shared"], message: "supervisors and admins only" }]);
    expect(await t.count("macros")).toBe(before);

    const shared = await create(supervisor, macro({ name: "Salam penutup", shared: true }));
    expect(shared.status).toBe(201);
    const seen = await t.inject("GET", "/api/v1/macros", { token: agent2.token });
    const mine = seen.body.items.find((m: { id: string }) => m.id === shared.body.id);
    expect(mine).toMatchObject({ shared: true, can_edit: false });
    const edit = await t.inject("PATCH", `/api/v1/macros/${shared.body.id}`, {
      token: agent2.token,
      body: { name: "x" },
    });
    expect(edit.status).toBe(403);
    expect((await t.inject("DELETE", `/api/v1/macros/${shared.body.id}`, { token: agent2.token })).status).toBe(403);
  });

  it("another agent's personal macro is neither listed nor editable (404)", async () => {
    const { agent1, agent2 } = t.people;
    const own = await create(agent1, macro({ name: "Milik Siti" }));
    const seen = await t.inject("GET", "/api/v1/macros", { token: agent2.token });
    expect(seen.body.items.map((m: { id: string }) => m.id)).not.toContain(own.body.id);
    const edit = await t.inject("PATCH", `/api/v1/macros/${own.body.id}`, {
      token: agent2.token,
      body: { name: "diambil" },
    });
    expect(edit.status).toBe(404);
    expect((await t.inject("GET", `/api/v1/macros/${own.body.id}`, { token: agent1.token })).body.name).toBe(
      "Milik Siti",
    );
  });

  it("a customer gets 403 for macros", async () => {
    const { customer } = t.people;
    expect((await t.inject("GET", "/api/v1/macros", { token: customer.token })).status).toBe(403);
    const before = await t.count("macros");
    expect((await create(customer, macro())).status).toBe(403);
    expect(await t.count("macros")).toBe(before);
  });
});

describe("macros: bad input is a 422 naming the field, and nothing is written", () => {
  it.each([
    [
      "an unknown placeholder",
      macro({ body: { id: "Halo {{customer.nama}}", en: "" } }),
      ["body", "id"],
      "{{customer.nama}}",
    ],
    [
      "an unknown placeholder in English",
      macro({ body: { id: "", en: "Hi {{ticket.secret}}" } }),
      ["body", "en"],
      "{{ticket.secret}}",
    ],
    ["an empty name", macro({ name: "  " }), ["name"], "name"],
    ["no text and no change", { name: "Kosong", body: { id: "", en: "" } }, ["body"], "text"],
    ["an unknown status", macro({ changes: { status: "archived" } }), ["changes", "status"], ""],
    [
      "solving without a resolution code",
      macro({ changes: { status: "solved" } }),
      ["changes", "resolution_code"],
      "resolution",
    ],
  ])("%s", async (_what, body, path, words) => {
    const before = await t.count("macros");
    const res = await create(t.people.agent1, body);
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    const err = (res.body.errors as { path: unknown[]; message: string }[]).find(
      (e) => JSON.stringify(e.path) === JSON.stringify(path),
    );
    expect(err, JSON.stringify(res.body.errors)).toBeDefined();
    expect(err!.message).toContain(words);
    expect(await t.count("macros")).toBe(before);
  });

  it("an unknown group in the changes", async () => {
    const before = await t.count("macros");
    const res = await create(t.people.agent1, macro({ changes: { group_id: "00000000-0000-4000-8000-000000000001" } }));
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: ["changes", "group_id"], message: "unknown group" }]);
    expect(await t.count("macros")).toBe(before);
  });
});

describe("applying a macro", () => {
  it("renders the placeholders in the customer's language; applying replies and sets fields in one change; the customer reads the rendered text", async () => {
    const { agent1, customer } = t.people;
    const m = await create(agent1, macro({ changes: { status: "pending", priority: "high", tags_add: ["sandi"] } }));
    const ticket = await t.createTicket({ subject: "Lupa kata sandi", language: "id" });

    const rendered = await t.inject("GET", `/api/v1/tickets/${ticket.id}/macros/${m.body.id}`, { token: agent1.token });
    expect(rendered.status).toBe(200);
    const text = `Halo Budi, tiket #${ticket.number} (Lupa kata sandi) sudah kami cek. Salam, Siti Rahma`;
    expect(rendered.body).toMatchObject({ language: "id", kind: "reply", body: text });

    const applied = await t.inject("POST", `/api/v1/tickets/${ticket.id}/macros/${m.body.id}/apply`, {
      token: agent1.token,
      body: {},
    });
    expect(applied.status).toBe(201);
    expect(applied.body.message).toMatchObject({ kind: "reply", body: text });
    expect(applied.body.ticket).toMatchObject({ status: "pending", priority: "high", tags: ["sandi"] });

    const thread = await t.inject("GET", `/api/v1/tickets/${ticket.id}/messages`, { token: customer.token });
    expect(thread.body.items.map((x: { body: string }) => x.body)).toContain(text);
    const events = await t.inject("GET", `/api/v1/tickets/${ticket.id}/events`, { token: agent1.token });
    const types = events.body.items.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(["message.added", "ticket.updated"]));
  });

  it("an English ticket gets the English text; the agent's edited text is what is sent", async () => {
    const { agent1, customer } = t.people;
    const m = await create(agent1, macro({ name: "English" }));
    const ticket = await t.createTicket({ subject: "Cannot sign in", language: "en" });
    const rendered = await t.inject("GET", `/api/v1/tickets/${ticket.id}/macros/${m.body.id}`, { token: agent1.token });
    expect(rendered.body).toMatchObject({
      language: "en",
      body: `Hello Budi, we checked ticket #${ticket.number}. Regards, Siti`,
    });
    const applied = await t.inject("POST", `/api/v1/tickets/${ticket.id}/macros/${m.body.id}/apply`, {
      token: agent1.token,
      body: { body: "Hello Budi, edited by hand." },
    });
    expect(applied.status).toBe(201);
    const thread = await t.inject("GET", `/api/v1/tickets/${ticket.id}/messages`, { token: customer.token });
    expect(thread.body.items.map((x: { body: string }) => x.body)).toContain("Hello Budi, edited by hand.");
  });

  it("sent as an internal note when the agent says so: the customer never sees it", async () => {
    const { agent1, customer } = t.people;
    const m = await create(agent1, macro({ name: "Sebagai catatan" }));
    const ticket = await t.createTicket({ subject: "Catatan saja" });
    const applied = await t.inject("POST", `/api/v1/tickets/${ticket.id}/macros/${m.body.id}/apply`, {
      token: agent1.token,
      body: { body: "Hanya untuk tim internal.", kind: "note" },
    });
    expect(applied.status).toBe(201);
    expect(applied.body.message).toMatchObject({ kind: "note", body: "Hanya untuk tim internal." });
    const thread = await t.inject("GET", `/api/v1/tickets/${ticket.id}/messages`, { token: customer.token });
    expect(thread.body.items.map((x: { body: string }) => x.body)).not.toContain("Hanya untuk tim internal.");
  });

  it("a placeholder's value is inserted as text, never read again as a placeholder", async () => {
    const { agent1 } = t.people;
    const m = await create(agent1, macro({ name: "Subjek", body: { id: "Subjek: {{ticket.subject}}", en: "" } }));
    const ticket = await t.createTicket({ subject: "{{agent.name}} <b>tebal</b>" });
    const rendered = await t.inject("GET", `/api/v1/tickets/${ticket.id}/macros/${m.body.id}`, { token: agent1.token });
    expect(rendered.body.body).toBe("Subjek: {{agent.name}} <b>tebal</b>");
  });

  it("a macro that cannot apply to a closed ticket writes nothing", async () => {
    const { agent1 } = t.people;
    const m = await create(agent1, macro({ name: "Tutup", changes: { priority: "low" } }));
    const ticket = await t.createTicket({ subject: "Sudah selesai" });
    await t.db
      .updateTable("tickets")
      .set({ status: "closed", closed_at: new Date() })
      .where("id", "=", ticket.id)
      .execute();
    const before = await t.count("messages");
    const res = await t.inject("POST", `/api/v1/tickets/${ticket.id}/macros/${m.body.id}/apply`, {
      token: agent1.token,
      body: {},
    });
    expect(res.status).toBe(409);
    expect(await t.count("messages")).toBe(before);
    const row = await t.db
      .selectFrom("tickets")
      .select("priority")
      .where("id", "=", ticket.id)
      .executeTakeFirstOrThrow();
    expect(row.priority).toBe("medium");
  });
});

describe("the demo's macros", () => {
  it("are valid macros in both languages (known placeholders only)", () => {
    for (const m of DEMO_MACROS) {
      const parsed = MacroBody.safeParse({
        name: m.name,
        body: { id: m.id, en: m.en },
        kind: m.kind,
        changes: m.changes,
      });
      expect(parsed.success, `${m.name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      expect(m.id.trim() && m.en.trim()).toBeTruthy();
    }
  });
});
