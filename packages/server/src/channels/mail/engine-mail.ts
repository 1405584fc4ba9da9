import { MAIL_TEMPLATE_KEYS } from "@eskala/contracts";
import type { Logger } from "pino";
import type { EngineEffects } from "../../engine/effects.ts";
import {
  enqueueCustomerEmail,
  formatInstant,
  type MailConfig,
  type TemplateKey,
  type TemplateVars,
} from "./outbound.ts";

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const isTemplateKey = (k: string): k is TemplateKey => (MAIL_TEMPLATE_KEYS as readonly string[]).includes(k);

/**
 * The engine's `customerEmail` effect (escalated, periodic update, request acknowledged): instants
 * are written in the customer's language and `due_at` fills `{{response_due_at}}`.
 */
export function engineCustomerEmail(config: MailConfig, log: Logger): NonNullable<EngineEffects["customerEmail"]> {
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
    await enqueueCustomerEmail(trx, ticket, template, filled, now, { occurrence: occurrenceKey, config });
  };
}
