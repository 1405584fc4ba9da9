import type { Composition } from "../compose.ts";
import { findTicketProblem } from "./problem.repo.ts";
import { problemRoutes } from "./problem.routes.ts";
import { createProblemService } from "./problem.service.ts";

/** Wires problems: the service, its routes, and the linked problem on the staff view of a ticket. */
export function composeProblems(services: Composition, _wiring?: unknown) {
  const problems = createProblemService({
    db: services.database.db,
    events: services.events,
    messages: services.messages,
  });
  services.extraRoutes!.push(problemRoutes(problems));
  services.ticketExtras = {
    ...services.ticketExtras,
    problem: async (ticketId) => {
      const p = await findTicketProblem(services.database.db, ticketId);
      return p ? { ...p, number: Number(p.number) } : null;
    },
  };
  return problems;
}
