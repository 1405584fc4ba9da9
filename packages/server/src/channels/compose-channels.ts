import type { WorkerName } from "../config.ts";
import pino from "pino";
import type { Composition } from "../compose.ts";
import type { TicketHook } from "../tickets/ticket-hooks.ts";
import { channelsHook } from "./channel-hooks.ts";
import { createCsatService, type RecordTicketEvents } from "./csat/csat.service.ts";
import { csatRoutes } from "./csat/csat.routes.ts";
import { integrationRoutes } from "./integrations/integrations.routes.ts";
import { createLinksService } from "./integrations/links.service.ts";
import { seedChannelsDemo } from "./kb/kb-demo.ts";
import { kbRoutes } from "./kb/kb.routes.ts";
import { createKbService } from "./kb/kb.service.ts";
import type { EscalationRequestsApi, InboundDeps } from "./mail/inbound.ts";
import { engineCustomerEmail, type NextUpdate } from "./mail/engine-mail.ts";
import { mailIntakeWorker } from "./mail/mail-intake.ts";
import { mailTemplateRoutes } from "./mail/mail-templates.routes.ts";
import { composeImap } from "./imap/compose-imap.ts";
import { ensureSecret } from "./settings.ts";
import { createCustomerChannels } from "./customer-channels.ts";
import { composeWhatsapp } from "./whatsapp/compose-whatsapp.ts";

/**
 * Wires the channels part (email intake and outbound mail, knowledge base, satisfaction surveys,
 * engineering links) into the composition: its routes, its ticket hooks and its workers.
 */
export async function composeChannels(app: Composition, wiring: ChannelWiring): Promise<void> {
  const { db } = app.database;
  const log = pino({ level: app.config.LOG_LEVEL }).child({ part: "channels" });
  const secret = await ensureSecret(db, app.config);
  const recordEvents: RecordTicketEvents = (actor, ticketId, events, now, opts) =>
    app.events.record(actor, ticketId, events, now, opts);

  const kb = createKbService({ db });
  const csat = createCsatService({ db, config: app.config, recordEvents });
  const links = createLinksService({ db, config: app.config, recordEvents });
  app.extraRoutes ??= [];
  app.extraRoutes.push(kbRoutes(kb), csatRoutes(csat), integrationRoutes(links, recordEvents), mailTemplateRoutes);

  // The next update the SLA clocks promise, for the mails that tell the customer (escalated, periodic update).
  const nextUpdate: NextUpdate = async (trx, t, now) => (app.slaNextUpdate ? app.slaNextUpdate(trx, t, now) : null);
  // Customer notices go by the ticket's channel: each channel part registers its deliverer here (email is the fallback).
  const customerChannels = (app.customerChannels ??= createCustomerChannels());
  // WhatsApp Business: its hook records an inbound message before the channels hook tells the customer.
  composeWhatsapp(app, wiring, customerChannels, log);
  wiring.addHook(channelsHook(app.config, nextUpdate, customerChannels));
  // The engine's customer mails (escalated, periodic update, request acknowledged) go out through the templates here.
  if (app.engine) app.engine.effects.customerEmail = engineCustomerEmail(app.config, log, nextUpdate, customerChannels);

  const inboundDeps: InboundDeps = {
    tickets: app.tickets,
    messages: app.messages,
    auth: app.auth,
    database: app.database,
    clock: app.clock,
    config: app.config,
    get escalationRequests() {
      return escalationRequests(app);
    },
    get dns() {
      return app.mailDns;
    },
  };
  wiring.addWorker("mail", mailIntakeWorker(app, inboundDeps, secret, log));
  composeImap(app, wiring, inboundDeps, secret, log);

  if (app.config.ESKALA_DEMO) {
    const n = await seedChannelsDemo(app);
    if (n) log.info({ articles: n }, "seeded the demo help center");
  }
}

/** A customer's "eskalasi" by mail becomes the engine's escalation request, when the engine is wired. */
function escalationRequests(app: Composition): EscalationRequestsApi | undefined {
  const engine = app.engine;
  if (!engine) return undefined;
  return {
    create: (actor, ticketId, body, now) =>
      engine.escalations.request(
        actor,
        ticketId,
        body,
        now,
        async (trx, t, at) => (await app.slaRequestDue?.(trx, t, at)) ?? null,
      ),
  };
}

export interface ChannelWiring {
  /** Add a ticket hook that runs inside each ticket change's transaction. */
  addHook: (hook: TicketHook) => void;
  /** Add a background worker: start() is called by `serve`/`worker`, the returned function stops it. */
  addWorker: (name: WorkerName, start: () => Promise<() => Promise<void>>) => void;
}
