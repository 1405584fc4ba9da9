import { MAIL_TEMPLATE_KEYS } from "@eskala/contracts";
import type { Transaction } from "kysely";
import { customerTierLabel } from "@eskala/core/escalation";
import type { Logger } from "pino";
import type { DB, TicketRow } from "../../db/schema.ts";
import type { EngineEffects } from "../../engine/effects.ts";
import { createCustomerChannels, type CustomerChannels } from "../customer-channels.ts";
import { formatInstant, type MailConfig, type TemplateKey, type TemplateVars } from "./outbound.ts";

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const isTemplateKey = (k: string): k is TemplateKey => (MAIL_TEMPLATE_KEYS as readonly string[]).includes(k);

/** The next update the SLA clocks promise the customer, and the zone to write it in (null: no promise). */
export type NextUpdate = (
  trx: Transaction<DB>,
  ticket: TicketRow,
  now: Date,
) => Promise<{ at: Date; timeZone: string } | null>;

/** Templates that tell the customer when they will hear from us next. */
const PROMISING = new Set<TemplateKey>(["ticket.escalated", "ticket.periodic_update"]);

const STILL_WORKING = {
  id: "Kami masih mengerjakannya dan akan mengabari Anda begitu ada perkembangan.",
  en: "We are still working on it and will tell you as soon as there is progress.",
};

/**
 * What a periodic update says, whoever sends it (the channels by default, or an admin's rule): who
 * has the ticket in customer-safe words (a level, never a group's name), that work goes on, and
 * the next update's time.
 */
export async function periodicUpdateVars(
  nextUpdate: NextUpdate | undefined,
  trx: Transaction<DB>,
  ticket: TicketRow,
  now: Date,
): Promise<TemplateVars> {
  const lang = ticket.language === "en" ? "en" : "id";
  return {
    tier_name: customerTierLabel(ticket.tier, lang),
    update_text: STILL_WORKING[lang],
    next_update_at: nextUpdate ? await nextUpdateText(nextUpdate, trx, ticket, now) : "",
  };
}

/** `{{next_update_at}}` in the customer's language and the policy's zone; empty (the line is left out) without a promise. */
export async function nextUpdateText(
  nextUpdate: NextUpdate,
  trx: Transaction<DB>,
  ticket: TicketRow,
  now: Date,
): Promise<string> {
  const promise = await nextUpdate(trx, ticket, now);
  return promise ? formatInstant(promise.at, ticket.language === "en" ? "en" : "id", promise.timeZone) : "";
}

/**
 * The engine's `customerEmail` effect (escalated, periodic update, request acknowledged), sent by
 * the ticket's channel: instants
 * are written in the customer's language, `due_at` fills `{{response_due_at}}`, and the next
 * update promised by the SLA clocks fills `{{next_update_at}}`.
 */
export function engineCustomerEmail(
  config: MailConfig,
  log: Logger,
  nextUpdate?: NextUpdate,
  channels: CustomerChannels = createCustomerChannels(),
): NonNullable<EngineEffects["customerEmail"]> {
  return async (trx, ticket, template, vars, occurrenceKey, now) => {
    if (!isTemplateKey(template)) {
      log.warn({ template }, "no such customer email template; nothing sent");
      return;
    }
    const lang = ticket.language === "en" ? "en" : "id";
    const filled: TemplateVars = {};
    for (const [key, value] of Object.entries(vars))
      filled[key] = ISO_INSTANT.test(value) ? formatInstant(new Date(value), lang) : value;
    if (filled.due_at && !filled.response_due_at) filled.response_due_at = filled.due_at;
    if (template === "ticket.periodic_update")
      for (const [key, value] of Object.entries(await periodicUpdateVars(nextUpdate, trx, ticket, now)))
        filled[key] ||= value;
    else if (PROMISING.has(template) && !filled.next_update_at && nextUpdate)
      filled.next_update_at = await nextUpdateText(nextUpdate, trx, ticket, now);
    // By the ticket's channel (customer-channels.ts): WhatsApp, chat… or email.
    await channels.notify(trx, { ticket, template, vars: filled, now, occurrence: occurrenceKey, config });
  };
}
