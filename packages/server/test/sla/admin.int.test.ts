import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../harness.ts";
import { createCalendar, createPolicy, JAKARTA } from "./helpers.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const count = async (table: "calendars" | "sla_policies") =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );
const paths = (res: { body: any }) => (res.body.errors ?? []).map((e: { path: unknown }) => e.path);

describe("calendars", () => {
  it("are created, read by staff, changed and deleted by admins", async () => {
    const created = await t.inject("POST", "/api/v1/calendars", {
      body: {
        name: "Jam Kerja",
        definition: { ...JAKARTA, holiday_sets: ["id-national-2026"], holidays: ["2026-12-31"] },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Jam Kerja",
      version: 0,
      policy_ids: [],
      definition: { timezone: "Asia/Jakarta", holidays: ["2026-12-31"] },
    });
    const id = created.body.id;
    const list = await t.inject("GET", "/api/v1/calendars", { token: t.people.agent1.token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(id);
    const patched = await t.inject("PATCH", `/api/v1/calendars/${id}`, {
      body: {
        name: "Jam Kerja WIB",
        definition: { ...JAKARTA, sat: undefined, weekly: { ...JAKARTA.weekly, sat: [["08:00", "12:00"]] } },
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      name: "Jam Kerja WIB",
      version: 1,
      definition: { weekly: { sat: [["08:00", "12:00"]] } },
    });
    expect((await t.inject("GET", `/api/v1/calendars/${id}`)).body.name).toBe("Jam Kerja WIB");
    expect((await t.inject("DELETE", `/api/v1/calendars/${id}`)).status).toBe(204);
    expect((await t.inject("GET", `/api/v1/calendars/${id}`)).status).toBe(404);
  });

  const bad: [string, unknown, (string | number)[]][] = [
    ["an unknown zone", { ...JAKARTA, timezone: "Mars/Olympus" }, ["definition", "timezone"]],
    [
      "overlapping intervals",
      {
        timezone: "UTC",
        weekly: {
          mon: [
            ["08:00", "12:00"],
            ["11:30", "14:00"],
          ],
        },
      },
      ["definition", "weekly", "mon", 1],
    ],
    [
      "an overnight spill over the next day's opening",
      { timezone: "UTC", weekly: { mon: [["22:00", "09:00"]], tue: [["08:00", "12:00"]] } },
      ["definition", "weekly", "tue", 0],
    ],
    ["a malformed date", { ...JAKARTA, holidays: ["2026-13-01"] }, ["definition", "holidays", 0]],
    [
      "a malformed time",
      { timezone: "UTC", weekly: { mon: [["08:00", "25:00"]] } },
      ["definition", "weekly", "mon", 0, 1],
    ],
    [
      "an unknown weekday",
      { timezone: "UTC", weekly: { monday: [["08:00", "12:00"]] } },
      ["definition", "weekly", "monday"],
    ],
    ["an unknown holiday set", { ...JAKARTA, holiday_sets: ["id-national-1999"] }, ["definition", "holiday_sets", 0]],
    ["no opening hours", { timezone: "UTC", weekly: {} }, ["definition", "weekly"]],
    ["an unknown field", { ...JAKARTA, colour: "red" }, ["definition", "colour"]],
  ];
  it.each(bad)("%s is a 422 naming the field, nothing saved", async (_name, definition, path) => {
    const before = await count("calendars");
    const res = await t.inject("POST", "/api/v1/calendars", { body: { name: "Bad", definition } });
    expect(res.status).toBe(422);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(paths(res)).toContainEqual(path);
    expect(await count("calendars")).toBe(before);
  });

  it("an invalid edit changes nothing", async () => {
    const cal = await createCalendar(t);
    const res = await t.inject("PATCH", `/api/v1/calendars/${cal.id}`, {
      body: { definition: { ...JAKARTA, timezone: "Nowhere/City" } },
    });
    expect(res.status).toBe(422);
    expect(paths(res)).toContainEqual(["definition", "timezone"]);
    expect((await t.inject("GET", `/api/v1/calendars/${cal.id}`)).body).toMatchObject({
      version: 0,
      definition: { timezone: "Asia/Jakarta" },
    });
  });

  it("a name is used once", async () => {
    await createCalendar(t, JAKARTA, "Unik");
    const res = await t.inject("POST", "/api/v1/calendars", { body: { name: "unik", definition: JAKARTA } });
    expect(res.status).toBe(409);
    expect(paths(res)).toContainEqual(["name"]);
  });

  it("a calendar a policy uses cannot be deleted", async () => {
    const cal = await createCalendar(t);
    const policy = await createPolicy(t, { calendar_id: cal.id, enabled: false });
    const res = await t.inject("DELETE", `/api/v1/calendars/${cal.id}`);
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain(policy.name);
    expect((await t.inject("GET", `/api/v1/calendars/${cal.id}`)).body.policy_ids).toEqual([policy.id]);
  });

  it("lists the Indonesian holiday sets", async () => {
    const res = await t.inject("GET", "/api/v1/holiday-sets", { token: t.people.agent1.token });
    expect(res.status).toBe(200);
    const national = res.body.items.find((s: { id: string }) => s.id === "id-national-2026");
    expect(national).toMatchObject({ name: { id: expect.any(String), en: expect.any(String) } });
    expect(national.dates).toContain("2026-08-17");
    expect(res.body.items.map((s: { id: string }) => s.id)).toEqual(
      expect.arrayContaining(["id-cuti-bersama-2026", "id-national-2027", "id-cuti-bersama-2027"]),
    );
  });

  it("imports holidays from an .ics file", async () => {
    const ics = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//Eskala test//EN",
      "BEGIN:VEVENT",
      "UID:a",
      "DTSTART;VALUE=DATE:20261225",
      "DTEND;VALUE=DATE:20261226",
      "SUMMARY:Natal",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "UID:b",
      "DTSTART;VALUE=DATE:20260320",
      "DTEND;VALUE=DATE:20260323",
      "SUMMARY:Idulfitri dan cuti bersama",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "UID:c",
      "DTSTART;VALUE=DATE:20250817",
      "RRULE:FREQ=YEARLY",
      "SUMMARY:Kemerdekaan",
      "END:VEVENT",
      "END:VCALENDAR",
    ].join("\r\n");
    const res = await t.inject("POST", "/api/v1/calendars/import-ics", { body: { ics, year: 2026 } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ holidays: ["2026-03-20", "2026-03-21", "2026-03-22", "2026-08-17", "2026-12-25"] });
    const malformed = await t.inject("POST", "/api/v1/calendars/import-ics", {
      body: { ics: "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:2026XX01\r\nEND:VEVENT\r\nEND:VCALENDAR" },
    });
    expect(malformed.status).toBe(422);
    expect(paths(malformed)).toContainEqual(["ics"]);
    expect((await t.inject("POST", "/api/v1/calendars/import-ics", { body: { ics: "not a calendar" } })).status).toBe(
      422,
    );
    expect(
      (await t.inject("POST", "/api/v1/calendars/import-ics", { token: t.people.agent1.token, body: { ics } })).status,
    ).toBe(403);
  });
});

describe("SLA policies", () => {
  it("are created last, ordered, changed, deleted; the first match by position decides", async () => {
    const cal = await createCalendar(t);
    const high = await createPolicy(t, {
      name: "High first",
      calendar_id: cal.id,
      conditions: { priorities: ["high", "urgent"] },
      idle_minutes: 30,
      customer_request_response: 60,
    });
    const all = await createPolicy(t, { name: "Everyone" });
    const listed = (await t.inject("GET", "/api/v1/sla-policies", { token: t.people.agent1.token })).body.items;
    const mine = listed.filter((p: { id: string }) => [high.id, all.id].includes(p.id));
    expect(mine.map((p: { name: string }) => p.name)).toEqual(["High first", "Everyone"]);
    expect(mine[0]).toMatchObject({
      calendar_id: cal.id,
      idle_minutes: 30,
      customer_request_response: 60,
      ladder: [0.5, 0.75],
      enabled: true,
    });
    expect(mine[0].targets.low).toEqual({});

    const urgent = await t.createTicket({ priority: "urgent" });
    const low = await t.createTicket({ priority: "low" });
    expect((await t.inject("GET", `/api/v1/tickets/${urgent.id}`)).body.sla.policy.name).toBe("High first");
    expect((await t.inject("GET", `/api/v1/tickets/${low.id}`)).body.sla.policy.name).toBe("Everyone");

    const ids = listed.map((p: { id: string }) => p.id);
    const reordered = [all.id, ...ids.filter((id: string) => id !== all.id)];
    const res = await t.inject("POST", "/api/v1/sla-policies/reorder", { body: { ids: reordered } });
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: { id: string }) => p.id)).toEqual(reordered);
    expect(res.body.items.map((p: { position: number }) => p.position)).toEqual(
      reordered.map((_: string, i: number) => i),
    );
    const urgent2 = await t.createTicket({ priority: "urgent" });
    expect((await t.inject("GET", `/api/v1/tickets/${urgent2.id}`)).body.sla.policy.name).toBe("Everyone");

    const off = await t.inject("PATCH", `/api/v1/sla-policies/${all.id}`, { body: { enabled: false } });
    expect(off.body).toMatchObject({ enabled: false, version: 1 });
    const urgent3 = await t.createTicket({ priority: "urgent" });
    expect((await t.inject("GET", `/api/v1/tickets/${urgent3.id}`)).body.sla.policy.name).toBe("High first");

    expect((await t.inject("DELETE", `/api/v1/sla-policies/${all.id}`)).status).toBe(204);
    expect((await t.inject("GET", `/api/v1/sla-policies/${all.id}`)).status).toBe(404);
    // The tickets it named keep working (their column is cleared, their history kept).
    expect((await t.inject("GET", `/api/v1/tickets/${low.id}`)).status).toBe(200);
  });

  const base = {
    name: "Bad policy",
    calendar_id: null,
    conditions: {},
    pause_on_hold: false,
    targets: { medium: { first_response: 60 } },
    tier_budgets: {},
    ladder: [0.5],
  };
  const bad: [string, Record<string, unknown>, (string | number)[]][] = [
    ["an unknown calendar", { calendar_id: "7d9f4a8e-0000-4000-8000-000000000000" }, ["calendar_id"]],
    ["an unknown priority", { targets: { critical: { first_response: 5 } } }, ["targets", "critical"]],
    ["an unknown target", { targets: { medium: { first_reply: 5 } } }, ["targets", "medium", "first_reply"]],
    ["a negative target", { targets: { medium: { first_response: -5 } } }, ["targets", "medium", "first_response"]],
    ["a ladder not ascending", { ladder: [0.75, 0.5] }, ["ladder", 1]],
    ["a ladder step of 1", { ladder: [1] }, ["ladder", 0]],
    ["a tier budget key that is no tier", { tier_budgets: { one: 120 } }, ["tier_budgets", "one"]],
    ["an unknown condition value", { conditions: { channels: ["fax"] } }, ["conditions", "channels", 0]],
    [
      "an unknown group",
      { conditions: { group_ids: ["7d9f4a8e-0000-4000-8000-000000000000"] } },
      ["conditions", "group_ids", 0],
    ],
    ["an unknown field", { colour: "red" }, ["colour"]],
    ["a blank name", { name: "  " }, ["name"]],
  ];
  it.each(bad)("%s is a 422 naming the field, nothing saved", async (_name, patch, path) => {
    const before = await count("sla_policies");
    const res = await t.inject("POST", "/api/v1/sla-policies", { body: { ...base, ...patch } });
    expect(res.status).toBe(422);
    expect(paths(res)).toContainEqual(path);
    expect(await count("sla_policies")).toBe(before);
  });

  it("a reorder must name every policy once", async () => {
    const p = await createPolicy(t, { enabled: false });
    const res = await t.inject("POST", "/api/v1/sla-policies/reorder", { body: { ids: [p.id, p.id] } });
    expect(res.status).toBe(422);
    expect(paths(res)).toContainEqual(["ids", 1]);
  });
});

