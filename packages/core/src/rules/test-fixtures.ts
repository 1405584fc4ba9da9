import type { TicketFacts } from "../ticket/types.ts";
import type { ApplyResult } from "./rule-chain.ts";
import type { Rule, RuleAction } from "./types.ts";

export const NOW = new Date("2026-03-02T03:00:00Z");

export function makeTicket(overrides: Partial<TicketFacts> = {}): TicketFacts {
  return {
    id: "tk1",
    number: 1001,
    status: "open",
    priority: "medium",
    channel: "email",
    tier: 1,
    groupId: "t1",
    assigneeId: "a1",
    requesterId: "c1",
    organizationId: "org1",
    segment: "vip",
    categoryId: "billing",
    tags: ["invoice"],
    language: "id",
    subject: "Tagihan dobel bulan Maret",
    createdAt: new Date("2026-03-01T01:00:00Z"),
    ...overrides,
  };
}

export function makeRule(overrides: Partial<Rule> & Pick<Rule, "id">): Rule {
  return {
    name: `Rule ${overrides.id}`,
    position: 0,
    enabled: true,
    event: "ticket.updated",
    conditions: {},
    actions: [{ type: "add_tag", tag: "x" }],
    ...overrides,
  };
}

function changed(ticket: TicketFacts, next: TicketFacts): ApplyResult {
  if (JSON.stringify(ticket) === JSON.stringify(next)) return { ticket, events: [] };
  const key = `ticket.updated:${next.priority}:${next.tier}:${next.groupId}:${next.assigneeId}:${next.tags.join(",")}`;
  return { ticket: next, events: [{ type: "ticket.updated", occurrenceKey: key }] };
}

/** A tiny pure applier standing in for the server's: ticket changes produce one `ticket.updated`. */
export function applySimple(ticket: TicketFacts, action: RuleAction): ApplyResult {
  switch (action.type) {
    case "set_priority":
      return changed(ticket, { ...ticket, priority: action.priority });
    case "add_tag":
      return changed(ticket, {
        ...ticket,
        tags: ticket.tags.includes(action.tag) ? ticket.tags : [...ticket.tags, action.tag],
      });
    case "remove_tag":
      return changed(ticket, { ...ticket, tags: ticket.tags.filter((t) => t !== action.tag) });
    case "assign":
      return changed(ticket, { ...ticket, assigneeId: action.agent_id });
    case "escalate": {
      const to = action.to;
      const tier = "tier" in to ? (to.tier === "next" ? ticket.tier + 1 : to.tier) : ticket.tier;
      return changed(ticket, { ...ticket, tier, groupId: `t${tier}`, assigneeId: null });
    }
    default:
      return { ticket, events: [] };
  }
}
