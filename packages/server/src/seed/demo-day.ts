/**
 * The demo's tickets as a working day in progress: history (solved and closed over the last 30
 * days) and today's open tickets, each created and answered at its own instant through the real
 * services, then the deadlines that fell due before `now` replayed in order with a stepped clock,
 * so breaches and escalations are recorded as history at the instant they happened, not fired all
 * at once at the first start. Open tickets are placed by their business age in their policy's
 * calendar: most on track, a few in warning, a handful breached, and deadlines falling due over
 * the next minutes and hours.
 */
import { sql } from "kysely";
import { addBusinessMinutes, businessMinutesBetween, isOpen, type Calendar } from "@eskala/core/calendar";
import type { Priority, ResolutionCode } from "@eskala/core";
import type { Composition } from "../compose.ts";
import type { Actor } from "../auth/actor.ts";
import { createTimerWorker } from "../engine/timers.ts";
import { createNotifyRelay } from "../notify/compose-notify.ts";
import { DEMO_CALENDARS } from "../sla/seed-sla-demo.ts";
import { AGENT_REPLIES, CATEGORIES, CUSTOMERS, CUSTOMER_REPLIES, NOTES, REQUESTS, STAFF } from "./demo-data.ts";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const JAKARTA = DEMO_CALENDARS.find((c) => c.name === "Jam Kerja Jakarta")!.definition;
const ALWAYS: Calendar = { timezone: "Asia/Jakarta", always_open: true };
/** Customers of the VIP organisation: their tickets run on the VIP policy's 24/7 calendar. */
const VIP = CUSTOMERS.filter((c) => c.email.endsWith("@nusantararetail.co.id"));
const REGULAR = CUSTOMERS.filter((c) => !VIP.includes(c));
/** Tier 1's time budget in the demo policies (business minutes): past it a ticket moves up a tier. */
const TIER1_BUDGET = 120;

/** The stage of an open demo ticket at `now`. */
export type DemoStage = "breached" | "warning" | "escalated" | "on_track" | "new" | "pending";

export interface OpenSlot {
  stage: DemoStage;
  /** Business minutes since creation, in the ticket's policy calendar. */
  age: number;
  vip: boolean;
  priority: Priority;
  /** A waiting ticket on hold rather than pending. */
  onHold?: boolean;
}

/**
 * The open tickets' plan, by share of `n`: breached (first response missed, escalated in
 * history), warning (past half of tier 1's budget, due within the hour), escalated earlier to tier
 * 2 and on track there, on track in tier 1, new and unanswered, waiting on the customer.
 * `calendarOpen`: whether the business calendar is open at `now`; when closed, the tickets due
 * soon are VIP ones (24/7), so deadlines still fall due while the newcomer watches.
 */
export function planOpenTickets(n: number, random: () => number, calendarOpen: boolean): OpenSlot[] {
  const slots: OpenSlot[] = [];
  const count = (share: number, min: number) => Math.max(min, Math.round(n * share));
  // A working day, not a crisis: "Breaching soon" (overdue or due within the hour) holds ~10% of them.
  const breached = count(0.03, 1);
  const warning = count(0.06, 2);
  const escalated = count(0.15, 1);
  const pending = count(0.07, 2);
  const fresh = count(0.12, 1);
  const onTrack = Math.max(0, n - breached - warning - escalated - pending - fresh);
  const between = (a: number, b: number) => a + random() * (b - a);
  const some = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  for (let i = 0; i < breached; i++)
    // Urgent: its first response (60 business minutes) was missed and the rule moved it to tier 2.
    slots.push({ stage: "breached", age: between(75, 170), vip: false, priority: "urgent" });
  for (let i = 0; i < warning; i++) {
    // Spread over the next hour; the first ones due within ten minutes (tier 1's budget).
    const age = i < 2 ? TIER1_BUDGET - between(3, 8) : between(62, 110);
    slots.push({
      stage: "warning",
      age,
      vip: i < 2 ? true : !calendarOpen || random() < 0.25,
      priority: some(["low", "medium", "high"] as const),
    });
  }
  for (let i = 0; i < escalated; i++)
    slots.push({
      stage: "escalated",
      age: TIER1_BUDGET + between(10, 100),
      vip: false,
      priority: some(["low", "medium", "medium"] as const),
    });
  for (let i = 0; i < onTrack; i++)
    slots.push({
      stage: "on_track",
      age: between(4, 55),
      vip: random() < (calendarOpen ? 0.2 : 0.5),
      priority: some(["low", "medium", "medium", "high"] as const),
    });
  for (let i = 0; i < fresh; i++)
    slots.push({ stage: "new", age: between(2, 25), vip: random() < 0.25, priority: some(["low", "medium"] as const) });
  for (let i = 0; i < pending; i++)
    slots.push({
      stage: "pending",
      age: between(20, 100),
      vip: false,
      priority: some(["low", "medium"] as const),
      onHold: i % 2 === 1,
    });
  return slots;
}

