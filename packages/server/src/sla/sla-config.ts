/**
 * The SLA configuration (policies with their calendars) every ticket change reads, cached per
 * process. Writes through this process invalidate it at once; with several processes on
 * PostgreSQL a short TTL bounds how long another process's edit goes unseen.
 */
import { sql, type Kysely, type Transaction } from "kysely";
import type { Calendar } from "@eskala/core/calendar";
import type { SlaPolicy } from "@eskala/core/sla";
import type { DB } from "../db/schema.ts";

type Executor = Kysely<DB> | Transaction<DB>;

export interface LoadedCalendar {
  id: string;
  name: string;
  /** Frozen and shared by every policy using it, so core compiles it once. */
  definition: Calendar;
  version: number;
}

export interface LoadedPolicy {
  core: SlaPolicy;
  enabled: boolean;
  version: number;
  calendarId: string | null;
  /** Business minutes without an agent reply before `ticket.idle`, or null. */
  idleMinutes: number | null;
  customerRequestResponse: number | null;
}

export interface SlaConfig {
  calendars: Map<string, LoadedCalendar>;
  /** Enabled policies, first match first. */
  policies: LoadedPolicy[];
  /** Every policy, disabled ones included (tickets keep showing the policy they were under). */
  byId: Map<string, LoadedPolicy>;
  /** Whether any enabled policy looks at the customer segment (else no lookup is needed). */
  usesSegments: boolean;
}

/** The stored JSON of a policy (`sla_policies.definition`). */
export interface PolicyDefinition {
  conditions: SlaPolicy["conditions"];
  pause_on_hold: boolean;
  targets: SlaPolicy["targets"];
  tier_budgets: Record<string, number>;
  ladder: SlaPolicy["ladder"];
  customer_request_response?: number | null;
  idle_minutes?: number | null;
}

const deepFreeze = <T>(v: T): T => {
  if (v && typeof v === "object") {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
};

export function createSlaConfigCache(opts: { ttlMs: number | null }) {
  let current: SlaConfig | null = null;
  /** The last configuration loaded, kept across invalidation for callers without a transaction. */
  let last: SlaConfig | null = null;
  let loadedAt = 0;
  let generation = 0;

  async function load(db: Executor): Promise<SlaConfig> {
    const started = generation;
    // One after the other: inside a transaction both run on the caller's single connection.
    const cals = await db.selectFrom("calendars").select(["id", "name", "definition", "version"]).execute();
    const pols = await db
      .selectFrom("sla_policies")
      .select(["id", "name", "position", "enabled", "calendar_id", "definition", "version"])
      .orderBy("position")
      .orderBy(sql`id`)
      .execute();
    const previous = current?.calendars;
    const calendars = new Map<string, LoadedCalendar>();
    for (const c of cals) {
      const kept = previous?.get(c.id);
      calendars.set(
        c.id,
        kept && kept.version === c.version
          ? { ...kept, name: c.name }
          : { id: c.id, name: c.name, version: c.version, definition: deepFreeze(c.definition as unknown as Calendar) },
      );
    }
    const byId = new Map<string, LoadedPolicy>();
    const policies: LoadedPolicy[] = [];
    for (const p of pols) {
      const d = p.definition as unknown as PolicyDefinition;
      const loaded: LoadedPolicy = {
        core: {
          id: p.id,
          name: p.name,
          position: p.position,
          conditions: d.conditions ?? {},
          calendar: p.calendar_id ? (calendars.get(p.calendar_id)?.definition ?? null) : null,
          pause_on_hold: d.pause_on_hold,
          targets: d.targets,
          tier_budgets: d.tier_budgets ?? {},
          ladder: d.ladder ?? [],
          ...(d.customer_request_response ? { customer_request_response: d.customer_request_response } : {}),
        },
        enabled: p.enabled,
        version: p.version,
        calendarId: p.calendar_id,
        idleMinutes: d.idle_minutes ?? null,
        customerRequestResponse: d.customer_request_response ?? null,
      };
      byId.set(p.id, loaded);
      if (p.enabled) policies.push(loaded);
    }
    const config: SlaConfig = {
      calendars,
      policies,
      byId,
      usesSegments: policies.some((p) => (p.core.conditions.segments?.length ?? 0) > 0),
    };
    // A write that happened while loading wins: keep the result only if nothing was invalidated meanwhile.
    last = config;
    if (started === generation) {
      current = config;
      loadedAt = performance.now();
    }
    return config;
  }

  return {
    /**
     * The configuration, read through the caller's executor when stale. Never shared between
     * callers: a transaction waiting on a load that needs another pool connection could exhaust
     * the pool (every connection held by a transaction waiting for the load).
     */
    async get(db: Executor): Promise<SlaConfig> {
      if (current && (opts.ttlMs === null || performance.now() - loadedAt < opts.ttlMs)) return current;
      return load(db);
    },
    /** Fresh from the database, bypassing the cache (recompute jobs, after writes). */
    reload: (db: Executor) => {
      generation++;
      return load(db);
    },
    /** The last loaded configuration, possibly one edit old (null before the first load). */
    peek: () => current ?? last,
    invalidate() {
      generation++;
      current = null;
    },
  };
}

export type SlaConfigCache = ReturnType<typeof createSlaConfigCache>;
