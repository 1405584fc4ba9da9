/**
 * The SLA preview (PRODUCT §4): "created at X under this calendar, N business minutes: when is it
 * due?" and "how many business minutes between X and Y?", on an inline calendar or a stored one.
 */
import type { Kysely } from "kysely";
import {
  addBusinessMinutes,
  businessMinutesBetween,
  explainDue,
  type Calendar,
  type Pause,
} from "@eskala/core/calendar";
import type { PreviewBetweenBody, PreviewDueBody } from "@eskala/contracts";
import { requireRole, type Actor } from "../auth/actor.ts";
import type { DB } from "../db/schema.ts";
import { AppError } from "../lib/app-error.ts";
import { checkCalendar } from "./calendar.service.ts";

type CalendarChoice = { calendar?: Record<string, unknown> | undefined; calendar_id?: string | undefined };

export function createPreviewService(deps: { db: Kysely<DB> }) {
  async function calendarOf(body: CalendarChoice): Promise<Calendar> {
    if ((body.calendar === undefined) === (body.calendar_id === undefined)) {
      throw new AppError("validation_failed", "Send exactly one of calendar and calendar_id", [
        {
          path: [body.calendar === undefined ? "calendar" : "calendar_id"],
          message: "exactly one of calendar and calendar_id",
        },
      ]);
    }
    if (body.calendar !== undefined) return checkCalendar(body.calendar, ["calendar"]);
    const row = await deps.db
      .selectFrom("calendars")
      .select("definition")
      .where("id", "=", body.calendar_id!)
      .executeTakeFirst();
    if (!row) throw AppError.field(["calendar_id"], `unknown calendar ${body.calendar_id}`);
    return row.definition as unknown as Calendar;
  }

  const pausesOf = (p: { from: string; to: string }[] | undefined): Pause[] =>
    (p ?? []).map((x, i) => {
      const pause = { from: instant(x.from, ["pauses", i, "from"]), to: instant(x.to, ["pauses", i, "to"]) };
      if (pause.to < pause.from) throw AppError.field(["pauses", i, "to"], "must not be before from");
      return pause;
    });

  const MIN = Date.UTC(1970, 0, 1);
  const MAX = Date.UTC(2200, 0, 1);
  function instant(value: string, path: (string | number)[]): Date {
    const d = new Date(value);
    if (!(d.getTime() >= MIN && d.getTime() < MAX)) throw AppError.field(path, "must lie between 1970 and 2200");
    return d;
  }

  /** Core refuses instants outside 1970-2200 with a RangeError: the caller named a field that leads there. */
  function guard<T>(field: string, run: () => T): T {
    try {
      return run();
    } catch (err) {
      if (err instanceof RangeError) throw AppError.field([field], err.message);
      throw err;
    }
  }

  return {
    async due(actor: Actor, body: PreviewDueBody) {
      requireRole(actor, "agent");
      const calendar = await calendarOf(body);
      const start = instant(body.start, ["start"]);
      const pauses = pausesOf(body.pauses);
      const dueAt = guard("business_minutes", () => addBusinessMinutes(calendar, start, body.business_minutes, pauses));
      return {
        due_at: dueAt.toISOString(),
        explanation: {
          id: explainDue(calendar, start, body.business_minutes, dueAt, "id", pauses),
          en: explainDue(calendar, start, body.business_minutes, dueAt, "en", pauses),
        },
      };
    },

    async between(actor: Actor, body: PreviewBetweenBody) {
      requireRole(actor, "agent");
      const calendar = await calendarOf(body);
      const minutes = guard("to", () =>
        businessMinutesBetween(calendar, instant(body.from, ["from"]), instant(body.to, ["to"]), pausesOf(body.pauses)),
      );
      return { business_minutes: Math.round(minutes * 1e6) / 1e6 };
    },
  };
}

export type PreviewService = ReturnType<typeof createPreviewService>;