describe("authorization", () => {
  it("customers and agents cannot write calendars or policies; customers cannot read them", async () => {
    const cal = await createCalendar(t);
    const policy = await createPolicy(t, { enabled: false });
    const before = [await count("calendars"), await count("sla_policies")];
    for (const who of [t.people.customer, t.people.agent1, t.people.supervisor]) {
      const token = who.token;
      expect(
        (await t.inject("POST", "/api/v1/calendars", { token, body: { name: "X", definition: JAKARTA } })).status,
      ).toBe(403);
      expect((await t.inject("PATCH", `/api/v1/calendars/${cal.id}`, { token, body: { name: "Y" } })).status).toBe(403);
      expect((await t.inject("DELETE", `/api/v1/calendars/${cal.id}`, { token })).status).toBe(403);
      expect(
        (await t.inject("POST", "/api/v1/sla-policies", { token, body: { name: "X", calendar_id: null, targets: {} } }))
          .status,
      ).toBe(403);
      expect(
        (await t.inject("PATCH", `/api/v1/sla-policies/${policy.id}`, { token, body: { name: "Y" } })).status,
      ).toBe(403);
      expect((await t.inject("DELETE", `/api/v1/sla-policies/${policy.id}`, { token })).status).toBe(403);
      expect(
        (await t.inject("POST", "/api/v1/sla-policies/reorder", { token, body: { ids: [policy.id] } })).status,
      ).toBe(403);
    }
    for (const path of [
      "/api/v1/calendars",
      "/api/v1/sla-policies",
      "/api/v1/holiday-sets",
      "/api/v1/sla/recompute-jobs",
    ]) {
      expect((await t.inject("GET", path, { token: t.people.customer.token })).status).toBe(403);
      expect((await t.inject("GET", path, { token: t.people.agent1.token })).status).toBe(200);
      expect((await t.inject("GET", path, { token: null })).status).toBe(401);
    }
    expect([await count("calendars"), await count("sla_policies")]).toEqual(before);
  });
});
