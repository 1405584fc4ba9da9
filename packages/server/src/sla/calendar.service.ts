/** Business calendars as an admin resource: staff read them, admins write them; an edit recomputes open tickets. */
import { sql, type Kysely, type Transaction } from "kysely";
import { HOLIDAY_SETS, validateCalendar, type Calendar } from "@eskala/core/calendar";
import type { BusinessCalendar, CalendarBody, CalendarPatch, ImportIcsBody } from "@eskala/contracts";
import { requireRole, type Actor } from "../auth/actor.ts";
import { audited, setAuditActor } from "../audit/audit.repo.ts";
import type { DB } from "../db/schema.ts";
import { AppError, notFound } from "../lib/app-error.ts";
import { holidaysFromIcs } from "./ics-import.ts";
import type { RecomputeService } from "./recompute.ts";
import type { SlaConfigCache } from "./sla-config.ts";

type Executor = Kysely<DB> | Transaction<DB>;

/** A calendar definition checked by core; 422 with paths under `definition` otherwise. */
export function checkCalendar(input: unknown, at: (string | number)[] = ["definition"]): Calendar {
  const checked = validateCalendar(input);
  if (checked.ok) return checked.calendar;
  const errors = checked.errors.map((e) => ({ path: [...at, ...e.path], message: e.message }));
  throw new AppError(
    "validation_failed",
    `Invalid calendar: ${errors.map((e) => e.path.join(".")).join(", ")}`,
    errors,
  );
}

async function assertNameFree(db: Executor, name: string, exceptId?: string) {
  let q = db
    .selectFrom("calendars")
    .select("id")
    .where(sql<boolean>`lower(name) = ${name.toLowerCase()}`);
  if (exceptId) q = q.where("id", "!=", exceptId);
  if (await q.executeTakeFirst())
    throw new AppError("conflict", `A calendar named '${name}' exists already`, [
      { path: ["name"], message: "already used" },
    ]);
}

export function createCalendarService(deps: { db: Kysely<DB>; cache: SlaConfigCache; recompute: RecomputeService }) {
  const { db, cache, recompute } = deps;

  async function present(ids?: string[]): Promise<BusinessCalendar[]> {
    let q = db
      .selectFrom("calendars")
      .selectAll()
      .orderBy(sql`lower(name)`);
    if (ids) q = q.where("id", "in", ids);
    const rows = await q.execute();
    const uses = rows.length
      ? await db.selectFrom("sla_policies").select(["id", "calendar_id"]).where("calendar_id", "is not", null).execute()
      : [];
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      definition: r.definition as unknown as BusinessCalendar["definition"],
      version: r.version,
      policy_ids: uses.filter((u) => u.calendar_id === r.id).map((u) => u.id),
      created_at: r.created_at.toISOString(),
      updated_at: r.updated_at.toISOString(),
    }));
  }

  async function getOne(id: string): Promise<BusinessCalendar> {
    const [found] = await present([id]);
    if (!found) throw notFound("calendar");
    return found;
  }

  return {
    async list(actor: Actor) {
      requireRole(actor, "agent");
      return present();
    },

    async get(actor: Actor, id: string) {
      requireRole(actor, "agent");
      return getOne(id);
    },

    async create(actor: Actor, body: CalendarBody, now: Date) {
      requireRole(actor, "admin");
      const definition = checkCalendar(body.definition);
      await assertNameFree(db, body.name);
      const row = await audited(db, actor, now, (trx) =>
        trx
          .insertInto("calendars")
          .values({ name: body.name, definition: JSON.stringify(definition), created_at: now, updated_at: now })
          .returning("id")
          .executeTakeFirstOrThrow(),
      );
      cache.invalidate();
      return getOne(row.id);
    },

    async update(actor: Actor, id: string, body: CalendarPatch, now: Date) {
      requireRole(actor, "admin");
      const definition = body.definition === undefined ? undefined : checkCalendar(body.definition);
      await db.transaction().execute(async (trx) => {
        await setAuditActor(trx, actor, now);
        const current = await trx
          .selectFrom("calendars")
          .selectAll()
          .where("id", "=", id)
          .forUpdate()
          .executeTakeFirst();
        if (!current) throw notFound("calendar");
        if (body.name !== undefined) await assertNameFree(trx, body.name, id);
        const changed = definition !== undefined && JSON.stringify(definition) !== JSON.stringify(current.definition);
        await trx
          .updateTable("calendars")
          .set({
            ...(body.name !== undefined ? { name: body.name } : {}),
            ...(changed ? { definition: JSON.stringify(definition), version: current.version + 1 } : {}),
            updated_at: now,
          })
          .where("id", "=", id)
          .execute();
        if (changed) {
          const policies = await trx.selectFrom("sla_policies").select("id").where("calendar_id", "=", id).execute();
          if (policies.length)
            await recompute.enqueue(trx, { kind: "calendar", targetId: id, policyIds: policies.map((p) => p.id) }, now);
        }
      });
      cache.invalidate();
      return getOne(id);
    },

    async remove(actor: Actor, id: string) {
      requireRole(actor, "admin");
      await db.transaction().execute(async (trx) => {
        await setAuditActor(trx, actor, null);
        const current = await trx
          .selectFrom("calendars")
          .select("id")
          .where("id", "=", id)
          .forUpdate()
          .executeTakeFirst();
        if (!current) throw notFound("calendar");
        const users = await trx
          .selectFrom("sla_policies")
          .select(["id", "name"])
          .where("calendar_id", "=", id)
          .execute();
        if (users.length)
          throw new AppError(
            "conflict",
            `The calendar is used by SLA policies: ${users.map((u) => u.name).join(", ")}`,
            [{ path: ["id"], message: `used by ${users.map((u) => u.id).join(", ")}` }],
          );
        await trx.deleteFrom("calendars").where("id", "=", id).execute();
      });
      cache.invalidate();
    },

    holidaySets(actor: Actor) {
      requireRole(actor, "agent");
      return Object.entries(HOLIDAY_SETS).map(([id, set]) => ({
        id,
        name: set.name,
        dates: set.dates.map((d) => d.date),
        entries: set.dates.map((d) => ({ date: d.date, name: d.name })),
      }));
    },

    importIcs(actor: Actor, body: ImportIcsBody) {
      requireRole(actor, "admin");
      return { holidays: holidaysFromIcs(body.ics, body.year) };
    },
  };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
