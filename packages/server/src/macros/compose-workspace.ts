import type { Api, Services } from "../http/context.ts";
import type { EscalationService } from "../engine/escalation.service.ts";
import { createBulkService } from "../tickets/bulk.service.ts";
import { bulkRoutes } from "../tickets/bulk.routes.ts";
import { createViewService } from "../views/view.service.ts";
import { viewRoutes } from "../views/view.routes.ts";
import { createMacroService } from "./macro.service.ts";
import { macroRoutes } from "./macro.routes.ts";

/** Wires the agent workspace: macros, saved views and bulk changes, with their routes. */
export function composeWorkspace(
  app: Pick<Services, "database" | "tickets" | "messages" | "extraRoutes"> & {
    engine?: { escalations: EscalationService } | undefined;
  },
) {
  const { db } = app.database;
  const macros = createMacroService({ db, tickets: app.tickets, messages: app.messages });
  const views = createViewService({ db });
  const bulk = createBulkService({ db, tickets: app.tickets, escalations: () => app.engine?.escalations });
  const routes: ((api: Api, s: Services) => void)[] = [macroRoutes(macros), viewRoutes(views), bulkRoutes(bulk)];
  app.extraRoutes!.push(...routes);
  return { macros, views, bulk };
}
