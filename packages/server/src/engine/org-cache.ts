import type { Kysely } from "kysely";
import type { OrgStructure } from "@eskala/core/escalation";
import type { SkillRequirement } from "@eskala/core/routing";
import type { TicketFacts } from "@eskala/core";
import type { DB, TicketRow } from "../db/schema.ts";
import type { Clock } from "../lib/clock.ts";
import type { Executor } from "../tickets/ticket-events.ts";

export interface OrgSnapshot {
  structure: OrgStructure;
  categorySkills: Record<string, SkillRequirement>;
  segments: Map<string, string | null>;
  tierNames: Map<number, string>;
  groupNames: Map<string, string>;
}

/**
 * Tiers, groups, categories and organization segments change rarely and are read by every
 * decision, so each process keeps a snapshot for a couple of seconds (several processes share
 * one database, so a short TTL bounds staleness without cross-process invalidation).
 */
export function createOrgCache(deps: { db: Kysely<DB>; clock: Clock }, ttlMs = 2_000) {
  let snapshot: OrgSnapshot | null = null;
  let loadedAt = 0;
  let loading: Promise<OrgSnapshot> | null = null;

  async function load(db: Executor): Promise<OrgSnapshot> {
    const [tiers, groups, sups, categories, orgs] = await Promise.all([
      db.selectFrom("tiers").select(["level", "name"]).orderBy("level").execute(),
      db.selectFrom("groups").select(["id", "name", "kind", "tier_level", "is_default"]).execute(),
      db.selectFrom("group_supervisors").select(["group_id", "user_id"]).orderBy("position").execute(),
      db.selectFrom("categories").select(["id", "skill", "skill_level"]).execute(),
      db.selectFrom("organizations").select(["id", "segment"]).execute(),
    ]);
    const defaultGroupByTier: Record<number, string> = {};
    for (const g of groups)
      if (g.kind === "tier" && g.is_default && g.tier_level !== null) defaultGroupByTier[g.tier_level] = g.id;
    return {
      structure: {
        tiers,
        groups: groups.map((g) => ({
          id: g.id,
          name: g.name,
          kind: g.kind,
          tier_level: g.tier_level,
          supervisor_ids: sups.filter((s) => s.group_id === g.id).map((s) => s.user_id),
        })),
        defaultGroupByTier,
      },
      categorySkills: Object.fromEntries(
        categories.filter((c) => c.skill).map((c) => [c.id, { skill: c.skill!, minLevel: c.skill_level }]),
      ),
      segments: new Map(orgs.map((o) => [o.id, o.segment])),
      tierNames: new Map(tiers.map((t) => [t.level, t.name])),
      groupNames: new Map(groups.map((g) => [g.id, g.name])),
    };
  }

  return {
    /**
     * The snapshot; pass the running transaction when inside one (the embedded database has a
     * single connection, so a query outside the transaction would wait for it forever).
     */
    async get(executor?: Executor): Promise<OrgSnapshot> {
      const now = deps.clock.now().getTime();
      if (snapshot && now - loadedAt < ttlMs) return snapshot;
      if (executor) {
        snapshot = await load(executor);
        loadedAt = deps.clock.now().getTime();
        return snapshot;
      }
      loading ??= load(deps.db).then((s) => {
        snapshot = s;
        loadedAt = deps.clock.now().getTime();
        loading = null;
        return s;
      });
      return loading;
    },
    /** Drops the snapshot after a configuration change made by this process. */
    invalidate() {
      snapshot = null;
    },
  };
}

export type OrgCache = ReturnType<typeof createOrgCache>;

/**
 * The group a new ticket lands in when none is given: the default group of the lowest tier above 0
 * that has one (as `defaultEntryGroup` reads it from the database).
 */
export function entryGroup(org: OrgSnapshot): { id: string; tier_level: number } | undefined {
  const byTier = org.structure.defaultGroupByTier;
  const tier = Object.keys(byTier)
    .map(Number)
    .filter((level) => level >= 1)
    .sort((a, b) => a - b)[0];
  return tier === undefined ? undefined : { id: byTier[tier]!, tier_level: tier };
}

/** The ticket as core's decisions see it. */
export function ticketFacts(t: TicketRow, org: OrgSnapshot): TicketFacts {
  return {
    id: t.id,
    number: t.number,
    status: t.status,
    priority: t.priority,
    channel: t.channel,
    tier: t.tier,
    groupId: t.group_id,
    assigneeId: t.assignee_id,
    requesterId: t.requester_id,
    organizationId: t.organization_id,
    segment: t.organization_id ? (org.segments.get(t.organization_id) ?? null) : null,
    categoryId: t.category_id,
    tags: t.tags,
    language: t.language,
    subject: t.subject,
    createdAt: t.created_at,
  };
}
