import type { Transaction } from "kysely";
import type { EscalationReason, EscalationTarget, EscalationType } from "@eskala/core/escalation";
import type { RuleEvent } from "@eskala/core/rules";
import type { DB, TicketRow } from "../db/schema.ts";

export interface EscalateInput {
  to: EscalationTarget;
  type?: EscalationType | undefined;
  reason: EscalationReason;
  reason_text?: string | null | undefined;
  note?: string | null | undefined;
}

/** How an escalation was caused, for the record and the timeline. */
export interface EscalationCause {
  trigger: "agent" | "rule" | "sla_timer" | "customer";
  ruleId?: string;
  ruleName?: string;
  depth?: number;
  /** The rule event that fired (a rule's or a deadline's move), for the handoff's "why". */
  event?: RuleEvent;
  /** A customer's request: their reason and own words, for the handoff's "why". */
  request?: { reason: string; text: string | null };
}

/** Business minutes between two instants on the ticket's SLA calendar; null when none applies. */
export type BusinessMinutes = (trx: Transaction<DB>, ticket: TicketRow, from: Date, to: Date) => Promise<number | null>;

/** When a customer's escalation request made at `now` must be answered (the SLA policy's target in business time); null: no target. */
export type RequestResponseDue = (trx: Transaction<DB>, ticket: TicketRow, now: Date) => Promise<Date | null>;
