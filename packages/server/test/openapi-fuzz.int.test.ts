import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./harness.ts";
import {
  HOSTILE_BODIES,
  idOf,
  UNKNOWN_ID,
  valueOf,
  type GenContext,
  type JsonSchema,
} from "./fuzz/openapi-arbitraries.ts";

/**
 * A fuzzer driven by the OpenAPI document: every operation, called as every role with mostly valid
 * and sometimes hostile values (deep JSON, NUL, lone surrogates, huge integers, odd dates, crafted
 * cursors, unknown ids, wrong types). No answer may be a 5xx; every 4xx is problem+json; a refused
 * request or a read leaves the main tables' row counts as they were.
 * ESKALA_FUZZ_RUNS sets the number of requests (default 2000), ESKALA_FUZZ_SEED replays a run.
 */
const RUNS = Number(process.env.ESKALA_FUZZ_RUNS ?? 2000);
const SEED = process.env.ESKALA_FUZZ_SEED ? Number(process.env.ESKALA_FUZZ_SEED) : undefined;

// Operations left out, each for a reason: the live streams never end (they have their own tests).
const SKIPPED = new Set(["GET /api/v1/stream", "GET /api/v1/chat/conversation/stream"]);

const COUNTED = [
  "tickets",
  "messages",
  "ticket_events",
  "users",
  "groups",
  "categories",
  "organizations",
  "api_tokens",
  "escalation_rules",
  "calendars",
  "sla_policies",
  "webhooks",
  "kb_articles",
  "ticket_links",
  "integrations",
  "problems",
] as const;

