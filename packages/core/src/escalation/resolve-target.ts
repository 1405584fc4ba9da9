import type { TicketFacts } from "../ticket/types.ts";
import type { EscalationPlace, EscalationTarget, EscalationType, OrgGroup, OrgStructure } from "./types.ts";

export type ResolvedTarget =
  | { ok: true; to: EscalationPlace; type: EscalationType }
  | { ok: false; code: "unknown_target" | "no_next_tier" | "same_level"; field: string };

const unknown = (field: string) => ({ ok: false, code: "unknown_target", field }) as const;

/** The group a ticket lands in when sent to `level`: the configured path first, then the first group of that tier. */
export function defaultGroupOfTier(org: OrgStructure, level: number): OrgGroup | undefined {
  const configured = org.defaultGroupByTier[level];
  const byPath = org.groups.find((g) => g.id === configured && g.kind === "tier" && g.tier_level === level);
  return byPath ?? org.groups.find((g) => g.kind === "tier" && g.tier_level === level);
}

function tierMoveType(from: number, to: number): EscalationType {
  if (to > from) return "hierarchical";
  return to < from ? "de_escalation" : "reassignment";
}

function toGroup(ticket: TicketFacts, group: OrgGroup): ResolvedTarget {
  if (group.id === ticket.groupId) return { ok: false, code: "same_level", field: "group_id" };
  if (group.kind === "department") {
    // A functional move keeps the ticket's tier: the department works at the level it arrived from.
    return { ok: true, type: "functional", to: { tier: ticket.tier, group_id: group.id, assignee_id: null } };
  }
  const tier = group.tier_level ?? ticket.tier;
  return { ok: true, type: tierMoveType(ticket.tier, tier), to: { tier, group_id: group.id, assignee_id: null } };
}

function toTier(ticket: TicketFacts, org: OrgStructure, tier: number | "next", groupId?: string): ResolvedTarget {
  const level = tier === "next" ? ticket.tier + 1 : tier;
  if (!org.tiers.some((t) => t.level === level)) {
    return tier === "next" ? { ok: false, code: "no_next_tier", field: "tier" } : unknown("tier");
  }
  if (groupId !== undefined) {
    const group = org.groups.find((g) => g.id === groupId);
    if (!group || group.kind !== "tier" || group.tier_level !== level) return unknown("group_id");
    return toGroup(ticket, group);
  }
  if (level === ticket.tier) return { ok: false, code: "same_level", field: "tier" };
  const group = defaultGroupOfTier(org, level);
  if (!group) return unknown("tier");
  return {
    ok: true,
    type: tierMoveType(ticket.tier, level),
    to: { tier: level, group_id: group.id, assignee_id: null },
  };
}

function toSupervisor(ticket: TicketFacts, org: OrgStructure, supervisor: true | string): ResolvedTarget {
  const own = org.groups.find((g) => g.id === ticket.groupId);
  let group: OrgGroup | undefined;
  let supervisorId: string | undefined;
  if (supervisor === true) {
    group = own;
    supervisorId = own?.supervisor_ids[0];
  } else {
    // Prefer the ticket's own group when the named supervisor leads it; otherwise the first group they lead.
    group = own?.supervisor_ids.includes(supervisor)
      ? own
      : org.groups.find((g) => g.supervisor_ids.includes(supervisor));
    supervisorId = group ? supervisor : undefined;
  }
  if (!group || supervisorId === undefined) return unknown("supervisor");
  if (ticket.assigneeId === supervisorId && ticket.groupId === group.id) {
    return { ok: false, code: "same_level", field: "supervisor" };
  }
  const tier = group.kind === "tier" ? (group.tier_level ?? ticket.tier) : ticket.tier;
  return { ok: true, type: "supervisor", to: { tier, group_id: group.id, assignee_id: supervisorId } };
}

/** Where a target leads from the ticket's current place, and the escalation type that move is. */
export function resolveTarget(ticket: TicketFacts, target: EscalationTarget, org: OrgStructure): ResolvedTarget {
  const { tier, group_id, department_id, supervisor } = target;
  const named = [tier !== undefined && group_id === undefined, group_id !== undefined, department_id !== undefined];
  const count = named.filter(Boolean).length + (supervisor !== undefined ? 1 : 0);
  if (count !== 1) return unknown("target");

  if (supervisor !== undefined) return toSupervisor(ticket, org, supervisor);
  if (tier !== undefined) {
    if (tier !== "next" && !Number.isInteger(tier)) return unknown("tier");
    return toTier(ticket, org, tier, group_id);
  }
  if (group_id !== undefined) {
    const group = org.groups.find((g) => g.id === group_id);
    return group ? toGroup(ticket, group) : unknown("group_id");
  }
  const department = org.groups.find((g) => g.id === department_id && g.kind === "department");
  return department ? toGroup(ticket, department) : unknown("department_id");
}
