import type { TicketFacts } from "../ticket/types.ts";
import { evaluateRules } from "./evaluate-rules.ts";
import type { Rule, RuleAction, RuleEvent } from "./types.ts";

/** What applying one action did: the new ticket and the events it caused (e.g. `ticket.updated`). */
export interface ApplyResult {
  ticket: TicketFacts;
  events: RuleEvent[];
}

export interface ApplyContext {
  ruleId: string;
  ruleName: string;
  now: Date;
}

/** Pure function supplied by the caller: apply one action to a ticket. */
export type ApplyAction<R extends ApplyResult = ApplyResult> = (
  ticket: TicketFacts,
  action: RuleAction,
  context: ApplyContext,
) => R;

export interface ChainStep<R extends ApplyResult = ApplyResult> {
  ruleId: string;
  ruleName: string;
  occurrenceKey: string;
  /** 0 for rules fired by the initial event, 1 for rules fired by their effects, … */
  depth: number;
  /** The rules whose firings led to this one, oldest first (length = depth). */
  causedBy: string[];
  action: RuleAction;
  result: R;
}

export interface ChainStop {
  reason: "loop_detected" | "depth_exceeded";
  /** The rules on the offending path, in firing order (for a loop: from the repeated rule to its repeat). */
  ruleIds: string[];
}

export interface RuleChainResult<R extends ApplyResult = ApplyResult> {
  ticket: TicketFacts;
  steps: ChainStep<R>[];
  newFiredKeys: string[];
  /** Null when the chain ran out of events by itself. */
  stopped: ChainStop | null;
}

export interface RuleChainOptions {
  /** Longest chain of rule firings caused by one another. Default 10. */
  maxDepth?: number;
  /** The ticket before the initial event, when it is a `ticket.updated` (for fire-on-transition). */
  previousTicket?: TicketFacts;
}

interface Pending {
  event: RuleEvent;
  previousTicket: TicketFacts | undefined;
  /** Rules whose firing caused this event, oldest first. */
  path: string[];
}

/** One firing's events, with its `ticket.updated` events folded into one (a firing is one change). */
function foldEvents(events: readonly RuleEvent[]): RuleEvent[] {
  const firstUpdate = events.find((e) => e.type === "ticket.updated");
  return events.filter((e) => e.type !== "ticket.updated" || e === firstUpdate);
}

/**
 * Runs the rules for an event and then for every event their actions cause, breadth first. Stops with
 * `loop_detected` when a rule would fire again on an event its own firing caused, and with
 * `depth_exceeded` when a chain of firings grows beyond `maxDepth`; actions applied before the stop stand.
 * All rules that fire for one event are chosen before any of them acts; a firing's several
 * `ticket.updated` events count as one change.
 */
export function runRuleChain<R extends ApplyResult>(
  rules: readonly Rule[],
  initialEvent: RuleEvent,
  ticket: TicketFacts,
  now: Date,
  firedKeys: ReadonlySet<string>,
  applyAction: ApplyAction<R>,
  options: RuleChainOptions = {},
): RuleChainResult<R> {
  const maxDepth = options.maxDepth ?? 10;
  const known = new Set(firedKeys);
  const newFiredKeys: string[] = [];
  const steps: ChainStep<R>[] = [];
  const queue: Pending[] = [{ event: initialEvent, previousTicket: options.previousTicket, path: [] }];
  let current = ticket;

  for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
    const { firings } = evaluateRules(rules, item.event, current, now, known, item.previousTicket);
    for (const firing of firings) {
      const seenAt = item.path.indexOf(firing.ruleId);
      if (seenAt >= 0) {
        return {
          ticket: current,
          steps,
          newFiredKeys,
          stopped: { reason: "loop_detected", ruleIds: [...item.path.slice(seenAt), firing.ruleId] },
        };
      }
      if (item.path.length >= maxDepth) {
        return {
          ticket: current,
          steps,
          newFiredKeys,
          stopped: { reason: "depth_exceeded", ruleIds: [...item.path, firing.ruleId] },
        };
      }
      known.add(firing.key);
      newFiredKeys.push(firing.key);
      const before = current;
      const caused: RuleEvent[] = [];
      for (const action of firing.actions) {
        const result = applyAction(current, action, { ruleId: firing.ruleId, ruleName: firing.ruleName, now });
        steps.push({
          ruleId: firing.ruleId,
          ruleName: firing.ruleName,
          occurrenceKey: firing.occurrenceKey,
          depth: item.path.length,
          causedBy: item.path,
          action,
          result,
        });
        current = result.ticket;
        caused.push(...result.events);
      }
      for (const event of foldEvents(caused)) {
        queue.push({
          event,
          previousTicket: event.type === "ticket.updated" ? before : undefined,
          path: [...item.path, firing.ruleId],
        });
      }
    }
  }
  return { ticket: current, steps, newFiredKeys, stopped: null };
}
