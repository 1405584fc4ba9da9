import type { WorkerName } from "../config.ts";
/**
 * Wires the SLA part (issue 3) into the composition: its routes, the ticket hook that keeps
 * clocks and timers, the timer handlers, the ticket's `sla` block, and the demo configuration.
 */
import type { Kysely, Transaction } from "kysely";
import { ALWAYS_OPEN, addBusinessMinutes, businessMinutesBetween } from "@eskala/core/calendar";
import type { DB, NewTicket, TicketRow } from "../db/schema.ts";
import type { BusinessMinutes, RequestResponseDue } from "../engine/escalation.service.ts";
import type { TicketLocker, TimerHandler } from "../engine/timers.ts";
import type { Services } from "../http/context.ts";
import type { TicketEventService } from "../tickets/ticket-event.service.ts";
import type { TicketHook } from "../tickets/ticket-hooks.ts";
import { createCalendarService } from "./calendar.service.ts";
import { SLA_TIMER_KINDS } from "./plan.ts";
import { createPolicyService } from "./policy.service.ts";
import { createPreviewService } from "./preview.ts";
import { createRecomputeService, RECOMPUTE_TIMER, type RecomputeFilter } from "./recompute.ts";
import { seedSlaDemo } from "./seed-sla-demo.ts";
import { presentSla } from "./sla-block.ts";
import { createSlaConfigCache } from "./sla-config.ts";
import { choosePolicy, createSlaEngine, type StoredSla } from "./sla-engine.ts";
import { readSegment } from "./sla.repo.ts";
import { slaRoutes } from "./sla.routes.ts";

export interface SlaWiring {
  addHook: (hook: TicketHook) => void;
  addWorker: (name: WorkerName, start: () => Promise<() => Promise<void>>) => void;
}

/**
 * What the SLA part uses of the composition: the shared services, timeline events, the timer kinds
 * and batch locker it provides, and the slots it fills for the engine and the channels.
 */
export interface SlaHost extends Pick<Services, "database" | "clock" | "config" | "extraRoutes" | "ticketExtras"> {
  events: TicketEventService;
  timerHandlers: Map<string, TimerHandler>;
  timerLocker?: TicketLocker;
  slaRequestDue?: RequestResponseDue;
  slaBusinessMinutes?: BusinessMinutes;
  slaNextUpdate?: (
    trx: Transaction<DB>,
    ticket: TicketRow,
    now: Date,
  ) => Promise<{ at: Date; timeZone: string } | null>;
  slaPolicyAtCreation?: (trx: Transaction<DB>, draft: NewTicket) => Promise<string | null | undefined>;
}

/** Several processes share PostgreSQL: another process's edit is seen within this long. */
const CONFIG_TTL_MS = 2_000;

const modules = new WeakMap<object, SlaModule>();

export type SlaModule = Awaited<ReturnType<typeof buildSla>>;

function buildSla(app: SlaHost) {
  const db = app.database.db;
  // One process owns an embedded database, so its own writes are the only ones: no TTL needed.
  const cache = createSlaConfigCache({ ttlMs: app.database.kind === "pglite" ? null : CONFIG_TTL_MS });
  const engine = createSlaEngine({ db, cache, events: app.events });
  const recompute = createRecomputeService({ db, engine, cache, clock: app.clock });
  const calendars = createCalendarService({ db, cache, recompute });
  const policies = createPolicyService({ db, cache, recompute });
  const preview = createPreviewService({ db });
  const hook: TicketHook = (trx, change) => engine.onChange(trx, change);

  /**
   * The customer-request response target of a ticket's policy: business minutes and the due
   * instant from `now` on the policy's calendar; null when the ticket's policy sets none.
   */
  async function customerRequestDue(
    trx: Kysely<DB> | Transaction<DB> | null,
    ticket: TicketRow,
    now: Date,
  ): Promise<{ minutes: number; dueAt: Date } | null> {
    // Without the caller's transaction the database may be busy with it (PGlite has one connection):
    // use the configuration at hand, which composeSla loads at start.
    const config = trx ? await cache.get(trx) : (cache.peek() ?? (await cache.get(db)));
    let policy = ticket.sla_policy_id ? (config.byId.get(ticket.sla_policy_id) ?? null) : null;
    if (!policy) {
      const segment =
        trx && config.usesSegments && ticket.organization_id ? await readSegment(trx, ticket.organization_id) : null;
      policy = choosePolicy(config, ticket, segment);
    }
    const minutes = policy?.customerRequestResponse;
    if (!policy || !minutes) return null;
    return { minutes, dueAt: addBusinessMinutes(policy.core.calendar ?? ALWAYS_OPEN, now, minutes) };
  }

  return { cache, engine, recompute, calendars, policies, preview, hook, customerRequestDue };
}

