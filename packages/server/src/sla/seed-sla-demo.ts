/**
 * Demo SLA configuration: Jakarta business hours with the Indonesian holiday sets, a 24/7
 * calendar, a tight "VIP" policy and a business-hours "Standar" policy. Seeded once, when no
 * calendar exists; open tickets already there are then recomputed so they get clocks.
 */
import { sql } from "kysely";
import { validateCalendar, type Calendar } from "@eskala/core/calendar";
import { validateSlaPolicy, type SlaTargets } from "@eskala/core/sla";
import type { Priority } from "@eskala/core";
import type { Services } from "../http/context.ts";
import type { PolicyDefinition } from "./sla-config.ts";

const WEEKDAY: [string, string][] = [
  ["08:00", "12:00"],
  ["13:00", "17:00"],
];

export const DEMO_CALENDARS: { name: string; definition: Calendar }[] = [
  {
    name: "Jam Kerja Jakarta",
    definition: {
      timezone: "Asia/Jakarta",
      weekly: { mon: WEEKDAY, tue: WEEKDAY, wed: WEEKDAY, thu: WEEKDAY, fri: WEEKDAY, sat: [["08:00", "12:00"]] },
      holiday_sets: ["id-national-2026", "id-cuti-bersama-2026", "id-national-2027", "id-cuti-bersama-2027"],
    },
  },
  { name: "24/7", definition: { timezone: "Asia/Jakarta", always_open: true } },
];

const targets = (rows: Record<Priority, [number, number, number, number]>): Record<Priority, SlaTargets> =>
  Object.fromEntries(
    Object.entries(rows).map(([p, [first_response, next_response, periodic_update, resolution]]) => [
      p,
      { first_response, next_response, periodic_update, resolution },
    ]),
  ) as Record<Priority, SlaTargets>;

const common = { tier_budgets: { "1": 120, "2": 480, "3": 1440 }, ladder: [0.5, 0.75], customer_request_response: 60 };

export const DEMO_POLICIES: { name: string; calendar: string; definition: PolicyDefinition }[] = [
  {
    name: "VIP",
    calendar: "24/7",
    definition: {
      conditions: { segments: ["vip"] },
      pause_on_hold: true,
      // [first response, next response, periodic update while escalated, resolution] in business minutes
      targets: targets({
        urgent: [15, 30, 60, 240],
        high: [30, 60, 120, 480],
        medium: [60, 120, 240, 960],
        low: [120, 240, 480, 1920],
      }),
      ...common,
      idle_minutes: 240,
    },
  },
  {
    name: "Standar",
    calendar: "Jam Kerja Jakarta",
    definition: {
      conditions: {},
      pause_on_hold: false,
      targets: targets({
        urgent: [60, 120, 240, 480],
        high: [120, 240, 240, 960],
        medium: [240, 480, 480, 1920],
        low: [480, 960, 960, 2880],
      }),
      ...common,
      idle_minutes: null,
    },
  },
];

/** Inserts the demo calendars and policies unless a calendar exists; returns whether it seeded. */
export async function seedSlaDemo(app: Pick<Services, "database" | "clock">): Promise<boolean> {
  const { db } = app.database;
  const now = app.clock.now();
  return db.transaction().execute(async (trx) => {
    // Several processes may start at once: one seeds, the others see its calendars.
    await sql`select pg_advisory_xact_lock(7283402)`.execute(trx);
    const existing = await trx.selectFrom("calendars").select("id").limit(1).executeTakeFirst();
    if (existing) return false;
    const ids = new Map<string, string>();
    for (const c of DEMO_CALENDARS) {
      const checked = validateCalendar(c.definition);
      if (!checked.ok) throw new Error(`demo calendar ${c.name}: ${JSON.stringify(checked.errors)}`);
      const row = await trx
        .insertInto("calendars")
        .values({ name: c.name, definition: JSON.stringify(checked.calendar), created_at: now, updated_at: now })
        .returning("id")
        .executeTakeFirstOrThrow();
      ids.set(c.name, row.id);
    }
    const start = (
      await sql<{ p: number }>`select coalesce(max(position) + 1, 0)::int as p from sla_policies`.execute(trx)
    ).rows[0]!.p;
    for (const [i, p] of DEMO_POLICIES.entries()) {
      const checked = validateSlaPolicy({ id: "demo", name: p.name, position: i, calendar: null, ...p.definition });
      if (!checked.ok) throw new Error(`demo policy ${p.name}: ${JSON.stringify(checked.errors)}`);
      await trx
        .insertInto("sla_policies")
        .values({
          name: p.name,
          position: start + i,
          enabled: true,
          calendar_id: ids.get(p.calendar)!,
          definition: JSON.stringify(p.definition),
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.expression(sql`lower(name)`).doNothing())
        .execute();
    }
    return true;
  });
}
