import { z } from "zod";
import { Id, Problem, SavedView, ViewBody, ViewCounts, ViewPatch } from "@eskala/contracts";
import { requireActor } from "../auth/actor.ts";
import type { Api, Services } from "../http/context.ts";
import type { ViewService } from "./view.service.ts";

const IdParams = z.object({ id: Id });
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };

/** Saved views of the ticket list under /api/v1/views. */
export function viewRoutes(views: ViewService) {
  return (api: Api, s: Services) => {
    const tags = ["views"];
    api.get(
      "/api/v1/views",
      {
        schema: {
          tags,
          summary: "The saved views the caller may use: their own and the shared ones",
          response: { 200: z.object({ items: z.array(SavedView) }), ...errors },
        },
      },
      async (req) => ({ items: await views.list(requireActor(req.actor)) }),
    );
    api.get(
      "/api/v1/views/counts",
      {
        schema: {
          tags,
          summary: "How many tickets each of the caller's saved views lists now (counting stops past 1,000)",
          response: { 200: ViewCounts, ...errors },
        },
      },
      async (req) => views.counts(requireActor(req.actor), s.clock.now()),
    );
    api.post(
      "/api/v1/views",
      {
        schema: {
          tags,
          summary: "Save a view of the ticket list (queue, filters, sort); shared: supervisors and admins",
          body: ViewBody,
          response: { 201: SavedView, ...errors },
        },
      },
      async (req, reply) => reply.code(201).send(await views.create(requireActor(req.actor), req.body, s.clock.now())),
    );
    api.get(
      "/api/v1/views/:id",
      { schema: { tags, summary: "Get a saved view", params: IdParams, response: { 200: SavedView, ...errors } } },
      async (req) => views.get(requireActor(req.actor), req.params.id),
    );
    api.patch(
      "/api/v1/views/:id",
      {
        schema: {
          tags,
          summary: "Change a saved view",
          params: IdParams,
          body: ViewPatch,
          response: { 200: SavedView, ...errors },
        },
      },
      async (req) => views.update(requireActor(req.actor), req.params.id, req.body, s.clock.now()),
    );
    api.delete(
      "/api/v1/views/:id",
      { schema: { tags, summary: "Delete a saved view", params: IdParams, response: { 204: z.null(), ...errors } } },
      async (req, reply) => {
        await views.remove(requireActor(req.actor), req.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
