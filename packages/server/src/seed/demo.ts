import { sql } from "kysely";
import type { Priority, ResolutionCode, TicketStatus } from "@eskala/core";
import type { Composition } from "../compose.ts";
import type { Actor } from "../auth/actor.ts";
import { hashPassword } from "../auth/password.ts";
import { seedDemoMacros } from "./demo-macros.ts";
import {
  AGENT_REPLIES,
  CATEGORIES,
  CUSTOMERS,
  CUSTOMER_REPLIES,
  DEMO_PASSWORD,
  GROUPS,
  NOTES,
  ORGANIZATIONS,
  REQUESTS,
  STAFF,
  TIERS,
} from "./demo-data.ts";

/** A small deterministic PRNG, so every demo database looks the same. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoLogin {
  role: string;
  email: string;
  password: string;
}

/** Seeds the demo contact center unless groups are configured already. Returns the demo logins, or null when skipped. */
export async function seedDemo(app: Composition, opts: { tickets?: number } = {}): Promise<DemoLogin[] | null> {
  const { db } = app.database;
  // A help desk that has any group configured is not empty: never seed over real data.
  const existing = await db
    .selectFrom("groups")
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow();
  if (existing.n > 0) return null;
  const now = app.clock.now();
  const random = mulberry32(20261125);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  const groupIds = new Map<string, string>();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("tiers")
      .values(TIERS)
      .onConflict((oc) => oc.column("level").doUpdateSet({ name: (eb) => eb.ref("excluded.name") }))
      .execute();
    for (const g of GROUPS) {
      const row = await trx
        .insertInto("groups")
        .values({ name: g.name, kind: g.kind, tier_level: g.tier, is_default: g.is_default, email_address: g.email })
        .returning("id")
        .executeTakeFirstOrThrow();
      groupIds.set(g.key, row.id);
    }
    await trx
      .insertInto("categories")
      .values(CATEGORIES.map((c) => ({ name: c.name, skill: c.skill, skill_level: c.level })))
      .execute();
    const orgs = await trx
      .insertInto("organizations")
      .values(
        ORGANIZATIONS.map((o) => ({ name: o.name, segment: o.segment, domain: o.domain, shared_tickets: o.shared })),
      )
      .returning(["id", "domain"])
      .execute();
    for (const s of STAFF) {
      const user = await trx
        .insertInto("users")
        .values({
          email: s.email,
          name: s.name,
          role: s.role,
          password_hash: passwordHash,
          language: "id",
          created_at: now,
        })
        .onConflict((oc) => oc.expression(sql`lower(email)`).doUpdateSet({ name: s.name, password_hash: passwordHash }))
        .returning("id")
        .executeTakeFirstOrThrow();
      if (s.role === "admin") continue;
      await trx
        .insertInto("agent_profiles")
        .values({ user_id: user.id, tier: s.tier, languages: s.languages, capacity: s.capacity, presence: s.presence })
        .execute();
      if (s.skills.length)
        await trx
          .insertInto("agent_skills")
          .values(s.skills.map(([skill, level]) => ({ user_id: user.id, skill, level })))
          .execute();
      for (const g of s.groups)
        await trx
          .insertInto("group_members")
          .values({ group_id: groupIds.get(g)!, user_id: user.id })
          .execute();
      for (const [position, g] of (s.supervises ?? []).entries())
        await trx
          .insertInto("group_supervisors")
          .values({ group_id: groupIds.get(g)!, user_id: user.id, position })
          .execute();
    }
    for (const c of CUSTOMERS) {
      const org = orgs.find((o) => o.domain && c.email.endsWith("@" + o.domain));
      await trx
        .insertInto("users")
        .values({
          email: c.email,
          name: c.name,
          role: "customer",
          password_hash: passwordHash,
          language: c.language,
          organization_id: org?.id ?? null,
          created_at: now,
        })
        .execute();
    }
  });

  const admin = (
    await db.selectFrom("users").select("id").where("email", "=", "admin@eskala.local").executeTakeFirstOrThrow()
  ).id;
  const adminActor = (await app.auth.loadActor(admin, "system"))!;
  const agents = STAFF.filter((s) => s.role !== "admin");
  const agentIds = new Map(
    (await db.selectFrom("users").select(["id", "email"]).where("role", "in", ["agent", "supervisor"]).execute()).map(
      (u) => [u.email, u.id],
    ),
  );

  await seedDemoRules(app, adminActor);
  const supervisorId = (
    await db.selectFrom("users").select("id").where("email", "=", "supervisor@eskala.local").executeTakeFirstOrThrow()
  ).id;
  await seedDemoMacros(db, supervisorId, now);

  const statuses: TicketStatus[] = [
    "new",
    "open",
    "open",
    "open",
    "pending",
    "on_hold",
    "solved",
    "solved",
    "solved",
    "closed",
  ];
  const priorities: Priority[] = ["low", "medium", "medium", "medium", "high", "high", "urgent"];
  const codes: ResolutionCode[] = ["answered", "fixed", "refund", "credit", "replacement", "workaround", "wont_fix"];
  const total = opts.tickets ?? 300;
  for (let i = 0; i < total; i++) {
    const customer = pick(CUSTOMERS);
    const lang = customer.language;
    const request = pick(REQUESTS);
    const [subject, description] = request[lang];
    const ageMinutes = Math.floor(((total - i) / total) * 30 * 24 * 60 * (0.5 + random() / 2));
    const createdAt = new Date(now.getTime() - ageMinutes * 60_000);
    const status = i >= total - 25 ? "new" : pick(statuses);
    const ticket = await app.tickets.create(
      adminActor,
      {
        subject,
        description,
        requester: { email: customer.email, name: customer.name, language: lang },
        priority: pick(priorities),
        category: request.category,
        channel: pick(["email", "web", "web", "chat", "phone", "api"] as const),
        language: lang,
        created_at: createdAt.toISOString(),
        tags: random() < 0.3 ? [pick(["promo-1111", "ios", "android", "cod", "tokopay"])] : [],
      },
      now,
    );
    if (status === "new") continue;
    const agent = pick(agents.filter((a) => a.tier === 1));
    const at = (m: number) =>
      new Date(Math.min(now.getTime() - 60_000, createdAt.getTime() + m * 60_000)).toISOString();
    await app.tickets.update(adminActor, ticket.id, { assignee_id: agentIds.get(agent.email)! }, now);
    await app.messages.add(
      adminActor,
      ticket.id,
      {
        kind: "reply",
        body: pick(AGENT_REPLIES[lang]),
        author_email: agent.email,
        created_at: at(20 + random() * 120),
      },
      now,
    );
    if (random() < 0.6)
      await app.messages.add(
        adminActor,
        ticket.id,
        {
          kind: "reply",
          body: pick(CUSTOMER_REPLIES[lang]),
          author_email: customer.email,
          created_at: at(180 + random() * 600),
        },
        now,
      );
    if (random() < 0.35)
      await app.messages.add(
        adminActor,
        ticket.id,
        { kind: "note", body: pick(NOTES), author_email: agent.email, created_at: at(200 + random() * 600) },
        now,
      );
    if (status === "open") continue;
    if (status === "solved" || status === "closed") {
      await app.tickets.update(adminActor, ticket.id, { status: "solved", resolution_code: pick(codes) }, now);
      if (status === "closed") await app.tickets.update(adminActor, ticket.id, { status: "closed" }, now);
    } else {
      await app.tickets.update(adminActor, ticket.id, { status }, now);
    }
  }

  return STAFF.filter((s) =>
    [
      "admin@eskala.local",
      "supervisor@eskala.local",
      "agent1@eskala.local",
      "agent2@eskala.local",
      "agent3@eskala.local",
    ].includes(s.email),
  )
    .map((s) => ({
      role: s.role === "agent" ? `agent (tier ${s.tier})` : s.role,
      email: s.email,
      password: DEMO_PASSWORD,
    }))
    .concat([{ role: "customer", email: "customer@example.com", password: DEMO_PASSWORD }]);
}

