import type { TicketFacts } from "../ticket/types.ts";
import { conditionHolds, hasConditions } from "./conditions.ts";
import type { Condition, Rule, RuleAction } from "./types.ts";

export interface RuleLoopIssue {
  /** `error`: the rules will re-trigger each other on every run — the set should be rejected (422). */
  severity: "error" | "warning";
  code: "self_trigger" | "cycle" | "possible_cycle" | "refire_guarded";
  ruleIds: string[];
  message: string;
}

/** What a rule's actions do to the ticket fields conditions can look at; "?" = changed to an unknown value. */
interface Effects {
  fields: Map<string, string | number | null | "?">;
  added: Set<string>;
  removed: Set<string>;
}

const UNKNOWN = "?";

function changesTicket(action: RuleAction): boolean {
  return action.type !== "notify" && action.type !== "internal_note";
}

function effectsOf(actions: readonly RuleAction[]): Effects {
  const effects: Effects = { fields: new Map(), added: new Set(), removed: new Set() };
  for (const action of actions) {
    if (action.type === "set_priority") effects.fields.set("priority", action.priority);
    if (action.type === "assign")
      effects.fields.set("assignee_id", action.agent_id === "auto" ? UNKNOWN : action.agent_id);
    if (action.type === "add_tag") {
      effects.added.add(action.tag.toLowerCase());
      effects.removed.delete(action.tag.toLowerCase());
    }
    if (action.type === "remove_tag") {
      effects.removed.add(action.tag.toLowerCase());
      effects.added.delete(action.tag.toLowerCase());
    }
    if (action.type === "escalate") {
      const to = action.to;
      effects.fields.set("tier", "tier" in to && to.tier !== "next" ? to.tier : UNKNOWN);
      effects.fields.set(
        "group_id",
        "group_id" in to ? to.group_id : "department_id" in to ? to.department_id : UNKNOWN,
      );
      effects.fields.set("assignee_id", "supervisor" in to ? UNKNOWN : null);
    }
  }
  return effects;
}

type Verdict = "satisfied" | "violated" | "unknown" | "unaffected";

const PROBE: TicketFacts = {
  id: "",
  number: 0,
  status: "open",
  priority: "medium",
  channel: "email",
  tier: 0,
  groupId: null,
  assigneeId: null,
  requesterId: "",
  organizationId: null,
  segment: null,
  categoryId: null,
  tags: [],
  language: "en",
  subject: "",
  createdAt: new Date(0),
};

/** What a rule's effects do to one condition of another rule. */
function verdict(condition: Condition, effects: Effects): Verdict {
  if (condition.field === "tags") {
    const tags = (Array.isArray(condition.value) ? condition.value : [condition.value]).map((t) =>
      String(t).toLowerCase(),
    );
    const added = tags.some((t) => effects.added.has(t));
    const removed = tags.some((t) => effects.removed.has(t));
    if (condition.op === "is_not") return removed ? "satisfied" : added ? "violated" : "unaffected";
    if (added) return "satisfied";
    return removed && tags.length === 1 ? "violated" : "unaffected";
  }
  const value = effects.fields.get(condition.field);
  if (value === undefined) return "unaffected";
  if (value === UNKNOWN) return "unknown";
  const key = { priority: "priority", tier: "tier", group_id: "groupId", assignee_id: "assigneeId" }[
    condition.field as string
  ];
  if (!key) return "unaffected";
  return conditionHolds(condition, { ...PROBE, [key]: value }, null) ? "satisfied" : "violated";
}

type Edge = "none" | "possible" | "certain";

/** Whether `from`'s actions can make `to` (a `ticket.updated` rule) fire. */
function edge(from: Rule, to: Rule): Edge {
  if (!from.actions.some(changesTicket)) return "none";
  if (!hasConditions(to.conditions)) return "certain";
  const effects = effectsOf(from.actions);
  const all = (to.conditions.all ?? []).map((c) => verdict(c, effects));
  const any = (to.conditions.any ?? []).map((c) => verdict(c, effects));
  if (all.includes("violated") || (any.length > 0 && any.every((v) => v === "violated"))) return "none";
  if (![...all, ...any].some((v) => v === "satisfied" || v === "unknown")) return "none";
  const certain = all.every((v) => v === "satisfied") && (any.length === 0 || any.includes("satisfied"));
  return certain ? "certain" : "possible";
}

/** Whether a rule's own actions leave its conditions true (so only fire-on-transition stops a refire). */
function keepsOwnConditions(rule: Rule): boolean {
  const effects = effectsOf(rule.actions);
  const all = (rule.conditions.all ?? []).map((c) => verdict(c, effects));
  const any = (rule.conditions.any ?? []).map((c) => verdict(c, effects));
  return !all.includes("violated") && !(any.length > 0 && any.every((v) => v === "violated"));
}

/** Strongly connected groups of two or more rules (Tarjan), each in rule order. */
function cycles(ids: readonly string[], next: (id: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of next(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) group.push(w);
      if (group.length > 1) found.push(ids.filter((id) => group.includes(id)));
    }
  };
  for (const id of ids) if (!index.has(id)) visit(id);
  return found;
}

/**
 * Static check of enabled rules for chains that would re-trigger themselves through `ticket.updated`:
 * an unconditional update rule that changes the ticket (error), rules that re-trigger each other in a
 * cycle (error when certain, warning when only possible), and rules that would refire on their own
 * update were it not for fire-on-transition (warning: add a condition their action makes false).
 */
export function detectRuleLoops(rules: readonly Rule[]): RuleLoopIssue[] {
  const active = rules.filter((r) => r.enabled);
  const updateRules = active.filter((r) => r.event === "ticket.updated");
  const issues: RuleLoopIssue[] = [];

  for (const rule of updateRules) {
    if (!rule.actions.some(changesTicket)) continue;
    if (!hasConditions(rule.conditions)) {
      issues.push({
        severity: "error",
        code: "self_trigger",
        ruleIds: [rule.id],
        message: `"${rule.name}" runs on every ticket update and changes the ticket, so it re-triggers itself; add a condition its actions make false (e.g. tags is_not <tag>).`,
      });
    } else if (keepsOwnConditions(rule)) {
      issues.push({
        severity: "warning",
        code: "refire_guarded",
        ruleIds: [rule.id],
        message: `"${rule.name}" leaves its own conditions true after acting; it fires only when they become true, but a condition such as tags is_not <tag> makes that explicit.`,
      });
    }
  }

  const byId = new Map(active.map((r) => [r.id, r]));
  const edges = (kinds: readonly Edge[]) => (id: string) =>
    updateRules.filter((to) => to.id !== id && kinds.includes(edge(byId.get(id)!, to))).map((to) => to.id);
  const ids = active.map((r) => r.id);
  const certain = cycles(ids, edges(["certain"]));
  for (const group of certain) {
    issues.push({
      severity: "error",
      code: "cycle",
      ruleIds: group,
      message: `rules ${group.join(", ")} re-trigger each other in a loop.`,
    });
  }
  for (const group of cycles(ids, edges(["certain", "possible"]))) {
    if (certain.some((c) => c.every((id) => group.includes(id)) && c.length === group.length)) continue;
    issues.push({
      severity: "warning",
      code: "possible_cycle",
      ruleIds: group,
      message: `rules ${group.join(", ")} may re-trigger each other; the chain guard will stop them at run time.`,
    });
  }
  return issues;
}
