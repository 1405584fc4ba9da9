import { STATUS_CODES } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./harness.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

type Res = { status: number; headers: Record<string, unknown>; body: any; text?: string };

function expectProblem(res: Res, status: number | number[], path?: (string | number)[]) {
  const statuses = [status].flat();
  expect(statuses, `${res.status} ${res.text ?? ""}`.slice(0, 400)).toContain(res.status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    status: res.status,
    code: expect.any(String),
    title: expect.any(String),
    type: expect.any(String),
  });
  if (path) expect(res.body.errors.map((e: { path: unknown }) => e.path)).toContainEqual(path);
}

const MAIN_TABLES = ["tickets", "messages", "ticket_events", "users", "groups", "categories"] as const;
async function counts() {
  return Promise.all(MAIN_TABLES.map((x) => t.count(x)));
}

const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + "1" + "}".repeat(n);

describe("deeply nested JSON is refused before it is parsed", () => {
  it.each([
    ["an array 20,000 deep", deep(20_000)],
    ["an object 20,000 deep", deepObject(20_000)],
    ["an array 100,000 deep", deep(100_000)],
    ["an array 200 deep inside a valid-looking body", `{"subject":"x","description":"y","tags":${deep(200)}}`],
  ])("%s gets 400, signed in or not, quickly", async (_name, body) => {
    const before = await counts();
    for (const token of [undefined, null]) {
      const started = performance.now();
      for (const url of ["/api/v1/tickets", "/api/v1/auth/login", "/api/v1/kb/deflections"]) {
        const res = await t.inject("POST", url, { body, ...(token === null ? { token: null } : {}) });
        expectProblem(res, 400);
        expect(res.body.code).toBe("malformed_request");
      }
      expect(performance.now() - started).toBeLessThan(1_000);
    }
    expect(await counts()).toEqual(before);
  });

  it("JSON nested within the limit is still read", async () => {
    const res = await t.inject("POST", "/api/v1/escalation-rules", {
      body: {
        name: "deep but fine",
        event: "ticket.created",
        conditions: { a: { b: { c: { d: [[["x"]]] } } } },
        actions: [],
      },
    });
    expect(res.status).toBeLessThan(500);
    expect(res.status).not.toBe(400);
  });
});

const wide = (n: number) => `{${Array.from({ length: n }, (_, i) => `"k${i}":1`).join(",")}}`;

describe("JSON too wide to be a request is refused before it is parsed", () => {
  // A flat object of 300,000 unknown keys (3.6 MB) to an anonymous route held every other request
  // for 5 s, and its 422 listed each key: 16.5 MB.
  it.each([
    ["a flat object of 300,000 keys", wide(300_000)],
    ["300,000 keys one level down", `{"email":"a@b.test","x":${wide(300_000)}}`],
    ["an array of 50,000 numbers", `[${"1,".repeat(49_999)}1]`],
  ])("%s gets a short 413, anonymous too", async (_name, body) => {
    const before = await counts();
    for (const url of ["/api/v1/auth/magic-link", "/api/v1/tickets"]) {
      const res = await t.inject("POST", url, { body, token: null });
      expectProblem(res, 413);
      expect(res.body.code).toBe("payload_too_large");
      expect(res.text!.length).toBeLessThan(2_000);
    }
    expect(await counts()).toEqual(before);
  });

  it("a body of many unknown fields is told of the first 50 and how many more", async () => {
    const body = { email: "a@b.test", ...JSON.parse(wide(200)) };
    const res = await t.inject("POST", "/api/v1/auth/magic-link", { body, token: null });
    expectProblem(res, 422);
    expect(res.body.errors).toHaveLength(50);
    expect(res.body.detail).toMatch(/and 150 more$/);
  });
});

describe("text the database cannot store is refused with the field's path", () => {
  it.each([
    ["/api/v1/kb/search?q=%00", ["q"]],
    ["/api/v1/kb/search?q=a%00b&lang=id", ["q"]],
    ["/api/v1/tickets?q=%00", ["q"]],
    ["/api/v1/tickets?tag=%00", ["tag"]],
    ["/api/v1/kb/articles?tag=%00", ["tag"]],
    ["/api/v1/kb/articles?category=x%00", ["category"]],
  ])("GET %s gets 422", async (url, path) => {
    for (const token of [undefined, null]) {
      const res = await t.inject("GET", url, token === null ? { token: null } : {});
      if (res.status === 401) continue;
      expectProblem(res, 422, path);
    }
  });

  it("a lone surrogate in a tag gets 422 naming the tag, nothing written", async () => {
    const before = await counts();
    const body = `{"subject":"x","description":"y","requester":{"email":"s@example.com"},"tags":["ok","a\\ud800"]}`;
    expectProblem(await t.inject("POST", "/api/v1/tickets", { body }), 422, ["tags", 1]);
    const lowFirst = `{"name":"\\udc00abc","kind":"department"}`;
    expectProblem(await t.inject("POST", "/api/v1/groups", { body: lowFirst }), 422, ["name"]);
    expect(await counts()).toEqual(before);
  });

  it("a well-formed pair of surrogates (an emoji) is stored", async () => {
    const body = `{"subject":"\\ud83d\\ude00 ok","description":"y","requester":{"email":"s@example.com"},"tags":["ok"]}`;
    const res = await t.inject("POST", "/api/v1/tickets", { body });
    expect(res.status).toBe(201);
    expect(res.body.subject).toBe("😀 ok");
  });
});

