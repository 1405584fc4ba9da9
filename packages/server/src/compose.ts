import type { Config, WorkerName } from "./config.ts";
import { openDatabase, type Database } from "./db/database.ts";
import { migrate } from "./db/migrate.ts";
import { createAuthService } from "./auth/auth.service.ts";
import { createTicketService } from "./tickets/ticket.service.ts";
import { defaultEntryGroup } from "./tickets/ticket-refs.ts";
import { createMessageService } from "./tickets/message.service.ts";
import { createTimelineService } from "./tickets/timeline.service.ts";
import { createUserService } from "./admin/users.service.ts";
import { createOrgService } from "./admin/org.service.ts";
import type { TicketHook } from "./tickets/ticket-hooks.ts";
import type { Services } from "./http/context.ts";
import { systemClock, type Clock } from "./lib/clock.ts";
import { composeChannels } from "./channels/compose-channels.ts";
import { composeChat } from "./channels/chat/compose-chat.ts";
import type { DnsResolver } from "./channels/mail/sender-auth.ts";
import { composeSla } from "./sla/compose-sla.ts";
import { composeNotify } from "./notify/compose-notify.ts";
import { auditRoutes } from "./audit/audit.routes.ts";
import { reportsRoutes } from "./reports/reports.routes.ts";
import { patternRoutes } from "./reports/patterns.routes.ts";
import { composeWorkspace } from "./macros/compose-workspace.ts";
import { composeProblems } from "./problems/compose-problems.ts";
import { agentToolsRoutes } from "./tickets/agent-tools.routes.ts";
import { createTicketEventService, type TicketEventService } from "./tickets/ticket-event.service.ts";
import { createTimerWorker, type TicketLocker, type TimerHandler } from "./engine/timers.ts";
import { composeEngine } from "./engine/compose-engine.ts";
import type { BusinessMinutes, RequestResponseDue } from "./engine/escalation.service.ts";
import { entryGroup } from "./engine/org-cache.ts";
import type { DB, NewTicket, TicketRow } from "./db/schema.ts";
import type { Transaction } from "kysely";
import type { CustomerChannels } from "./channels/customer-channels.ts";