/** The default rules of the demo: the SLA ladder, breach → next tier, customer requests, negative sentiment. */
async function seedDemoRules(app: Composition, admin: Actor) {
  const rules = app.engine?.rules;
  if (!rules) return;
  const defs = [
    { name: "Tangga SLA 50%: beri tahu penanggung jawab", event: "sla.warning", conditions: { all: [{ field: "event.threshold", op: "is", value: 0.5 }] }, actions: [{ type: "notify", channel: "assignee" }] },
    { name: "Tangga SLA 75%: beri tahu supervisor", event: "sla.warning", conditions: { all: [{ field: "event.threshold", op: "is", value: 0.75 }] }, actions: [{ type: "notify", channel: "supervisor" }] },
    {
      name: "SLA terlewati: naik ke tier berikutnya",
      event: "sla.breached",
      conditions: { all: [{ field: "event.target", op: "in", value: ["first_response", "resolution"] }] },
      actions: [{ type: "escalate", to: { tier: "next" }, reason: "sla_breach" }, { type: "notify", channel: "supervisor" }],
    },
    { name: "Anggaran waktu tier habis: naik tier", event: "tier.budget_exceeded", conditions: {}, actions: [{ type: "escalate", to: { tier: "next" }, reason: "too_slow" }] },
    { name: "Permintaan eskalasi pelanggan: beri tahu supervisor", event: "escalation.requested", conditions: {}, actions: [{ type: "notify", channel: "supervisor" }] },
    {
      name: "Sentimen sangat negatif: prioritas tinggi",
      event: "sentiment.negative",
      conditions: { all: [{ field: "priority", op: "in", value: ["low", "medium"] }] },
      actions: [{ type: "set_priority", priority: "high" }, { type: "add_tag", tag: "sentimen-negatif" }],
    },
  ];
  for (const def of defs) await rules.create(admin, def);
}