// Which table a path's `{id}` names, so most generated ids exist (the rest are unknown or hostile).
const ID_TABLES: [RegExp, string][] = [
  [/^\/api\/v1\/tickets\/\{id\}/, "tickets"],
  [/^\/api\/v1\/users\//, "fuzz_users"],
  [/^\/api\/v1\/groups\//, "groups"],
  [/^\/api\/v1\/organizations\//, "organizations"],
  [/^\/api\/v1\/categories\//, "categories"],
  [/^\/api\/v1\/escalation-rules\//, "escalation_rules"],
  [/^\/api\/v1\/webhooks\//, "webhooks"],
  [/^\/api\/v1\/calendars\//, "calendars"],
  [/^\/api\/v1\/sla-policies\//, "sla_policies"],
  [/^\/api\/v1\/kb\/articles\//, "kb_articles"],
  [/^\/api\/v1\/integrations\//, "integrations"],
  [/^\/api\/v1\/problems\//, "problems"],
];

type Operation = {
  method: string;
  path: string;
  params: { in: "path" | "query"; name: string; required?: boolean; schema: JsonSchema }[];
  body?: JsonSchema;
};
type Role = "anonymous" | "customer" | "otherCustomer" | "agent1" | "supervisor" | "admin";
type FuzzRequest = {
  op: Operation;
  role: Role;
  url: string;
  body: string | undefined;
  [fc.toStringMethod]: () => string;
};

let t: TestApp;
let doc: { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, JsonSchema> } };
const idsByTable: Record<string, string[]> = {};

beforeAll(async () => {
  t = await startTestApp();
  doc = (await t.inject("GET", "/api/v1/openapi.json")).body;
  await seedSomethingOfEach();
  for (const table of COUNTED) {
    const rows = await sql<{ id: string }>`select id::text as id from ${sql.table(table)} limit 20`.execute(t.db);
    idsByTable[table] = rows.rows.map((r) => r.id);
  }
});
afterAll(async () => t?.close());

/** One of each thing the paths name, through the API, so generated ids often hit real rows. */
async function seedSomethingOfEach() {
  for (let i = 0; i < 3; i++) await t.createTicket({ subject: `Fuzz ${i}` });
  const users = [];
  for (const role of ["customer", "agent"] as const) {
    const res = await t.inject("POST", "/api/v1/users", {
      body: {
        email: `fuzz-${role}@example.com`,
        name: `Fuzz ${role}`,
        role,
        ...(role === "agent" ? { agent: { tier: 1 } } : {}),
      },
    });
    users.push(res.body.id as string);
  }
  idsByTable.fuzz_users = users;
  await t.inject("POST", "/api/v1/kb/articles", {
    body: { title: "Reset a password", body: "Open settings.", status: "published", language: "en" },
  });
  await t.inject("POST", "/api/v1/escalation-rules", {
    body: { name: "Fuzz rule", event: "ticket.created", actions: [{ type: "add_tag", tag: "fuzz" }] },
  });
  await t.inject("POST", "/api/v1/webhooks", {
    body: { name: "Fuzz hook", url: "https://hooks.example.com/eskala", events: ["ticket.created"] },
  });
  await t.inject("POST", "/api/v1/calendars", {
    body: { name: "Fuzz hours", definition: { timezone: "Asia/Jakarta", always_open: true } },
  });
  await t.inject("POST", "/api/v1/problems", { body: { title: "Fuzz problem" } });
}

function operations(): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (SKIPPED.has(`${method.toUpperCase()} ${path}`)) continue;
      ops.push({
        method: method.toUpperCase(),
        path,
        params: op.parameters ?? [],
        body: op.requestBody?.content?.["application/json"]?.schema,
      });
    }
  }
  return ops;
}

function context(op: Operation): GenContext {
  const table = ID_TABLES.find(([re]) => re.test(op.path))?.[1];
  // The people the roles sign in as and their tokens stay out of reach: disabling the admin would end the run.
  const others = Object.entries(idsByTable).filter(([k]) => k !== "users" && k !== "api_tokens");
  const own = table ? (idsByTable[table] ?? []) : [];
  const ids = [...own, ...others.flatMap(([, v]) => v.slice(0, 4)), UNKNOWN_ID];
  return {
    own: own.length ? own : ids,
    resolve: (ref) => doc.components.schemas[ref.replace("#/components/schemas/", "")] ?? {},
    ids,
    emails: ["customer@test.local", "agent1@test.local", "new@example.com", "fuzz-customer@example.com"],
  };
}

/** A query or path value as text; arrays become the comma lists the API reads. */
function asText(v: unknown): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(asText).join(",");
  return typeof v === "object" && v !== null ? JSON.stringify(v) : String(v);
}

// Percent-encoding that survives lone surrogates (sent as the invalid UTF-8 they would be).
const encode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return s.replace(/[\ud800-\udfff]/g, "%ED%A0%80").replace(/[^%\w.~-]/g, (c) => encodeURIComponent(c));
  }
};

function requestOf(op: Operation): fc.Arbitrary<FuzzRequest> {
  const ctx = context(op);
  const params = op.params.map((p) =>
    (p.in === "path" && /id$/i.test(p.name)
      ? idOf(ctx)
      : p.in === "path" || p.required
        ? valueOf(p.schema, ctx)
        : fc.option(valueOf(p.schema, ctx), { freq: 2 })
    ).map((v) => [p, v] as const),
  );
  const body = op.body
    ? fc.oneof(
        { weight: 12, arbitrary: valueOf(op.body, ctx).map((v) => JSON.stringify(v) ?? "null") },
        { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_BODIES) },
      )
    : fc.constant(undefined);
  const role = fc.constantFrom<Role>("anonymous", "customer", "otherCustomer", "agent1", "supervisor", "admin");
  return fc.record({ params: fc.tuple(...params), body, role }).map(({ params: values, body: b, role: r }) => {
    let path = op.path;
    const query: string[] = [];
    for (const [p, v] of values) {
      if (p.in === "path") path = path.replace(`{${p.name}}`, encode(asText(v)) || "x");
      else if (v !== null && v !== undefined) query.push(`${p.name}=${encode(asText(v))}`);
    }
    const url = query.length ? `${path}?${query.join("&")}` : path;
    // fast-check prints a failing request with this: short enough to read, enough to replay by hand.
    const show = () => `${r} ${op.method} ${url.slice(0, 300)} ${b?.slice(0, 300) ?? ""}`;
    return { op, role: r, url, body: b, [fc.toStringMethod]: show };
  });
}

async function countRows(): Promise<Record<string, number>> {
  const selects = COUNTED.map((x) => sql`(select count(*)::int from ${sql.table(x)}) as ${sql.ref(x)}`);
  const { rows } = await sql<Record<string, number>>`select ${sql.join(selects)}`.execute(t.db);
  return rows[0]!;
}

describe("the OpenAPI fuzzer", () => {
  it(
    `answers ${RUNS} generated requests without a 5xx, with problem+json errors and no stray writes`,
    async () => {
      const ops = operations();
      expect(ops.length).toBeGreaterThan(50);
      const seen = new Map<string, Set<number>>();
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...ops).chain(requestOf), async (req) => {
          const before = await countRows();
          const res = await t.inject(req.op.method, req.url, {
            token: req.role === "anonymous" ? null : t.people[req.role].token,
            ...(req.body !== undefined ? { body: req.body } : {}),
          });
          const after = await countRows();
          const key = `${req.op.method} ${req.op.path}`;
          seen.set(key, (seen.get(key) ?? new Set()).add(res.status));
          const what = `${req.role} ${req.op.method} ${req.url.slice(0, 300)} ${req.body?.slice(0, 300) ?? ""} → ${res.status} ${res.text.slice(0, 300)}`;
          if (res.status >= 500) throw new Error(`5xx: ${what}`);
          if (res.status >= 400) {
            expect(res.headers["content-type"], what).toMatch(/^application\/problem\+json/);
            expect(res.body, what).toMatchObject({
              type: expect.any(String),
              title: expect.any(String),
              status: res.status,
              code: expect.any(String),
            });
          }
          if (res.status >= 400 || req.op.method === "GET")
            expect(after, `row counts changed: ${what}`).toEqual(before);
        }),
        { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: !process.env.ESKALA_FUZZ_SHRINK },
      );
      // Every operation was tried, and most reached past validation at least once.
      expect([...seen.keys()].length).toBeGreaterThan(ops.length * 0.9);
      if (process.env.ESKALA_FUZZ_REPORT)
        console.log(Object.fromEntries([...seen].map(([k, v]) => [k, [...v].sort()])));
    },
    // A bound against a hang, not a speed test: under a loaded CI machine each request (and its two row counts) takes up to ~100 ms.
    30_000 + RUNS * 150,
  );
});
