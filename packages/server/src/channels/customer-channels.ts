import type { TicketRow } from "../db/schema.ts";
import type { Executor } from "../tickets/ticket-events.ts";
import { enqueueCustomerEmail, type MailConfig, type TemplateKey, type TemplateVars } from "./mail/outbound.ts";

/** The ticket facts a customer notification needs, whatever the channel. */
export type NotifiedTicket = Pick<
  TicketRow,
  "id" | "number" | "subject" | "language" | "requester_id" | "group_id" | "tier" | "channel"
>;

/** One customer notification: which (a mail template key names the kind), its values, and its once-only occurrence. */
export interface CustomerNotice {
  ticket: NotifiedTicket;
  /** The kind: received, agent reply, waiting on you, solved (with the survey link), escalated, periodic update… */
  template: TemplateKey;
  vars: TemplateVars;
  now: Date;
  /** With the ticket and the kind, makes the notice idempotent (a repeat is skipped). */
  occurrence: string;
  config: MailConfig;
}

/**
 * Tells the customer of a ticket on one channel, inside the change's transaction (outbox rows
 * only: the relay delivers after the commit). Returns nothing; a channel that cannot reach the
 * customer decides itself whether to fall back to email.
 */
export type CustomerDeliverer = (trx: Executor, notice: CustomerNotice) => Promise<void>;

/** Email, as every channel without a deliverer of its own (email, web portal, phone, API). */
export const emailDeliverer: CustomerDeliverer = (trx, n) =>
  enqueueCustomerEmail(trx, n.ticket, n.template, n.vars, n.now, { occurrence: n.occurrence, config: n.config });

/**
 * The registration point, one per composition (`app.customerChannels`): channel → deliverer. A
 * channel without a deliverer of its own is told by email. WhatsApp registers itself when its part
 * is wired (channels/whatsapp); web chat registers `chat` the same way.
 */
export interface CustomerChannels {
  /** Registers (or replaces) the deliverer of a channel; returns a function that removes it again. */
  register(channel: string, deliver: CustomerDeliverer): () => void;
  /** The deliverer for a ticket's channel: its own if one is registered, email otherwise. */
  delivererFor(channel: string): CustomerDeliverer;
  /**
   * THE dispatch point of every customer notification (received, agent reply, waiting on you,
   * solved with the survey link, escalated, periodic update, request acknowledged): sent by the
   * ticket's channel — WhatsApp for a WhatsApp ticket, email for email, web and the others.
   */
  notify(trx: Executor, notice: CustomerNotice): Promise<void>;
}

export function createCustomerChannels(): CustomerChannels {
  const deliverers = new Map<string, CustomerDeliverer>();
  const delivererFor = (channel: string) => deliverers.get(channel) ?? emailDeliverer;
  return {
    register(channel, deliver) {
      deliverers.set(channel, deliver);
      return () => {
        if (deliverers.get(channel) === deliver) deliverers.delete(channel);
      };
    },
    delivererFor,
    notify: (trx, notice) => delivererFor(notice.ticket.channel)(trx, notice),
  };
}
