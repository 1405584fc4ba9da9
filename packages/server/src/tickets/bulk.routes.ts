import { BulkBody, BulkResult, Problem } from "@eskala/contracts";
import { requireActor } from "../auth/actor.ts";
import type { Api, Services } from "../http/context.ts";
import type { BulkService } from "./bulk.service.ts";

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };

/** POST /api/v1/tickets/bulk: one action on up to 100 tickets, a result for each. */
export function bulkRoutes(bulk: BulkService) {
  return (api: Api, s: Services) => {
    api.post(
      "/api/v1/tickets/bulk",
      {
        schema: {
          tags: ["tickets"],
          summary:
            "Change up to 100 tickets at once (assign, status, priority, tags_add, tags_remove, escalate with one handoff note); each ticket is its own change and gets its own result",
          body: BulkBody,
          response: { 200: BulkResult, ...errors },
        },
      },
      async (req) => bulk.run(requireActor(req.actor), req.body, s.clock.now()),
    );
  };
}
