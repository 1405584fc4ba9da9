import type { Transaction } from "kysely";
import type { DB, TicketRow } from "../db/schema.ts";

/**
 * What the engine asks other parts to do inside its transaction: customer email (channels),
 * in-app notifications and webhooks (notify). Wired in compose; a missing one is skipped.
 */
export interface EngineEffects {
  customerEmail?: (
    trx: Transaction<DB>,
    ticket: TicketRow,
    template: string,
    vars: Record<string, string>,
    occurrenceKey: string,
    now: Date,
  ) => Promise<void>;
  notify?: (
    trx: Transaction<DB>,
    n: {
      userIds: string[];
      kind: string;
      title: string;
      body: string;
      /** What the web app words in the viewer's language (notify/fan-out.ts). */
      params?: Record<string, string | number | null>;
      ticketId: string;
      key: string;
      now: Date;
    },
  ) => Promise<void>;
  webhook?: (
    trx: Transaction<DB>,
    event: string,
    body: Record<string, unknown>,
    opts: { ticketId: string; key: string; now: Date },
  ) => Promise<void>;
}
