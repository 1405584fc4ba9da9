import type { Services } from "../http/context.ts";
import type { TimerHandler } from "../engine/timers.ts";
import type { TicketEventService } from "../tickets/ticket-event.service.ts";
import type { WorkerName } from "../config.ts";
import { findTicketProblem } from "./problem.repo.ts";
import { problemRoutes } from "./problem.routes.ts";
import { createProblemService } from "./problem.service.ts";
import { digestHandler } from "./digest.ts";
import { digestRoutes } from "./digest.routes.ts";
import { DIGEST_TIMER, ensureDigestScheduled } from "./digest-schedule.ts";

/** What the problems part uses of the composition: the shared services, timeline events and the timer kinds it joins. */
export interface ProblemsHost extends Pick<
  Services,
  "database" | "clock" | "config" | "messages" | "extraRoutes" | "ticketExtras"
> {
  events: TicketEventService;
  timerHandlers: Map<string, TimerHandler>;
}

interface Wiring {
  addWorker: (name: WorkerName, start: () => Promise<() => Promise<void>>) => void;
}

/**
 * Wires problems: the service, its routes, the linked problem on the staff view of a ticket, and
 * the weekly review digest (a timer kind; a process running the timer worker arms the next one).
 */
export function composeProblems(services: ProblemsHost, wiring: Wiring) {
  const { db } = services.database;
  const problems = createProblemService({ db, events: services.events, messages: services.messages });
  services.extraRoutes!.push(problemRoutes(problems), digestRoutes);
  services.ticketExtras = {
    ...services.ticketExtras,
    problem: async (ticketId) => {
      const p = await findTicketProblem(db, ticketId);
      return p ? { ...p, number: Number(p.number) } : null;
    },
  };
  services.timerHandlers.set(DIGEST_TIMER, digestHandler(services.config));
  wiring.addWorker("timers", async () => {
    await db.transaction().execute((trx) => ensureDigestScheduled(trx, services.clock.now()));
    return async () => {};
  });
  return problems;
}
