import { sql } from "kysely";
import { createTimerWorker } from "../../src/engine/timers.ts";
import { slaOf } from "../../src/sla/compose-sla.ts";
import type { TestApp } from "../harness.ts";

const DAY = [
  ["08:00", "12:00"],
  ["13:00", "17:00"],
];
/** Jakarta business hours with a lunch break, Monday to Friday. */
export const JAKARTA = { timezone: "Asia/Jakarta", weekly: { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: DAY } };

/** A local Jakarta instant in the week of Monday 2026-03-02 (WIB = UTC+7). */
export const wib = (day: number, hhmm: string) => new Date(`2026-03-${String(day).padStart(2, "0")}T${hhmm}:00+07:00`);

export async function createCalendar(
  t: TestApp,
  definition: Record<string, unknown> = JAKARTA,
  name = `Cal ${Math.random().toString(36).slice(2, 8)}`,
) {
  const res = await t.inject("POST", "/api/v1/calendars", { body: { name, definition } });
  if (res.status !== 201) throw new Error(`createCalendar: ${res.status} ${res.text}`);
  return res.body as { id: string };
}

export async function createPolicy(t: TestApp, body: Record<string, unknown>) {
  const res = await t.inject("POST", "/api/v1/sla-policies", {
    body: {
      name: `Policy ${Math.random().toString(36).slice(2, 8)}`,
      calendar_id: null,
      conditions: {},
      pause_on_hold: false,
      targets: { medium: { first_response: 60, next_response: 120, resolution: 480 } },
      tier_budgets: { "1": 120, "2": 240 },
      ladder: [0.5, 0.75],
      ...body,
    },
  });
  if (res.status !== 201) throw new Error(`createPolicy: ${res.status} ${res.text}`);
  return res.body as { id: string; name: string };
}

export function worker(t: TestApp) {
  return createTimerWorker({
    database: t.services.database,
    clock: t.services.clock,
    handlers: t.services.timerHandlers,
  });
}

/** Fires everything due now, batch after batch. */
export async function fireAll(t: TestApp) {
  const w = worker(t);
  let n = 0;
  for (let fired = await w.fireDue(); fired > 0; fired = await w.fireDue()) n += fired;
  return n;
}

export async function timersOf(t: TestApp, ticketId: string) {
  return t.db
    .selectFrom("timers")
    .select(["id", "kind", "key", "due_at", "data"])
    .where("ticket_id", "=", ticketId)
    .where("fired_at", "is", null)
    .orderBy("due_at")
    .orderBy("key")
    .execute();
}

export async function slaBlock(t: TestApp, ticketId: string, token?: string) {
  const res = await t.inject("GET", `/api/v1/tickets/${ticketId}`, token ? { token } : {});
  if (res.status !== 200) throw new Error(`GET ticket: ${res.status} ${res.text}`);
  return res.body.sla as {
    policy: { id: string; name: string } | null;
    clocks: {
      target: string;
      tier: number | null;
      state: string;
      started_at: string;
      due_at: string;
      remaining_minutes: number | null;
      paused_minutes: number;
      achieved_at: string | null;
      breached_at: string | null;
      explanation: { id: string; en: string };
    }[];
    pauses: { from: string; to: string | null; reason: string }[];
  };
}

export const clockOf = (sla: Awaited<ReturnType<typeof slaBlock>>, target: string) =>
  sla.clocks.find((c) => c.target === target);

export async function eventsOf(t: TestApp, ticketId: string, types: string[]) {
  const rows = await t.db
    .selectFrom("ticket_events")
    .select(["type", "data", "at", "actor_kind"])
    .where("ticket_id", "=", ticketId)
    .where("type", "in", types)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ ...r, data: r.data as Record<string, any> }));
}

export const ledgerOf = async (t: TestApp, ticketId: string) =>
  (await sql<{ ledger: any }>`select ledger from ticket_sla where ticket_id = ${ticketId}`.execute(t.db)).rows[0]
    ?.ledger;

/** Every instant the ticket's plan holds (the timer table keeps only the earliest). */
export async function plannedTimers(t: TestApp, ticketId: string) {
  const plan = await slaOf(t.services).engine.currentPlan(t.db, ticketId, t.services.clock.now());
  return (plan?.allTimers ?? []).map((x) => ({
    kind: x.kind,
    key: x.key,
    due_at: x.dueAt,
    data: x.data as Record<string, any>,
  }));
}
