import type { Transaction } from "kysely";
import type { Config } from "../config.ts";
import type { DB } from "../db/schema.ts";
import type { TicketChange, TicketHook } from "../tickets/ticket-hooks.ts";
import { createSurvey } from "./csat/csat.service.ts";
import { enqueueWebhookEvent } from "../notify/fan-out.ts";
import { webhookTicket } from "./integrations/webhooks.ts";
import { recordInboundMail } from "./mail/inbound-context.ts";
import type { TemplateKey, TemplateVars } from "./mail/outbound.ts";
import { createCustomerChannels, type CustomerChannels } from "./customer-channels.ts";
import { periodicUpdateVars, type NextUpdate } from "./mail/engine-mail.ts";

/** Channels a customer writes in from, whose new tickets are acknowledged (by the channel's own way: customer-channels.ts). */
const ACKNOWLEDGED_CHANNELS = new Set(["email", "web", "whatsapp"]);
/** A message stamped this far before `now` is an import: nobody is told about it. */
const IMPORT_SLACK_MS = 60_000;
const DONE = new Set(["solved", "closed"]);
/** The tier whose arrival tells the engineering webhooks. */
export const ENGINEERING_TIER = 3;

/**
 * The channels' reaction to every ticket change, in its transaction: record the inbound mail that
 * caused it, tell the customer by the ticket's channel (received, agent reply, waiting on you, solved with a survey, the
 * periodic update the SLA promises while escalated), open a survey per solve, and call the
 * engineering webhooks when a ticket reaches tier 3.
 */
export function channelsHook(
  config: Config,
  nextUpdate?: NextUpdate,
  channels: CustomerChannels = createCustomerChannels(),
): TicketHook {
  return async (trx, change) => {
    await recordInboundMail(trx, change);
    if (isImport(change)) return;
    const { ticket, previous, now } = change;
    // Every customer notice goes by the ticket's channel (WhatsApp, chat…), email otherwise.
    const mail = (template: TemplateKey, vars: TemplateVars, occurrence: string) =>
      channels.notify(trx, { ticket, template, vars, now, occurrence, config });

    if (!previous) {
      if (ACKNOWLEDGED_CHANNELS.has(ticket.channel)) await mail("ticket.received", {}, "created");
      return;
    }
    const reply =
      change.message && change.message.kind === "reply" && change.message.authorRole !== "customer"
        ? change.message
        : null;
    const replyVars = reply ? { reply_text: reply.body, agent_name: await authorName(trx, reply.id) } : {};
    const statusEvent = change.events.find(
      (e) => e.type === "ticket.updated" && (e.data?.changes as Record<string, unknown> | undefined)?.status,
    );
    if (ticket.status === "solved" && previous.status !== "solved") {
      const survey = await createSurvey(trx, ticket, now, config);
      await mail("ticket.solved", { ...replyVars, survey_url: survey.url }, survey.id);
    } else if (ticket.status === "pending" && previous.status !== "pending") {
      await mail("ticket.waiting", replyVars, `event-${statusEvent?.id ?? now.getTime()}`);
    } else if (reply) {
      await mail("agent.reply", replyVars, reply.id);
    }

    // The policy's periodic update came due (its timer fired once): tell the customer who has the
    // ticket, as a level, and when they hear from us next. One mail per period: keyed by the period's
    // event as a rule's customer mail on it is (engine.hook), so a rule sending it too adds nothing.
    const periodic = change.events.find((e) => e.type === "sla.breached" && e.data?.target === "periodic_update");
    if (periodic && !DONE.has(ticket.status))
      await mail(
        "ticket.periodic_update",
        await periodicUpdateVars(nextUpdate, trx, ticket, now),
        `periodic-ev:${periodic.id}`,
      );

    if (ticket.tier >= ENGINEERING_TIER && previous.tier < ENGINEERING_TIER) {
      await enqueueWebhookEvent(
        trx,
        "ticket.tier3_reached",
        { ticket: webhookTicket(ticket, config), from_tier: previous.tier },
        { key: `${ticket.id}:${ticket.version}`, ticketId: ticket.id, now },
      );
    }
  };
}

function isImport(change: TicketChange): boolean {
  if (change.events.some((e) => e.type === "ticket.imported")) return true;
  const added = change.events.find((e) => e.type === "message.added");
  return added !== undefined && added.at.getTime() < change.now.getTime() - IMPORT_SLACK_MS;
}

async function authorName(trx: Transaction<DB>, messageId: string): Promise<string> {
  const row = await trx
    .selectFrom("messages as m")
    .leftJoin("users as u", "u.id", "m.author_id")
    .select("u.name")
    .where("m.id", "=", messageId)
    .executeTakeFirst();
  return row?.name ?? "";
}
