import type { Kysely } from "kysely";
import { detectRuleLoops, dryRun, validateRule, type Rule } from "@eskala/core/rules";
import type { Actor } from "../auth/actor.ts";
import { audited } from "../audit/audit.repo.ts";
import type { DB } from "../db/schema.ts";
import type { Clock } from "../lib/clock.ts";
import { AppError, forbidden, notFound } from "../lib/app-error.ts";
import { ticketFacts, type OrgCache } from "./org-cache.ts";
import type { Executor } from "../tickets/ticket-events.ts";

/** "conditions.all[0].op" → ["conditions", "all", 0, "op"] */
export function toPath(path: string): (string | number)[] {
  return path
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

type RuleRow = {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
  event: string;
  definition: unknown;
  created_at: Date;
  updated_at: Date;
};

const present = (r: RuleRow) => {
  const def = r.definition as { conditions: Rule["conditions"]; actions: Rule["actions"] };
  return {
    id: r.id,
    name: r.name,
    position: r.position,
    enabled: r.enabled,
    event: r.event,
    conditions: def.conditions,
    actions: def.actions,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
};

export type RulesService = ReturnType<typeof createRulesService>;

/** Escalation rules: admin CRUD with validation and loop checks, an in-process cache, and the dry run. */
export function createRulesService(deps: { db: Kysely<DB>; clock: Clock; org: OrgCache }, ttlMs = 2_000) {
  const { db } = deps;
  let cache: { rules: Rule[]; at: number } | null = null;

  const requireAdmin = (actor: Actor) => {
    if (actor.role !== "admin") throw forbidden("Admins manage escalation rules");
  };

  async function all(executor: Executor = db): Promise<Rule[]> {
    const rows = await executor.selectFrom("escalation_rules").selectAll().orderBy("position").orderBy("id").execute();
    return rows.map((r) => ({ ...present(r), event: r.event as Rule["event"] }));
  }

  /** Validates one rule and the set it would make; certain loops are refused with 422. */
  async function check(input: unknown, replacingId?: string): Promise<Rule> {
    const result = validateRule({ ...(input as object), id: replacingId ?? "new-rule" });
    if (!result.ok)
      throw new AppError(
        "validation_failed",
        "The rule is not valid",
        result.errors.map((e) => ({ path: toPath(e.path), message: e.message })),
      );
    const rule = { ...result.rule, id: replacingId ?? "new-rule" };
    const others = (await all()).filter((r) => r.id !== replacingId);
    const loops = detectRuleLoops([...others, rule].filter((r) => r.enabled)).filter(
      (i) => i.severity === "error" && i.ruleIds.includes(rule.id),
    );
    if (loops.length)
      throw new AppError(
        "validation_failed",
        `The rule would loop: ${loops[0]!.message}`,
        loops.map((l) => ({ path: ["actions"], message: l.message })),
      );
    return rule;
  }

  return {
    /** The enabled rules, cached briefly per process. */
    async enabled(executor?: Executor): Promise<Rule[]> {
      const now = deps.clock.now().getTime();
      if (!cache || now - cache.at > ttlMs) cache = { rules: (await all(executor)).filter((r) => r.enabled), at: now };
      return cache.rules;
    },

    async list(actor: Actor) {
      if (actor.role === "customer") throw forbidden("Staff only");
      return (await db.selectFrom("escalation_rules").selectAll().orderBy("position").orderBy("id").execute()).map(
        present,
      );
    },

    async get(actor: Actor, id: string) {
      if (actor.role === "customer") throw forbidden("Staff only");
      const row = await db.selectFrom("escalation_rules").selectAll().where("id", "=", id).executeTakeFirst();
      if (!row) throw notFound("rule");
      return present(row);
    },

    async create(actor: Actor, input: Record<string, unknown>) {
      requireAdmin(actor);
      const max = await db
        .selectFrom("escalation_rules")
        .select((eb) => eb.fn.max("position").as("p"))
        .executeTakeFirst();
      const rule = await check({ position: (Number(max?.p ?? -1) || 0) + 1, enabled: true, conditions: {}, ...input });
      const row = await audited(db, actor, deps.clock.now(), (trx) =>
        trx
          .insertInto("escalation_rules")
          .values({
            name: rule.name,
            position: rule.position,
            enabled: rule.enabled,
            event: rule.event,
            definition: JSON.stringify({ conditions: rule.conditions, actions: rule.actions }),
          })
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
      cache = null;
      return present(row);
    },

    async update(actor: Actor, id: string, input: Record<string, unknown>) {
      requireAdmin(actor);
      const current = await db.selectFrom("escalation_rules").selectAll().where("id", "=", id).executeTakeFirst();
      if (!current) throw notFound("rule");
      const { id: _ignored, created_at: _c, updated_at: _u, ...base } = present(current);
      const rule = await check({ ...base, ...input }, id);
      const row = await audited(db, actor, deps.clock.now(), (trx) =>
        trx
          .updateTable("escalation_rules")
          .set({
            name: rule.name,
            position: rule.position,
            enabled: rule.enabled,
            event: rule.event,
            definition: JSON.stringify({ conditions: rule.conditions, actions: rule.actions }),
            updated_at: deps.clock.now(),
          })
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
      cache = null;
      return present(row);
    },

    async remove(actor: Actor, id: string) {
      requireAdmin(actor);
      const res = await audited(db, actor, deps.clock.now(), (trx) =>
        trx.deleteFrom("escalation_rules").where("id", "=", id).executeTakeFirst(),
      );
      if (!res.numDeletedRows) throw notFound("rule");
      cache = null;
    },

    /** What the rule would do to current open tickets (conditions only for time-based events). */
    async dryRun(actor: Actor, id: string, limit = 500) {
      if (actor.role === "customer" || actor.role === "agent") throw forbidden("Supervisors and admins run dry runs");
      const rule = (await all()).find((r) => r.id === id);
      if (!rule) throw notFound("rule");
      const snapshot = await deps.org.get();
      const rows = await db
        .selectFrom("tickets")
        .selectAll()
        .where("status", "in", ["new", "open", "pending", "on_hold"])
        .orderBy("created_at", "desc")
        .limit(limit)
        .execute();
      const result = dryRun(
        rule,
        rows.map((r) => ticketFacts(r, snapshot)),
        deps.clock.now(),
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      return {
        mode: result.mode,
        evaluated: rows.length,
        matched: result.matchedCount,
        items: result.tickets
          .filter((t) => t.matches)
          .map((t) => ({
            ticket: { id: t.ticketId, number: t.ticketNumber, subject: byId.get(t.ticketId)!.subject },
            actions: t.actions,
          })),
      };
    },
  };
}