/** Registers the SLA part on the composition; returns its services for the parts that build on it. */
export async function composeSla(app: SlaHost, wiring: SlaWiring): Promise<SlaModule> {
  const sla = buildSla(app);
  wiring.addHook(sla.hook);
  for (const kind of SLA_TIMER_KINDS) app.timerHandlers.set(kind, sla.engine.fire);
  app.timerHandlers.set(RECOMPUTE_TIMER, sla.recompute.handler);
  app.timerLocker = sla.engine.lockForBatch;
  app.ticketExtras = {
    ...app.ticketExtras,
    // A second argument (the viewer) hides the policy name and tier budgets from customers.
    sla: async (
      ticketId: string,
      viewer?: { role: string },
      state?: { ledger: unknown; policy_id: string | null } | null,
    ) =>
      presentSla(
        await sla.engine.currentPlan(app.database.db, ticketId, app.clock.now(), state as StoredSla | null | undefined),
        viewer,
      ),
  };
  (app.extraRoutes ??= []).push(slaRoutes(sla));
  // A new ticket's policy, told before its insert when it needs no segment (the hook still plans
  // and corrects it): the row is then written once.
  app.slaPolicyAtCreation = async (trx, draft) => {
    const config = await sla.cache.get(trx);
    if (config.usesSegments && draft.organization_id) return undefined;
    // Policies match on priority, category, segment, channel and group: the draft has all of them.
    return choosePolicy(config, draft as unknown as TicketRow, null)?.core.id ?? null;
  };
  app.slaRequestDue = async (trx, ticket, now) => (await sla.customerRequestDue(trx, ticket, now))?.dueAt ?? null;
  // Time in a tier in business terms for an escalation's handoff: on the ticket's policy's calendar (none: wall time only).
  app.slaBusinessMinutes = async (trx, ticket, from, to) => {
    const policy = ticket.sla_policy_id ? (await sla.cache.get(trx)).byId.get(ticket.sla_policy_id) : undefined;
    return policy?.core.calendar ? businessMinutesBetween(policy.core.calendar, from, to) : null;
  };
  app.slaNextUpdate = (trx, ticket, now) => sla.engine.promisedUpdate(trx, ticket, now);
  modules.set(app, sla);
  if (app.config.ESKALA_DEMO && (await seedSlaDemo(app))) await recomputeOpenTickets(app, { kind: "all" });
  await sla.cache.get(app.database.db);
  return sla;
}

/** The SLA services composed on this app. */
export function slaOf(app: object): SlaModule {
  const sla = modules.get(app);
  if (!sla) throw new Error("composeSla has not run on this app");
  return sla;
}

/**
 * Recomputes open tickets now, batch by batch (all of them by default, or those under the given
 * policies), recording a job like the background recompute does. Returns the job and its count.
 */
export async function recomputeOpenTickets(
  app: object,
  filter: Partial<RecomputeFilter> = {},
  opts: { onProgress?: (done: number, total: number) => void } = {},
) {
  const kind = filter.kind ?? (filter.policyIds ? "policy" : "all");
  return slaOf(app).recompute.runToEnd({ ...filter, kind }, opts);
}