export interface Composition extends Services {
  /** Records non-edit timeline events (SLA warnings, breaches, ratings) and runs the hooks. */
  events: TicketEventService;
  /** The hooks every ticket change runs in its transaction, in order. */
  hooks: TicketHook[];
  /** Timer kinds and what firing one does; the timer worker dispatches on these. */
  timerHandlers: Map<string, TimerHandler>;
  /** How the timer worker locks a batch's tickets (the SLA part reads what its handler needs with the lock). */
  timerLocker?: TicketLocker;
  /** Scores customer messages (negative = unhappy); set by the engine. */
  scoreSentiment?: (text: string) => number | null;
  /** When a customer escalation request made now must be answered: the ticket's SLA policy target, in business time. */
  slaRequestDue?: RequestResponseDue;
  /** Business minutes between two instants on the ticket's SLA calendar (null: no calendar), for escalation handoffs. */
  slaBusinessMinutes?: BusinessMinutes;
  /** The next update the customer was promised (SLA clocks) and the zone to write it in; null: none. */
  slaNextUpdate?: (
    trx: Transaction<DB>,
    ticket: TicketRow,
    now: Date,
  ) => Promise<{ at: Date; timeZone: string } | null>;
  /** The SLA policy a new ticket gets, when it can be told before the insert (undefined: the hook decides). */
  slaPolicyAtCreation?: (trx: Transaction<DB>, draft: NewTicket) => Promise<string | null | undefined>;
  engine?: ReturnType<typeof composeEngine>;
  /** True while this process's deadline worker is catching up on a backlog (the relay gives way). */
  timersBehind?: () => boolean;
  /** Customer notices by the ticket's channel (channels/customer-channels.ts): channel parts register their deliverer. */
  customerChannels?: CustomerChannels;
  /** DNS the mail intake verifies senders with (SPF, DKIM, DMARC); the system's when unset (tests set a fake). */
  mailDns?: DnsResolver;
  /** Background loops (timers, outbox relay, mail listener) started by `serve` or `worker`. */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The composition root: opens the database, applies migrations, and wires every service with
 * exactly the dependencies it uses. main.ts and the tests both build the app through here.
 */
export async function compose(config: Config, opts: { clock?: Clock; database?: Database } = {}): Promise<Composition> {
  const clock = opts.clock ?? systemClock;
  const database =
    opts.database ??
    (await openDatabase({
      url: config.DATABASE_URL,
      dataDir: config.ESKALA_DATA_DIR,
      // Each timer lane holds a connection while it fires a batch; leave room for requests and the relay.
      poolSize: Math.max(config.ESKALA_PG_POOL_SIZE, config.ESKALA_TIMER_CONCURRENCY + 4),
    }));
  await migrate(database.db);
  const { db } = database;

  const hooks: TicketHook[] = [];
  const workers: { name: WorkerName; start: () => Promise<() => Promise<void>> }[] = [];
  const stops: (() => Promise<void>)[] = [];
  const auth = createAuthService({ db });
  if (config.ESKALA_ADMIN_TOKEN) await auth.ensureAdminToken(config.ESKALA_ADMIN_TOKEN);

  const services: Composition = {
    config,
    database,
    clock,
    auth,
    tickets: createTicketService({
      db,
      hooks,
      // From the org cache when the engine is there: one query less a creation.
      entryGroup: async (trx) =>
        services.engine ? entryGroup(await services.engine.org.get(trx)) : defaultEntryGroup(trx),
      initialPolicy: async (trx, draft) => services.slaPolicyAtCreation?.(trx, draft),
    }),
    messages: createMessageService({ db, hooks, scoreSentiment: (text) => services.scoreSentiment?.(text) ?? null }),
    timeline: createTimelineService({ db }),
    users: createUserService({
      db,
      onAgentChanged: async (trx, userId) => services.engine?.fillAgent(trx, userId, services.clock.now()),
    }),
    events: createTicketEventService({ db, hooks }),
    hooks,
    timerHandlers: new Map(),
    org: createOrgService({ db, onChange: () => services.engine?.org.invalidate() }),
    extraRoutes: [],
    async startWorkers() {
      // Only the kinds this process is told to run: a deployment may give the relay its own process.
      for (const w of workers) if (config.ESKALA_WORKERS.includes(w.name)) stops.push(await w.start());
    },
    async close() {
      for (const stop of stops.reverse()) await stop();
      if (!opts.database) await database.close();
    },
  };
  const wiring = {
    addHook: (h: TicketHook) => void hooks.push(h),
    addWorker: (name: WorkerName, start: (typeof workers)[number]["start"]) => void workers.push({ name, start }),
  };
  // --- engine wiring (SLA clocks, escalation rules, routing, timers, outbox relay) goes here
  wiring.addWorker("timers", async () => {
    const worker = createTimerWorker(
      {
        database,
        clock,
        handlers: services.timerHandlers,
        ...(services.timerLocker ? { lockTickets: services.timerLocker } : {}),
      },
      {
        concurrency: database.kind === "postgres" ? config.ESKALA_TIMER_CONCURRENCY : 1,
        batchSize: config.ESKALA_TIMER_BATCH,
      },
    );
    await worker.start();
    services.timersBehind = worker.behind;
    return () => {
      services.timersBehind = undefined;
      return worker.stop();
    };
  });
  services.engine = composeEngine(services, wiring);
  await composeNotify(services, wiring);
  await composeSla(services, wiring);
  await composeChannels(services, wiring);
  // The web chat widget: tier-0 bot, handover to a chat ticket, live both ways.
  await composeChat(services);
  services.extraRoutes!.push(auditRoutes);
  // The escalation review's reports and CSV exports.
  services.extraRoutes!.push(reportsRoutes);
  // Recurring problems and training needs (the escalation review).
  services.extraRoutes!.push(patternRoutes);
  // Macros, saved views and bulk changes.
  composeWorkspace(services);
  composeProblems(services, wiring);
  // The customer panel's summary and attachments' listing and downloads.
  services.extraRoutes!.push(agentToolsRoutes);
  return services;
}