const b64 = (s: string) => Buffer.from(s).toString("base64url");
const CURSORS = [
  "garbage",
  "",
  b64("null"),
  b64("[]"),
  b64("{}"),
  b64('"x"'),
  b64("[1,2]"),
  b64('["1","00000000-0000-0000-0000-000000000000"]'),
  b64('["2020-01-01T00:00:00Z","------------------------------------"]'),
  b64('["2020-01-01T00:00:00Z","zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"]'),
  b64('["0000-01-01T00:00:00Z","00000000-0000-4000-8000-000000000000"]'),
  b64('["+275760-09-13T00:00:00Z","00000000-0000-4000-8000-000000000000"]'),
  b64('["Tue, 1 Jan 2030","00000000-0000-4000-8000-000000000000"]'),
  b64('["2020-01-01T00:00:00Z","00000000-0000-4000-8000-000000000000","extra"]'),
  b64('[{"d":"nope"},"00000000-0000-4000-8000-000000000000"]'),
  b64('[{"d":"0000-01-01T00:00:00Z"},"00000000-0000-4000-8000-000000000000"]'),
  b64('[{"v":"text"},"00000000-0000-4000-8000-000000000000"]'),
  b64('[{"v":{"a":1}},"00000000-0000-4000-8000-000000000000"]'),
  b64('[{"v":99999999999999999999},"00000000-0000-4000-8000-000000000000"]'),
  b64('[{"v":1.5},"00000000-0000-4000-8000-000000000000"]'),
  b64('[{},"00000000-0000-4000-8000-000000000000"]'),
  b64('[{"v":"\\u0000"},"00000000-0000-4000-8000-000000000000"]'),
  b64('[{"d":"2020-01-01T00:00:00Z"},"------------------------------------"]'),
  b64(deep(5000)),
];

describe("a pagination cursor this API did not give out is a 422, never a 500", () => {
  it.each(CURSORS.map((c) => [c.slice(0, 40), c]))("kb articles, anonymous: %s", async (_n, cursor) => {
    const res = await t.inject("GET", `/api/v1/kb/articles?cursor=${encodeURIComponent(cursor)}`, { token: null });
    if (cursor === "") expect(res.status).toBe(200);
    else expectProblem(res, 422, ["cursor"]);
  });

  it.each(CURSORS.filter(Boolean).map((c) => [c.slice(0, 40), c]))("tickets, every sort: %s", async (_n, cursor) => {
    for (const sort of ["created_at", "-updated_at", "priority", "-number"]) {
      const res = await t.inject("GET", "/api/v1/tickets", { query: { cursor, sort } });
      expectProblem(res, 422, ["cursor"]);
    }
  });

  it("the cursors the API gives out still page through every item once", async () => {
    for (let i = 0; i < 5; i++) await t.createTicket({ subject: `Paging ${i}` });
    for (const sort of ["created_at", "-updated_at", "priority", "-number"]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: Res = await t.inject("GET", "/api/v1/tickets", {
          query: { sort, limit: "2", ...(cursor ? { cursor } : {}) },
        });
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((x: { id: string }) => x.id));
        cursor = res.body.next_cursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(await t.count("tickets"));
    }
  });
});

describe("values outside what the database holds are refused naming the field", () => {
  it("PATCH /tiers/1 {} is a 422 and changes nothing", async () => {
    const before = await t.inject("GET", "/api/v1/tiers");
    expectProblem(await t.inject("PATCH", "/api/v1/tiers/1", { body: {} }), 422);
    expect((await t.inject("GET", "/api/v1/tiers")).body).toEqual(before.body);
  });

  it("a rule position beyond a 32-bit integer is a 422", async () => {
    const rules = await t.db
      .selectFrom("escalation_rules")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    for (const position of [2147483648, 2 ** 53, -1]) {
      const res = await t.inject("POST", "/api/v1/escalation-rules", {
        body: { name: "far", event: "ticket.created", position, actions: [] },
      });
      expectProblem(res, 422, ["position"]);
    }
    const after = await t.db
      .selectFrom("escalation_rules")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(rules.n));
  });

  it("an unknown organization_id is a 422 naming it", async () => {
    const before = await counts();
    const res = await t.inject("POST", "/api/v1/users", {
      body: {
        email: "org@example.com",
        name: "Org",
        role: "customer",
        organization_id: "7d9f4a8e-0000-4000-8000-000000000000",
      },
    });
    expectProblem(res, 422, ["organization_id"]);
    const patch = await t.inject("PATCH", `/api/v1/users/${t.people.customer.id}`, {
      body: { organization_id: "7d9f4a8e-0000-4000-8000-000000000000" },
    });
    expectProblem(patch, 422, ["organization_id"]);
    expect(await counts()).toEqual(before);
  });

  it.each(["0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "1000-06-01T00:00:00+14:00"])(
    "a created_at of %s is a 422",
    async (created_at) => {
      const before = await counts();
      const res = await t.inject("POST", "/api/v1/tickets", {
        body: { subject: "Old", description: "Old", requester: { email: "old@example.com" }, created_at },
      });
      expectProblem(res, 422, ["created_at"]);
      expect(await counts()).toEqual(before);
    },
  );
});

