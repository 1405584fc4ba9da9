import { sql, type Transaction } from "kysely";
import { defer, isDeferred, type DeferredFlush } from "../db/deferred.ts";
import { pickAgent, type RoutingAgent } from "@eskala/core/routing";
import type { DB, TicketRow } from "../db/schema.ts";
import type { Executor } from "../tickets/ticket-events.ts";
import { writeDeferredTicketUpdates } from "../tickets/ticket.repo.ts";
import type { OrgSnapshot } from "./org-cache.ts";

export type RouteResult =
  { assigned: string } | { waiting: "no_agent_available" } | { missingSkill: true } | { skipped: true };

/**
 * Per deferring transaction (a group of creations, a timer batch: db/deferred.ts), each group's
 * agents as first read, with the loads this transaction's own routing added since: many tickets
 * routed into one group cost one read, and each sees the assignments made before it.
 */
const readInTransaction = new WeakMap<object, Map<string, RoutingAgent[]>>();

/**
 * Forgets what this transaction read of the agents: after a change of assignee that routing did
 * not make (a rule's assign, an escalation to a person), the next routing reads the loads afresh.
 */
export function forgetRoutingAgents(trx: Executor): void {
  readInTransaction.delete(trx);
}

interface MarkRow {
  user_id: string;
  at: Date;
}

/**
 * The round-robin marks of a deferring transaction, in one statement. Another change assigning to
 * the same agent right now holds the row until it commits and writes about the same instant: skip
 * it rather than queue every change behind it.
 */
const flushMarks: DeferredFlush<MarkRow> = async (trx, rows) => {
  const last = new Map<string, string>();
  for (const r of rows) last.set(r.user_id, new Date(r.at).toISOString());
  await sql`
    update agent_profiles p set last_assigned_at = m.at
    from (select * from unnest(${[...last.keys()]}::uuid[], ${[...last.values()]}::timestamptz[]) as m(user_id, at)) m
    where p.user_id = m.user_id
      and p.user_id in (select user_id from agent_profiles where user_id = any(${[...last.keys()]}::uuid[]) for no key update skip locked)`.execute(
    trx,
  );
};

/**
 * The agents routing may give a group's tickets to (its members; for a tier's group, those of that
 * tier) with what routing needs: presence, capacity, open load, skills, languages.
 */
export async function loadRoutingAgents(db: Executor, groupId: string): Promise<RoutingAgent[]> {
  if (!isDeferred(db)) return readRoutingAgents(db, groupId);
  const groups = readInTransaction.get(db) ?? new Map<string, RoutingAgent[]>();
  readInTransaction.set(db, groups);
  let agents = groups.get(groupId);
  if (!agents) groups.set(groupId, (agents = await readRoutingAgents(db, groupId)));
  return agents;
}

async function readRoutingAgents(db: Executor, groupId: string): Promise<RoutingAgent[]> {
  await writeDeferredTicketUpdates(db); // the loads count this transaction's assignments
  const rows = await db
    .selectFrom("group_members as gm")
    .innerJoin("agent_profiles as p", "p.user_id", "gm.user_id")
    .innerJoin("users as u", "u.id", "gm.user_id")
    .innerJoin("groups as g", "g.id", "gm.group_id")
    .select([
      "p.user_id",
      "p.presence",
      "p.capacity",
      "p.languages",
      "p.last_assigned_at",
      sql<number>`(select count(*)::int from tickets t where t.assignee_id = p.user_id and t.status in ('new','open','pending','on_hold'))`.as(
        "open_count",
      ),
      sql<
        { skill: string; level: number }[]
      >`coalesce((select json_agg(json_build_object('skill', s.skill, 'level', s.level)) from agent_skills s where s.user_id = p.user_id), '[]'::json)`.as(
        "skills",
      ),
    ])
    .where("gm.group_id", "=", groupId)
    .where("u.disabled", "=", false)
    // A tier's group routes to agents of that tier only: membership is where an admin made someone
    // an agent, and a supervisor of another tier who is listed there does not take its tickets.
    .where((eb) =>
      eb.or([eb("g.kind", "!=", "tier"), eb("g.tier_level", "is", null), eb("p.tier", "=", eb.ref("g.tier_level"))]),
    )
    .execute();
  return rows.map((r) => ({
    id: r.user_id,
    groupIds: [groupId],
    presence: r.presence,
    capacity: r.capacity,
    openAssignedCount: r.open_count,
    skills: r.skills,
    languages: r.languages as ("id" | "en")[],
    lastAssignedAt: r.last_assigned_at,
  }));
}

