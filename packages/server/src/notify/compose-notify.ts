import type { WorkerName } from "../config.ts";
import pino from "pino";
import { isCredentialLive } from "../auth/session-end.ts";
import type { Services } from "../http/context.ts";
import { emailHandler } from "../outbox/deliver-email.ts";
import { notificationHandler } from "../outbox/deliver-notification.ts";
import { webhookHandler } from "../outbox/deliver-webhook.ts";
import { whatsappHandler } from "../channels/whatsapp/deliver.ts";
import { createOutboundGuard, type ResolveAll } from "../outbox/outbound-guard.ts";
import { createOutboxRelay, type OutboxRelay, type RelayOptions } from "../outbox/relay.ts";
import type { TicketHook } from "../tickets/ticket-hooks.ts";
import { createLiveHub } from "./live-hub.ts";
import { liveTicketHook } from "./live-hook.ts";
import { createNotificationService } from "./notifications.service.ts";
import { notifyRoutes } from "./notify.routes.ts";
import { createPresenceTracker, presenceRoutes, trackPresence } from "./presence.ts";
import { streamRoutes } from "./stream.routes.ts";
import { createWebhookService } from "./webhooks.service.ts";

export interface NotifyWiring {
  /** Add a ticket hook that runs inside each ticket change's transaction. */
  addHook: (hook: TicketHook) => void;
  /** Add a background worker: start() is called by `serve`/`worker`, the returned function stops it. */
  addWorker: (name: WorkerName, start: () => Promise<() => Promise<void>>) => void;
}

/** What the notify part uses of the composition: the shared services and whether the deadlines are behind. */
export interface NotifyHost extends Pick<Services, "config" | "database" | "clock" | "auth" | "extraRoutes"> {
  /** True while this process's deadline worker is catching up (the relay gives way). */
  timersBehind?: () => boolean;
}

/**
 * Wires notifications into the composition: the outbox relay (email, webhooks, in-app), the
 * webhook and notification routes, and the live stream with the ticket hook that feeds it.
 */
export async function composeNotify(app: NotifyHost, wiring: NotifyWiring): Promise<void> {
  const log = pino({ level: app.config.LOG_LEVEL }).child({ part: "notify" });
  const hub = createLiveHub(app.database, (err) => log.warn({ err }, "live signal dropped"));
  // PGlite's LISTEN runs on its one connection: take it now, while no request's transaction is open.
  if (app.database.kind === "pglite") await hub.listen();
  wiring.addHook(liveTicketHook());
  // Access that ended or changed in any process also ends this process's cached token sign-ins.
  await hub.watch((signal) => signal.t === "session_end" && app.auth.forgetTokens());
  // Who views or replies to which ticket, heard from every process (collision detection).
  const presence = createPresenceTracker(app.clock);
  await trackPresence(hub, presence);

  const webhooks = createWebhookService({
    db: app.database.db,
    guard: createOutboundGuard({ allow: app.config.ESKALA_WEBHOOK_ALLOW }),
  });
  const notifications = createNotificationService({ db: app.database.db });
  app.extraRoutes ??= [];
  app.extraRoutes.push((api) => {
    notifyRoutes(api, app, { webhooks, notifications });
    streamRoutes(api, hub, { isLive: (c) => isCredentialLive(app.database.db, c, app.clock.now()) });
    presenceRoutes(api, { database: app.database, clock: app.clock, tracker: presence });
    // The open streams, for health checks and tests: `app.liveHub.size`.
    api.decorate("liveHub", hub);
    api.addHook("onClose", async () => hub.stop());
  });

  wiring.addWorker("outbox", async () => {
    const relay = createNotifyRelay(app, {
      // Deadlines first: while the timers of this process catch up (a 09:00 opening), deliver slowly.
      giveWayWhile: () => app.timersBehind?.() ?? false,
      // A burst's deliveries in four lanes on PostgreSQL (the embedded database has one connection).
      concurrency: app.database.kind === "postgres" ? 4 : 1,
      onError: (err, row) => log.error({ err, outbox_id: row?.id }, "outbox relay error"),
      onRecorded: (row, status, outcome) =>
        outcome.ok
          ? undefined
          : log.warn({ outbox_id: row.id, kind: row.kind, status, error: outcome.error }, "delivery failed"),
    });
    await relay.start();
    return () => relay.stop();
  });
}

/** The relay with Eskala's delivery kinds; tests build their own around a test clock. */
export function createNotifyRelay(
  app: Pick<Services, "database" | "clock" | "config">,
  opts: RelayOptions & { webhookTimeoutMs?: number; resolve?: ResolveAll } = {},
): OutboxRelay {
  return createOutboxRelay(
    {
      database: app.database,
      clock: app.clock,
      handlers: {
        email: emailHandler(app.config),
        webhook: webhookHandler({
          db: app.database.db,
          now: () => app.clock.now(),
          guard: createOutboundGuard({
            allow: app.config.ESKALA_WEBHOOK_ALLOW,
            ...(opts.resolve ? { resolve: opts.resolve } : {}),
          }),
          ...(opts.webhookTimeoutMs ? { timeoutMs: opts.webhookTimeoutMs } : {}),
        }),
        notification: notificationHandler(),
        // WhatsApp Cloud API calls; media files only from public addresses or the API's own host.
        whatsapp: whatsappHandler({
          config: app.config,
          guard: createOutboundGuard({
            allow: [app.config.ESKALA_WEBHOOK_ALLOW, new URL(app.config.ESKALA_WHATSAPP_API_URL).hostname].join(","),
            ...(opts.resolve ? { resolve: opts.resolve } : {}),
          }),
        }),
      },
    },
    opts,
  );
}
