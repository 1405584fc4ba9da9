import type { Language, Presence } from "../ticket/types.ts";

export interface AgentSkill {
  skill: string;
  level: number;
}

/** What routing needs to know about an agent (PRODUCT.md §6). */
export interface RoutingAgent {
  id: string;
  groupIds: readonly string[];
  presence: Presence;
  /** Maximum open tickets assigned at once. */
  capacity: number;
  /** Open (not solved/closed) tickets currently assigned. */
  openAssignedCount: number;
  skills: readonly AgentSkill[];
  languages: readonly Language[];
  /** When the agent last received a ticket by routing; null = never (goes first among equals). */
  lastAssignedAt: Date | null;
}

/** The skill a category needs; `minLevel` absent = any level. */
export interface SkillRequirement {
  skill: string;
  minLevel?: number;
}

export interface PickAgentInput {
  agents: readonly RoutingAgent[];
  /** The group the ticket is routed to (a tier's group or a department). */
  groupId: string;
  categoryId: string | null;
  language: Language;
  /** Category id → the skill it needs. A category without an entry needs no skill. */
  categorySkills: Readonly<Record<string, SkillRequirement>>;
  /** Agents never to pick, e.g. the one the ticket is being escalated away from. */
  excludeAgentIds?: readonly string[];
}

export type PickAgentResult =
  | { ok: true; agentId: string; reason: "lowest_load" | "round_robin" }
  | { ok: false; reason: "no_agent_available" | "no_skill_in_tier" };

/** Whether the agent has the skill at the level required (true when nothing is required). */
export function hasRequiredSkill(agent: RoutingAgent, requirement: SkillRequirement | undefined): boolean {
  if (!requirement) return true;
  return agent.skills.some((s) => s.skill === requirement.skill && s.level >= (requirement.minLevel ?? 0));
}

/** Whether the agent can take one more ticket right now: online and below capacity. */
export function isAvailable(agent: RoutingAgent): boolean {
  return agent.presence === "online" && agent.openAssignedCount < agent.capacity;
}

/** Oldest assignment first (never-assigned before all), then id order: the round-robin turn. */
function byTurn(a: RoutingAgent, b: RoutingAgent): number {
  const at = a.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  const bt = b.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  if (at !== bt) return at < bt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Picks the agent of the target group who gets the ticket: online, below capacity, skilled and speaking
 * the customer's language, with the lowest open load; ties go round-robin (oldest `lastAssignedAt`, then id).
 * `no_skill_in_tier` when no member of the group has the skill at all (the caller escalates for
 * `missing_skill`); `no_agent_available` when some do but none can take it now (the ticket waits in the queue).
 */
export function pickAgent(input: PickAgentInput): PickAgentResult {
  const excluded = new Set(input.excludeAgentIds ?? []);
  const requirement = input.categoryId === null ? undefined : input.categorySkills[input.categoryId];
  const members = input.agents.filter((a) => a.groupIds.includes(input.groupId) && !excluded.has(a.id));
  const skilled = members.filter((a) => hasRequiredSkill(a, requirement));
  if (requirement && skilled.length === 0) return { ok: false, reason: "no_skill_in_tier" };

  const candidates = skilled.filter((a) => isAvailable(a) && a.languages.includes(input.language));
  if (candidates.length === 0) return { ok: false, reason: "no_agent_available" };

  const minLoad = Math.min(...candidates.map((a) => a.openAssignedCount));
  const tied = candidates.filter((a) => a.openAssignedCount === minLoad).sort(byTurn);
  const chosen = tied[0];
  if (!chosen) return { ok: false, reason: "no_agent_available" };
  return { ok: true, agentId: chosen.id, reason: tied.length > 1 ? "round_robin" : "lowest_load" };
}
