import { sql } from "kysely";
import { pickAgent, type RoutingAgent } from "@eskala/core/routing";
import type { TicketRow } from "../db/schema.ts";
import type { Executor } from "../tickets/ticket-events.ts";
import type { OrgSnapshot } from "./org-cache.ts";

export type RouteResult =
  { assigned: string } | { waiting: "no_agent_available" } | { missingSkill: true } | { skipped: true };

/** The agents of a group with what routing needs: presence, capacity, open load, skills, languages. */
export async function loadRoutingAgents(db: Executor, groupId: string): Promise<RoutingAgent[]> {
  const rows = await db
    .selectFrom("group_members as gm")
    .innerJoin("agent_profiles as p", "p.user_id", "gm.user_id")
    .innerJoin("users as u", "u.id", "gm.user_id")
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
  // The round-robin mark. Another change assigning to the same agent right now holds the row until
  // it commits and writes about the same instant: skip it rather than queue every change behind it.
  await sql`
    update agent_profiles set last_assigned_at = ${now}
    where user_id = (select user_id from agent_profiles where user_id = ${picked.agentId} for no key update skip locked)`.execute(trx);
  return { assigned: picked.agentId };
}