/** The latest instant before `now` from which `minutes` business minutes have passed by `now`. */
export function businessAgo(calendar: Calendar, now: Date, minutes: number): Date {
  if (calendar.always_open) return new Date(now.getTime() - minutes * MINUTE);
  let lo = now.getTime() - 60 * DAY; // enough business time behind
  let hi = now.getTime();
  while (hi - lo > 1_000) {
    const mid = Math.floor((lo + hi) / 2);
    if (businessMinutesBetween(calendar, new Date(mid), now) >= minutes) lo = mid;
    else hi = mid;
  }
  return new Date(lo);
}

interface Ctx {
  app: Composition;
  admin: Actor;
  random: () => number;
  now: Date;
}

const pick = <T>(random: () => number, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

/**
 * Categories an open ticket of the demo may have: an online tier-1 agent has the skill they ask
 * for, so routing gives them to tier 1 at creation instead of moving them up for a missing skill
 * in the same instant (which made the review's time to first escalation 0 minutes).
 */
const TIER1_CATEGORIES = CATEGORIES.filter((c) =>
  STAFF.some(
    (s) =>
      s.role === "agent" &&
      s.tier === 1 &&
      s.presence === "online" &&
      s.skills.some(([skill, level]) => skill === c.skill && level >= c.level),
  ),
).map((c) => c.name);
const TIER1_REQUESTS = REQUESTS.filter((r) => TIER1_CATEGORIES.includes(r.category));
/** Share of the history's tickets that tier 1 escalated, an hour or a few after they came in. */
const HISTORY_ESCALATED = 0.2;
const HISTORY_REASONS = ["too_complex", "too_complex", "missing_skill", "too_slow", "customer_request"] as const;

async function createTicket(
  ctx: Ctx,
  at: Date,
  customer: (typeof CUSTOMERS)[number],
  priority: Priority,
  requests = REQUESTS,
) {
  const { app, admin, random } = ctx;
  const lang = customer.language;
  const request = pick(random, requests);
  const [subject, description] = request[lang];
  return app.tickets.create(
    admin,
    {
      subject,
      description,
      requester: { email: customer.email, name: customer.name, language: lang },
      priority,
      category: request.category,
      channel: pick(random, ["email", "web", "web", "chat", "phone", "api"] as const),
      language: lang,
      tags: random() < 0.3 ? [pick(random, ["promo-1111", "ios", "android", "cod", "tokopay"])] : [],
    },
    at,
  );
}

/** A tier's agent with room (open tickets below capacity), least loaded first; null when all are full. */
async function agentWithRoom(ctx: Ctx, tier: number): Promise<string | null> {
  const { rows } = await sql<{ id: string }>`
    select u.id from users u join agent_profiles p on p.user_id = u.id
    where u.role = 'agent' and p.tier = ${tier}
      and (select count(*) from tickets t where t.assignee_id = u.id and t.status in ('new','open','pending','on_hold')) < p.capacity
    order by (select count(*) from tickets t where t.assignee_id = u.id and t.status in ('new','open','pending','on_hold')), u.email
    limit 1`.execute(ctx.app.database.db);
  return rows[0]?.id ?? null;
}

async function emailOf(ctx: Ctx, userId: string): Promise<string> {
  const u = await ctx.app.database.db
    .selectFrom("users")
    .select("email")
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  return u.email;
}

/**
 * A solved or closed ticket of the last 30 days, imported as such (its instants given, the change
 * made at `now`): its deadlines were met or missed then and fire nothing now.
 */
export async function seedHistoryTicket(ctx: Ctx, i: number, n: number) {
  const { app, admin, random, now } = ctx;
  const customer = pick(random, CUSTOMERS);
  const lang = customer.language;
  const created = new Date(now.getTime() - DAY - ((n - i) / n) * 29 * DAY * (0.5 + random() / 2));
  const request = pick(random, REQUESTS);
  const [subject, description] = request[lang];
  const ticket = await app.tickets.create(
    admin,
    {
      subject,
      description,
      requester: { email: customer.email, name: customer.name, language: lang },
      priority: pick(random, ["low", "medium", "medium", "high", "urgent"] as const),
      category: request.category,
      channel: pick(random, ["email", "web", "web", "chat", "phone", "api"] as const),
      language: lang,
      created_at: created.toISOString(),
      tags: random() < 0.3 ? [pick(random, ["promo-1111", "ios", "android", "cod", "tokopay"])] : [],
    },
    now,
  );
  const at = (m: number) =>
    new Date(Math.min(now.getTime() - 12 * 60 * MINUTE, created.getTime() + m * MINUTE)).toISOString();
  let assignee = ticket.assignee_id ?? null;
  if (!assignee) {
    const tier1 = STAFF.filter((s) => s.role === "agent" && s.tier === 1);
    const email = pick(random, tier1).email;
    const user = await app.database.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", email)
      .executeTakeFirstOrThrow();
    assignee = user.id;
    await app.tickets.update(admin, ticket.id, { assignee_id: assignee }, now);
  }
  const agentEmail = await emailOf(ctx, assignee);
  const say = (kind: "reply" | "note", body: string, author_email: string, created_at: string) =>
    app.messages.add(admin, ticket.id, { kind, body, author_email, created_at }, now);
  await say("reply", pick(random, AGENT_REPLIES[lang]), agentEmail, at(20 + random() * 120));
  // Some went up a tier after tier 1 had worked on them (spread in time after creation, as in a real review period).
  const escalations = app.engine?.escalations;
  if (escalations && random() < HISTORY_ESCALATED)
    await escalations.escalate(
      admin,
      ticket.id,
      { to: { tier: "next" }, reason: pick(random, HISTORY_REASONS), note: pick(random, NOTES) },
      new Date(at(150 + random() * 360)),
    );
  if (random() < 0.6)
    await say("reply", pick(random, CUSTOMER_REPLIES[lang]), customer.email, at(180 + random() * 600));
  if (random() < 0.35) await say("note", pick(random, NOTES), agentEmail, at(200 + random() * 600));
  const codes: ResolutionCode[] = ["answered", "fixed", "refund", "credit", "replacement", "workaround", "wont_fix"];
  await app.tickets.update(admin, ticket.id, { status: "solved", resolution_code: pick(random, codes) }, now);
  if (random() < 0.3) await app.tickets.update(admin, ticket.id, { status: "closed" }, now);
}

/** An open ticket at the stage its slot says, created at the business age the slot gives. */
export async function seedOpenTicket(ctx: Ctx, slot: OpenSlot) {
  const { app, admin, random, now } = ctx;
  const customer = pick(ctx.random, slot.vip ? VIP : REGULAR);
  const lang = customer.language;
  const calendar = slot.vip ? ALWAYS : JAKARTA;
  const created = businessAgo(calendar, now, slot.age);
  const ticket = await createTicket(ctx, created, customer, slot.priority, TIER1_REQUESTS);
  if (slot.stage === "new" || slot.stage === "breached") return; // nobody has answered yet
  // An agent answers within the first few business minutes (before `now`).
  const replyAt = new Date(
    Math.min(
      now.getTime() - MINUTE,
      addBusinessMinutes(calendar, created, Math.min(slot.age / 3, 2 + random() * 10)).getTime(),
    ),
  );
  let assignee = ticket.assignee_id ?? null;
  if (!assignee) {
    assignee = await agentWithRoom(ctx, 1);
    if (!assignee) return; // everyone in tier 1 is full: it waits in the group's queue
    await app.tickets.update(admin, ticket.id, { assignee_id: assignee }, replyAt);
  }
  await app.messages.add(
    admin,
    ticket.id,
    { kind: "reply", body: pick(random, AGENT_REPLIES[lang]), author_email: await emailOf(ctx, assignee) },
    replyAt,
  );
  // Waiting on the customer (pending), or on someone else (on hold: a VIP clock stops, a standard one runs).
  if (slot.stage === "pending")
    await app.tickets.update(
      admin,
      ticket.id,
      { status: slot.onHold ? "on_hold" : "pending" },
      new Date(replyAt.getTime() + 1_000),
    );
  else if (random() < 0.3)
    await app.messages.add(
      admin,
      ticket.id,
      { kind: "note", body: pick(random, NOTES), author_email: await emailOf(ctx, assignee) },
      new Date(replyAt.getTime() + 2_000),
    );
}

/**
 * Replays the deadlines that fell due before `now`, in order, each at its own instant: warnings,
 * breaches and the escalations the rules make of them are recorded as history. What they queued
 * in the outbox is settled at that instant too: emails and webhooks count as sent then (nothing is
 * sent at the first start for the past), in-app notifications are delivered then; those older
 * than `unreadMinutes` are marked read.
 */
export async function replayPastDeadlines(app: Composition, now: Date, unreadMinutes = 30): Promise<number> {
  const { db } = app.database;
  let t = new Date(0);
  const clock = { now: () => t };
  const worker = createTimerWorker({
    database: app.database,
    clock,
    handlers: app.timerHandlers,
    ...(app.timerLocker ? { lockTickets: app.timerLocker } : {}),
  });
  const relay = createNotifyRelay({ database: app.database, clock, config: app.config });
  const settle = async () => {
    await db
      .updateTable("outbox")
      .set((eb) => ({ status: "delivered", delivered_at: eb.ref("next_attempt_at") }))
      .where("status", "=", "pending")
      .where("kind", "!=", "notification")
      .where("next_attempt_at", "<=", t)
      .execute();
    while ((await relay.runOnce()) > 0);
  };
  // The history's solved and closed tickets were imported at `now`: their deadlines were met or
  // missed then, and replaying them at an earlier instant would see them still open.
  await db
    .updateTable("timers")
    .set({ fired_at: now })
    .where("fired_at", "is", null)
    .where("due_at", "<=", now)
    .where(sql<boolean>`ticket_id in (select id from tickets where status in ('solved', 'closed'))`)
    .execute();
  let fired = 0;
  for (let rounds = 0; rounds < 10_000; rounds++) {
    const next = await db
      .selectFrom("timers")
      .select((eb) => eb.fn.min("due_at").as("due"))
      .where("fired_at", "is", null)
      .where("due_at", "<=", now)
      .executeTakeFirst();
    if (!next?.due) break;
    t = new Date(Math.max(t.getTime(), new Date(next.due).getTime()));
    let n: number;
    while ((n = await worker.fireDue()) > 0) fired += n;
    await settle();
  }
  t = now;
  await settle();
  await db
    .updateTable("notifications")
    .set((eb) => ({ read_at: eb.ref("created_at") }))
    .where("read_at", "is", null)
    .where("created_at", "<", new Date(now.getTime() - unreadMinutes * MINUTE))
    .execute();
  return fired;
}

/** Whether the demo's business calendar (Jakarta office hours) is open at `now`. */
export const officeOpen = (now: Date) => isOpen(JAKARTA, now);
