import { sql } from "kysely";
import type { Composition } from "../compose.ts";
import type { Actor } from "../auth/actor.ts";
import { hashPassword } from "../auth/password.ts";
import type { Progress } from "../lib/progress.ts";
import { seedDemoMacros } from "./demo-macros.ts";
import { CATEGORIES, CUSTOMERS, DEMO_PASSWORD, GROUPS, ORGANIZATIONS, STAFF, TIERS } from "./demo-data.ts";
import { officeOpen, planOpenTickets, replayPastDeadlines, seedHistoryTicket, seedOpenTicket } from "./demo-day.ts";

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
export async function seedDemo(
  app: Composition,
  opts: {
    tickets?: number;
    onStage?: (line: string) => void;
    /** Progress of the long stages (lib/progress.ts `startProgress`); none when left out. */
    progress?: (label: string, opts: { total: number; unit: string }) => Progress;
  } = {},
): Promise<DemoLogin[] | null> {
  const say = opts.onStage ?? (() => {});
  const progress = (label: string, total: number) =>
    opts.progress?.(label, { total, unit: "tickets" }) ?? { increment: () => {}, finish: () => "" };
  const { db } = app.database;
  // A help desk that has any group configured is not empty: never seed over real data.
  const existing = await db
    .selectFrom("groups")
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow();
  if (existing.n > 0) return null;
  const now = app.clock.now();
  const random = mulberry32(20261125);
  say("Demo: tiers, groups, organisations, agents and customers…");
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
  say("Demo: escalation rules…");
  await seedDemoRules(app, adminActor);
  const supervisorId = (
    await db.selectFrom("users").select("id").where("email", "=", "supervisor@eskala.local").executeTakeFirstOrThrow()
  ).id;
  await seedDemoMacros(db, supervisorId, now);

  const total = opts.tickets ?? 300;
  // A quarter open (today's work), the rest solved or closed over the last 30 days.
  const openTotal = total === 0 ? 0 : Math.min(total, Math.max(8, Math.round(total * 0.25)));
  const historyTotal = total - openTotal;
  const ctx = { app, admin: adminActor, random, now };
  if (historyTotal > 0) say(`Demo: ${historyTotal} solved and closed tickets of the last 30 days…`);
  const history = progress("Demo: solved and closed tickets", historyTotal);
  for (let i = 0; i < historyTotal; i++) {
    await seedHistoryTicket(ctx, i, historyTotal);
    history.increment();
  }
  if (historyTotal > 0) history.finish();
  if (openTotal > 0) {
    const open = officeOpen(now);
    say(
      `Demo: ${openTotal} open tickets of today's working day (office hours ${open ? "open" : "closed: the tickets due soon are VIP ones, on the 24/7 calendar"})…`,
    );
    const slots = planOpenTickets(openTotal, random, open).sort((a, b) => b.age - a.age);
    const opened = progress("Demo: open tickets", slots.length);
    for (const slot of slots) {
      await seedOpenTicket(ctx, slot);
      opened.increment();
    }
    opened.finish();
    say("Demo: replaying today's deadlines up to now (warnings, breaches, escalations as history)…");
    await replayPastDeadlines(app, now);
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
    {
      name: "Tangga SLA 50%: beri tahu penanggung jawab",
      event: "sla.warning",
      conditions: { all: [{ field: "event.threshold", op: "is", value: 0.5 }] },
      actions: [{ type: "notify", channel: "assignee" }],
    },
    {
      name: "Tangga SLA 75%: beri tahu supervisor",
      event: "sla.warning",
      conditions: { all: [{ field: "event.threshold", op: "is", value: 0.75 }] },
      actions: [{ type: "notify", channel: "supervisor" }],
    },
    {
      name: "SLA terlewati: naik ke tier berikutnya",
      event: "sla.breached",
      conditions: { all: [{ field: "event.target", op: "in", value: ["first_response", "resolution"] }] },
      actions: [
        { type: "escalate", to: { tier: "next" }, reason: "sla_breach" },
        { type: "notify", channel: "supervisor" },
      ],
    },
    {
      name: "Anggaran waktu tier habis: naik tier",
      event: "tier.budget_exceeded",
      conditions: {},
      actions: [{ type: "escalate", to: { tier: "next" }, reason: "too_slow" }],
    },
    {
      name: "Permintaan eskalasi pelanggan: beri tahu supervisor",
      event: "escalation.requested",
      conditions: {},
      actions: [{ type: "notify", channel: "supervisor" }],
    },
    {
      name: "Sentimen sangat negatif: prioritas tinggi",
      event: "sentiment.negative",
      conditions: { all: [{ field: "priority", op: "in", value: ["low", "medium"] }] },
      actions: [
        { type: "set_priority", priority: "high" },
        { type: "add_tag", tag: "sentimen-negatif" },
      ],
    },
  ];
  for (const def of defs) await rules.create(admin, def);
}
