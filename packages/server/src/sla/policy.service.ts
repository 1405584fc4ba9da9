/** SLA policies as an admin resource with ordering; every write recomputes the open tickets it can move. */
import { sql, type Kysely, type Transaction } from "kysely";
import { PRIORITIES } from "@eskala/core";
import { validateSlaPolicy } from "@eskala/core/sla";
import type { SlaPolicyBody, SlaPolicyPatch, SlaPolicyResource } from "@eskala/contracts";
import { requireRole, type Actor } from "../auth/actor.ts";
import { setAuditActor } from "../audit/audit.repo.ts";
import type { DB } from "../db/schema.ts";
import { AppError, notFound, type FieldError } from "../lib/app-error.ts";
import type { RecomputeFilter, RecomputeService } from "./recompute.ts";
import type { PolicyDefinition, SlaConfigCache } from "./sla-config.ts";

type Executor = Kysely<DB> | Transaction<DB>;
type PolicyRow = Awaited<ReturnType<typeof findAll>>[number];

const findAll = (db: Executor) =>
  db
    .selectFrom("sla_policies")
    .selectAll()
    .orderBy("position")
    .orderBy(sql`id`)
    .execute();

function present(r: PolicyRow): SlaPolicyResource {
  const d = r.definition as unknown as PolicyDefinition;
  return {
    id: r.id,
    name: r.name,
    position: r.position,
    enabled: r.enabled,
    calendar_id: r.calendar_id,
    conditions: (d.conditions ?? {}) as SlaPolicyResource["conditions"],
    pause_on_hold: d.pause_on_hold,
    targets: d.targets,
    tier_budgets: d.tier_budgets ?? {},
    ladder: [...(d.ladder ?? [])],
    customer_request_response: d.customer_request_response ?? null,
    idle_minutes: d.idle_minutes ?? null,
    version: r.version,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}

type Input = Omit<SlaPolicyBody, "enabled"> & { enabled: boolean };

/** Checks a policy with zod's outer shape already applied: references exist, core accepts the rest. */
async function checkPolicy(db: Executor, id: string, position: number, p: Input): Promise<PolicyDefinition> {
  const errors: FieldError[] = [];
  let calendar: unknown = null;
  if (p.calendar_id) {
    const row = await db
      .selectFrom("calendars")
      .select("definition")
      .where("id", "=", p.calendar_id)
      .executeTakeFirst();
    if (!row) errors.push({ path: ["calendar_id"], message: `unknown calendar ${p.calendar_id}` });
    else calendar = row.definition;
  }
  const refs = [
    ["category_ids", "categories"],
    ["group_ids", "groups"],
  ] as const;
  for (const [field, table] of refs) {
    const ids = p.conditions[field] ?? [];
    if (ids.length === 0) continue;
    const known = new Set((await db.selectFrom(table).select("id").where("id", "in", ids).execute()).map((r) => r.id));
    ids.forEach(
      (v, i) =>
        known.has(v) ||
        errors.push({
          path: ["conditions", field, i],
          message: `unknown ${table === "groups" ? "group" : "category"} ${v}`,
        }),
    );
  }
  // Priorities without targets are allowed (no clocks for them); core wants each key present.
  const targets = Object.fromEntries(PRIORITIES.map((k) => [k, {}]));
  Object.assign(targets, p.targets);
  const core = validateSlaPolicy({
    id,
    name: p.name,
    position,
    conditions: p.conditions,
    calendar: errors.length && p.calendar_id ? null : calendar,
    pause_on_hold: p.pause_on_hold,
    targets,
    tier_budgets: p.tier_budgets,
    ladder: p.ladder,
    ...(p.customer_request_response ? { customer_request_response: p.customer_request_response } : {}),
  });
  if (!core.ok)
    for (const e of core.errors)
      errors.push({
        path: e.path[0] === "calendar" ? ["calendar_id", ...e.path.slice(1)] : e.path,
        message: e.message,
      });
  if (errors.length)
    throw new AppError(
      "validation_failed",
      `Invalid SLA policy: ${errors.map((e) => e.path.join(".")).join(", ")}`,
      errors,
    );
  const v = core.ok ? core.policy : null;
  return {
    conditions: v!.conditions,
    pause_on_hold: v!.pause_on_hold,
    targets: v!.targets,
    tier_budgets: v!.tier_budgets,
    ladder: v!.ladder,
    customer_request_response: p.customer_request_response ?? null,
    idle_minutes: p.idle_minutes ?? null,
  };
}

async function assertNameFree(db: Executor, name: string, exceptId?: string) {
  let q = db
    .selectFrom("sla_policies")
    .select("id")
    .where(sql<boolean>`lower(name) = ${name.toLowerCase()}`);
  if (exceptId) q = q.where("id", "!=", exceptId);
  if (await q.executeTakeFirst())
    throw new AppError("conflict", `A policy named '${name}' exists already`, [
      { path: ["name"], message: "already used" },
    ]);
}

export function createPolicyService(deps: { db: Kysely<DB>; cache: SlaConfigCache; recompute: RecomputeService }) {
  const { db, cache, recompute } = deps;

  /** Runs a write (the audit log names the actor), then drops this process's cached configuration. */
  async function write<T>(actor: Actor, now: Date, run: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    try {
      return await db.transaction().execute(async (trx) => {
        await setAuditActor(trx, actor, now);
        return run(trx);
      });
    } finally {
      cache.invalidate();
    }
  }

  async function getOne(db: Executor, id: string) {
    const row = await db.selectFrom("sla_policies").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw notFound("SLA policy");
    return row;
  }

  return {
    async list(actor: Actor) {
      requireRole(actor, "agent");
      return (await findAll(db)).map(present);
    },

    async get(actor: Actor, id: string) {
      requireRole(actor, "agent");
      return present(await getOne(db, id));
    },

    async create(actor: Actor, body: SlaPolicyBody, now: Date) {
      requireRole(actor, "admin");
      const id = await write(actor, now, async (trx) => {
        await sql`lock table sla_policies in share row exclusive mode`.execute(trx);
        const { rows } = await sql<{
          p: number;
        }>`select coalesce(max(position) + 1, 0)::int as p from sla_policies`.execute(trx);
        const position = rows[0]!.p;
        const input = { ...body, enabled: body.enabled ?? true };
        const definition = await checkPolicy(trx, crypto.randomUUID(), position, input);
        await assertNameFree(trx, body.name);
        const row = await trx
          .insertInto("sla_policies")
          .values({
            name: body.name,
            position,
            enabled: input.enabled,
            calendar_id: body.calendar_id,
            definition: JSON.stringify(definition),
            created_at: now,
            updated_at: now,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        if (input.enabled) await recompute.enqueue(trx, { kind: "all", targetId: row.id }, now);
        return row.id;
      });
      return present(await getOne(db, id));
    },

    async update(actor: Actor, id: string, patch: SlaPolicyPatch, now: Date) {
      requireRole(actor, "admin");
      await write(actor, now, async (trx) => {
        const current = await trx
          .selectFrom("sla_policies")
          .selectAll()
          .where("id", "=", id)
          .forUpdate()
          .executeTakeFirst();
        if (!current) throw notFound("SLA policy");
        const was = present(current);
        const merged: Input = {
          name: patch.name ?? was.name,
          enabled: patch.enabled ?? was.enabled,
          calendar_id: patch.calendar_id === undefined ? was.calendar_id : patch.calendar_id,
          conditions: patch.conditions ?? was.conditions,
          pause_on_hold: patch.pause_on_hold ?? was.pause_on_hold,
          targets: (patch.targets ?? was.targets) as Input["targets"],
          tier_budgets: patch.tier_budgets ?? was.tier_budgets,
          ladder: patch.ladder ?? was.ladder,
          customer_request_response:
            patch.customer_request_response === undefined
              ? was.customer_request_response
              : patch.customer_request_response,
          idle_minutes: patch.idle_minutes === undefined ? was.idle_minutes : patch.idle_minutes,
        };
        const definition = await checkPolicy(trx, id, current.position, merged);
        if (patch.name !== undefined) await assertNameFree(trx, patch.name, id);
        const clocksChanged =
          merged.calendar_id !== current.calendar_id ||
          JSON.stringify({ ...definition, customer_request_response: null }) !==
            JSON.stringify({ ...(current.definition as object), customer_request_response: null });
        const selectionChanged =
          merged.enabled !== current.enabled || JSON.stringify(merged.conditions) !== JSON.stringify(was.conditions);
        await trx
          .updateTable("sla_policies")
          .set({
            name: merged.name,
            enabled: merged.enabled,
            calendar_id: merged.calendar_id,
            definition: JSON.stringify(definition),
            version: current.version + 1,
            updated_at: now,
          })
          .where("id", "=", id)
          .execute();
        // Conditions or enabling move tickets between policies (all open tickets are re-chosen);
        // targets, calendar or ladder move the deadlines of the tickets under this policy.
        const job: RecomputeFilter | null = selectionChanged
          ? { kind: "all", targetId: id }
          : clocksChanged
            ? { kind: "policy", targetId: id, policyIds: [id] }
            : null;
        if (job) await recompute.enqueue(trx, job, now);
      });
      return present(await getOne(db, id));
    },

    async remove(actor: Actor, id: string, now: Date) {
      requireRole(actor, "admin");
      await write(actor, now, async (trx) => {
        const current = await trx
          .selectFrom("sla_policies")
          .select("id")
          .where("id", "=", id)
          .forUpdate()
          .executeTakeFirst();
        if (!current) throw notFound("SLA policy");
        // Tickets keep their history in ticket_sla; the column only names a live policy.
        await trx.updateTable("tickets").set({ sla_policy_id: null }).where("sla_policy_id", "=", id).execute();
        await trx.deleteFrom("sla_policies").where("id", "=", id).execute();
        await recompute.enqueue(trx, { kind: "policy", targetId: id, policyIds: [id] }, now);
      });
    },

    async reorder(actor: Actor, ids: string[], now: Date) {
      requireRole(actor, "admin");
      await write(actor, now, async (trx) => {
        const all = await trx.selectFrom("sla_policies").select(["id", "position"]).forUpdate().execute();
        const known = new Set(all.map((p) => p.id));
        const errors: FieldError[] = [];
        ids.forEach((pid, i) => {
          if (!known.has(pid)) errors.push({ path: ["ids", i], message: `unknown SLA policy ${pid}` });
          else if (ids.indexOf(pid) !== i) errors.push({ path: ["ids", i], message: "listed twice" });
        });
        const missing = all.filter((p) => !ids.includes(p.id));
        if (missing.length)
          errors.push({
            path: ["ids"],
            message: `must list every policy; missing ${missing.map((p) => p.id).join(", ")}`,
          });
        if (errors.length) throw new AppError("validation_failed", "ids must list every SLA policy once", errors);
        const changed = ids.filter((pid, i) => all.find((p) => p.id === pid)!.position !== i);
        for (const pid of changed) {
          const position = ids.indexOf(pid);
          await trx.updateTable("sla_policies").set({ position, updated_at: now }).where("id", "=", pid).execute();
        }
        if (changed.length) await recompute.enqueue(trx, { kind: "all" }, now);
      });
      return (await findAll(db)).map(present);
    },
  };
}

export type PolicyService = ReturnType<typeof createPolicyService>;
