import type { TicketFacts } from "../ticket/types.ts";
import type { OrgStructure } from "./types.ts";

/** A three-tier organisation with a billing department, shared by the escalation tests. */
export const ORG: OrgStructure = {
  tiers: [
    { level: 1, name: "Tier 1" },
    { level: 2, name: "Tier 2" },
    { level: 3, name: "Tier 3" },
  ],
  groups: [
    { id: "t1", kind: "tier", tier_level: 1, supervisor_ids: ["s1", "s1b"], name: "Frontline" },
    { id: "t1b", kind: "tier", tier_level: 1, supervisor_ids: [], name: "Frontline night" },
    { id: "t2", kind: "tier", tier_level: 2, supervisor_ids: ["s2"], name: "Technical" },
    { id: "t2b", kind: "tier", tier_level: 2, supervisor_ids: [], name: "Technical mobile" },
    { id: "t3", kind: "tier", tier_level: 3, supervisor_ids: ["s3"], name: "Experts" },
    { id: "billing", kind: "department", tier_level: null, supervisor_ids: ["sb"], name: "Billing" },
  ],
  defaultGroupByTier: { 1: "t1", 2: "t2", 3: "t3" },
};

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
    organizationId: null,
    segment: null,
    categoryId: null,
    tags: [],
    language: "id",
    subject: "Tidak bisa login",
    createdAt: new Date("2026-03-02T01:00:00Z"),
    ...overrides,
  };
}