describe("ten concurrent creations with one name: one 201 and nine 409 naming the field", () => {
  const cases: [string, string, (i: number) => unknown, (string | number)[]][] = [
    ["groups", "/api/v1/groups", () => ({ name: "Racers", kind: "department" }), ["name"]],
    ["users", "/api/v1/users", () => ({ email: "racer@example.com", name: "Racer", role: "customer" }), ["email"]],
    ["categories", "/api/v1/categories", () => ({ name: "Racing" }), ["name"]],
    ["organizations", "/api/v1/organizations", () => ({ name: "Racing Co" }), ["name"]],
    [
      "calendars",
      "/api/v1/calendars",
      () => ({ name: "Race hours", definition: { timezone: "Asia/Jakarta", always_open: true } }),
      ["name"],
    ],
    ["tiers", "/api/v1/tiers", () => ({ level: 7, name: "Tier 7" }), ["level"]],
  ];
  it.each(cases)("%s", async (_name, url, body, path) => {
    const res = await Promise.all(Array.from({ length: 10 }, (_, i) => t.inject("POST", url, { body: body(i) })));
    expect(res.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of res.filter((x) => x.status !== 201)) expectProblem(r, 409, path);
  });
});

describe("errors the HTTP layer answers itself are problem+json", () => {
  it.each([
    ["a URL that is not valid percent-encoding", "/api/v1/tickets/%E0%A4%A", 400],
    ["a path parameter over the router's limit", `/api/v1/tickets/${"a".repeat(5000)}`, 414],
    ["an unknown route", "/api/v1/nope", 404],
  ])("%s", async (_name, url, status) => {
    expectProblem(await t.inject("GET", url), status);
    // Anonymous callers of an unknown API route learn only that they must sign in.
    expectProblem(await t.inject("GET", url, { token: null }), status === 404 ? 401 : status);
  });

  it("on a real socket: headers over Node's limit get 431, a broken request line 400, both problem+json", async () => {
    const address = await t.http.listen({ port: 0, host: "127.0.0.1" });
    const port = Number(new URL(address).port);
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect({ port, host: "127.0.0.1" }, () => socket.write(request));
        let data = "";
        socket.on("data", (d) => (data += d.toString()));
        socket.on("close", () => resolve(data));
        socket.on("error", reject);
      });
    const huge = await raw(`GET /api/v1/kb/articles HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    const broken = await raw("NOT HTTP AT ALL\r\n\r\n");
    for (const [res, status] of [
      [huge, 431],
      [broken, 400],
    ] as const) {
      expect(res.split("\r\n")[0]).toBe(`HTTP/1.1 ${status} ${STATUS_CODES[status]}`);
      expect(res).toMatch(/content-type: application\/problem\+json/i);
      expect(JSON.parse(res.slice(res.indexOf("\r\n\r\n") + 4))).toMatchObject({
        status,
        code: expect.any(String),
        title: expect.any(String),
      });
    }
  });
});

describe("a patch changes only the fields it names", () => {
  it("renaming an organization or a category keeps its other settings", async () => {
    const org = await t.inject("POST", "/api/v1/organizations", {
      body: { name: "Keep Co", segment: "vip", domain: "keep.test", shared_tickets: true },
    });
    const renamed = await t.inject("PATCH", `/api/v1/organizations/${org.body.id}`, { body: { name: "Kept Co" } });
    expect(renamed.body).toMatchObject({ name: "Kept Co", segment: "vip", domain: "keep.test", shared_tickets: true });
    const cat = await t.inject("POST", "/api/v1/categories", {
      body: { name: "Keep cat", skill: "billing", skill_level: 4 },
    });
    const recat = await t.inject("PATCH", `/api/v1/categories/${cat.body.id}`, { body: { name: "Kept cat" } });
    expect(recat.body).toMatchObject({ name: "Kept cat", skill: "billing", skill_level: 4 });
  });
});
