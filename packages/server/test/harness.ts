import { randomBytes } from "node:crypto";
import pg from "pg";
import type { FastifyInstance } from "fastify";
import type { Role } from "@eskala/core";
import { testConfig, type Config } from "../src/config.ts";
import { compose, type Composition } from "../src/compose.ts";
import { openDatabase, type Database } from "../src/db/database.ts";
import type { DB } from "../src/db/schema.ts";
import { buildApp } from "../src/http/app.ts";
import type { Clock } from "../src/lib/clock.ts";

/**
 * A fresh Eskala on a fresh database for one test file: PGlite in memory by default, or a new
 * PostgreSQL database on the server named by DATABASE_URL (dropped again in `close`).
 */
export async function startTestApp(opts: { config?: Partial<Config>; clock?: Clock } = {}): Promise<TestApp> {
  const { database, drop, url: databaseUrl } = await freshDatabase();
  const config = testConfig({ ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}), ...opts.config });
  const services = await compose(config, { database, ...(opts.clock ? { clock: opts.clock } : {}) });
  const http = await buildApp(services);
  await http.ready();
  const t = new TestApp(services, http, databaseUrl, async () => {
    await http.close();
    await services.close();
    await database.close();
    await drop();
  });
  await t.seedStructure();
  return t;
}

export const dbKind = () => (process.env.DATABASE_URL ? "postgres" : "pglite");

export async function freshDatabase(): Promise<{ database: Database; drop: () => Promise<void>; url: string | null }> {
  const url = process.env.DATABASE_URL;
  if (!url) return { database: await openDatabase({ dataDir: ":memory:" }), drop: async () => {}, url: null };
  const name = `eskala_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openDatabase({ url: u.toString(), dataDir: "", poolSize: 5 });
  return {
    database,
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface Person {
  id: string;
  email: string;
  token: string;
  role: Role;
}

type InjectOpts = { token?: string | null; body?: unknown; headers?: Record<string, string>; query?: Record<string, string> };

export class TestApp {
  groups: Record<"frontline" | "technical" | "engineering" | "billing", string> = {} as never;
  people: Record<"admin" | "supervisor" | "agent1" | "agent2" | "agent3" | "customer" | "otherCustomer", Person> = {} as never;
  orgId = "";

  constructor(
    readonly services: Composition,
    readonly http: FastifyInstance,
    /** The fresh PostgreSQL database's URL, or null on PGlite. */
    readonly databaseUrl: string | null,
    readonly close: () => Promise<void>,
  ) {}

  get db() {
    return this.services.database.db;
  }

  /** Tiers 0-3, three tier groups and a department, one person of each role, each with an API token. */
  async seedStructure() {
    const db = this.db;
    await db.insertInto("tiers").values([0, 1, 2, 3].map((level) => ({ level, name: `Tier ${level}` }))).execute();
    const mk = async (name: string, kind: "tier" | "department", tier: number | null) =>
      (await db.insertInto("groups").values({ name, kind, tier_level: tier, is_default: kind === "tier" }).returning("id").executeTakeFirstOrThrow()).id;
    this.groups = { frontline: await mk("Frontline", "tier", 1), technical: await mk("Technical", "tier", 2), engineering: await mk("Engineering", "tier", 3), billing: await mk("Billing", "department", null) };
    this.orgId = (await db.insertInto("organizations").values({ name: "Acme", segment: "vip", domain: "acme.test", shared_tickets: false }).returning("id").executeTakeFirstOrThrow()).id;
    const person = async (key: keyof TestApp["people"], role: Role, tier: number | null, groups: string[], org: string | null = null) => {
      const email = `${key.toLowerCase()}@test.local`;
      const user = await db.insertInto("users").values({ email, name: key, role, password_hash: null, organization_id: org, created_at: new Date() }).returning("id").executeTakeFirstOrThrow();
      if (tier !== null) {
        await db.insertInto("agent_profiles").values({ user_id: user.id, tier, languages: ["id", "en"], presence: "online" }).execute();
        for (const g of groups) await db.insertInto("group_members").values({ group_id: g, user_id: user.id }).execute();
      }
      const { token } = await this.services.auth.createToken(user.id, "test");
      this.people[key] = { id: user.id, email, token, role };
    };
    await person("admin", "admin", null, []);
    await person("supervisor", "supervisor", 2, [this.groups.frontline, this.groups.technical]);
    await person("agent1", "agent", 1, [this.groups.frontline]);
    await person("agent2", "agent", 2, [this.groups.technical]);
    await person("agent3", "agent", 3, [this.groups.engineering]);
    await person("customer", "customer", null, [], this.orgId);
    await person("otherCustomer", "customer", null, []);
    await db.insertInto("group_supervisors").values([this.groups.frontline, this.groups.technical].map((g) => ({ group_id: g, user_id: this.people.supervisor.id }))).execute();
  }

  async inject(method: string, url: string, opts: InjectOpts = {}) {
    const token = opts.token === undefined ? this.people.admin.token : opts.token;
    const res = await this.http.inject({
      method: method as "GET",
      url,
      ...(opts.query ? { query: opts.query } : {}),
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(opts.body !== undefined ? { "content-type": "application/json" } : {}), ...opts.headers },
      ...(opts.body !== undefined ? { payload: typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body) } : {}),
    });
    let json: any = undefined;
    try {
      json = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.statusCode, body: json, headers: res.headers, text: res.body };
  }

  /**
   * A ticket created through the API by the customer (or as given). Customers cannot set a
   * priority or tags, so such a ticket is created by the admin on the customer's behalf (web).
   */
  async createTicket(body: Record<string, unknown> = {}, asPerson: Person = this.people.customer) {
    const staffOnly = asPerson.role === "customer" && (body.priority !== undefined || body.tags !== undefined);
    const as = staffOnly ? this.people.admin : asPerson;
    if (staffOnly) body = { channel: "web", ...body, requester: { email: asPerson.email } };
    const res = await this.inject("POST", "/api/v1/tickets", {
      token: as.token,
      body: { subject: "Tidak bisa login", description: "Sejak kemarin saya tidak bisa login", ...(as.role !== "customer" ? { requester: { email: this.people.customer.email } } : {}), ...body },
    });
    if (res.status !== 201) throw new Error(`createTicket: ${res.status} ${res.text}`);
    return res.body as { id: string; number: number; status: string; tier: number; version: number; [k: string]: unknown };
  }

  /** The rows of a table, for tests that check what a request did (or did not) write. */
  async count(table: keyof DB & string) {
    const row = await this.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

/** A clock tests move by hand. */
export function manualClock(start: Date): Clock & { set(d: Date): void; advance(ms: number): void } {
  let t = start.getTime();
  return { now: () => new Date(t), set: (d) => void (t = d.getTime()), advance: (ms) => void (t += ms) };
}

export { pg };