/**
 * Assigns an unassigned ticket within its group to an available agent with the needed skill and
 * language, lowest load first (round-robin among equals). Writes the assignment and its timeline
 * event in the caller's transaction.
 */
export async function routeTicket(
  trx: Executor,
  ticket: TicketRow,
  org: OrgSnapshot,
  now: Date,
  opts: { excludeAgentIds?: string[] } = {},
): Promise<RouteResult> {
  if (!ticket.group_id || ticket.assignee_id || ticket.status === "solved" || ticket.status === "closed")
    return { skipped: true };
  const agents = await loadRoutingAgents(trx, ticket.group_id);
  const picked = pickAgent({
    agents,
    groupId: ticket.group_id,
    categoryId: ticket.category_id,
    language: ticket.language,
    categorySkills: org.categorySkills,
    ...(opts.excludeAgentIds ? { excludeAgentIds: opts.excludeAgentIds } : {}),
  });
  if (!picked.ok)
    return picked.reason === "no_skill_in_tier" ? { missingSkill: true } : { waiting: "no_agent_available" };
  // This transaction's later routing sees the assignment (an agent is in every group's list it belongs to).
  for (const agents of readInTransaction.get(trx)?.values() ?? [])
    for (const a of agents)
      if (a.id === picked.agentId) {
        a.openAssignedCount += 1;
        a.lastAssignedAt = now;
      }
  if (defer(trx, flushMarks, { user_id: picked.agentId, at: now })) return { assigned: picked.agentId };
  // The round-robin mark. Another change assigning to the same agent right now holds the row until
  // it commits and writes about the same instant: skip it rather than queue every change behind it.
  await sql`
    update agent_profiles set last_assigned_at = ${now}
    where user_id = (select user_id from agent_profiles where user_id = ${picked.agentId} for no key update skip locked)`.execute(
    trx,
  );
  return { assigned: picked.agentId };
}

/**
 * Gives an agent who can take more (just came online, got more capacity, or solved a ticket) the
 * tickets waiting unassigned in their groups that they fit (skill, language), most urgent and then
 * oldest first, until they are at capacity. Each assignment is a change of its own ticket: the
 * `assigned` event and the hooks (live updates), in the caller's transaction. Returns the ids.
 */
export async function fillAgent(
  trx: Transaction<DB>,
  agentId: string,
  org: OrgSnapshot,
  now: Date,
  assign: (ticket: TicketRow) => Promise<void>,
): Promise<string[]> {
  const assigned: string[] = [];
  const groups = await trx.selectFrom("group_members").select("group_id").where("user_id", "=", agentId).execute();
  for (const { group_id: groupId } of groups) {
    const me = (await readRoutingAgents(trx, groupId)).find((a) => a.id === agentId);
    if (!me || me.presence !== "online") return assigned;
    const room = me.capacity - me.openAssignedCount;
    if (room <= 0) return assigned;
    // Tickets another change holds are left for it; a few more than the room, as some may not fit.
    await writeDeferredTicketUpdates(trx);
    const waiting = await trx
      .selectFrom("tickets")
      .selectAll()
      .where("group_id", "=", groupId)
      .where("assignee_id", "is", null)
      .where("status", "in", ["new", "open"])
      .orderBy("priority_rank", "desc")
      .orderBy("created_at")
      .limit(room * 2 + 5)
      .forNoKeyUpdate()
      .skipLocked()
      .execute();
    for (const ticket of waiting) {
      if (me.openAssignedCount >= me.capacity) break;
      const picked = pickAgent({
        agents: [me],
        groupId,
        categoryId: ticket.category_id,
        language: ticket.language,
        categorySkills: org.categorySkills,
      });
      if (!picked.ok) continue;
      await assign(ticket);
      me.openAssignedCount += 1;
      assigned.push(ticket.id);
    }
  }
  if (assigned.length > 0)
    await sql`update agent_profiles set last_assigned_at = ${now} where user_id = ${agentId}`.execute(trx);
  return assigned;
}
