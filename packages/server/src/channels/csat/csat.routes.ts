import { z } from "zod";
import { Problem, RateBody, Satisfaction, SurveyView } from "@eskala/contracts";
import { requireActor } from "../../auth/actor.ts";
import type { Api, Services } from "../../http/context.ts";
import { errors, IdParams, sendGone } from "../http-helpers.ts";
import { presentSurvey, type CsatService } from "./csat.service.ts";

const TokenParams = z.object({ token: z.string().min(1).max(200) });
const EXPIRED = "This survey link has expired";
const publicLimit = { rateLimit: { max: 30, timeWindow: "1 minute" } };

/** Satisfaction surveys: the signed link (public) and the requester's rating in the portal. */
export function csatRoutes(csat: CsatService) {
  return (api: Api, s: Services) => {
    const tags = ["satisfaction"];
    api.get(
      "/api/v1/surveys/:token",
      {
        config: { public: true, ...publicLimit },
        schema: {
          tags,
          summary: "A survey by its signed link",
          params: TokenParams,
          response: { 200: SurveyView, 410: Problem, ...errors },
        },
      },
      async (req, reply) => {
        const found = await csat.view(req.params.token, s.clock.now());
        return found.ok ? found.view : sendGone(reply, req, EXPIRED);
      },
    );
    api.post(
      "/api/v1/surveys/:token",
      {
        config: { public: true, ...publicLimit },
        schema: {
          tags,
          summary: "Rate through the signed link (1-5 and a comment)",
          params: TokenParams,
          body: RateBody,
          response: { 201: Satisfaction, 410: Problem, ...errors },
        },
      },
      async (req, reply) => {
        const done = await csat.rateByToken(req.params.token, req.body, s.clock.now());
        return done.ok ? reply.code(201).send(presentSurvey(done.survey)) : sendGone(reply, req, EXPIRED);
      },
    );
    api.post(
      "/api/v1/tickets/:id/satisfaction",
      {
        schema: {
          tags,
          summary: "The requester rates the ticket's latest solve",
          params: IdParams,
          body: RateBody,
          response: { 201: Satisfaction, 410: Problem, ...errors },
        },
      },
      async (req, reply) => {
        const done = await csat.rateLatest(requireActor(req.actor), req.params.id, req.body, s.clock.now());
        return done.ok ? reply.code(201).send(presentSurvey(done.survey)) : sendGone(reply, req, EXPIRED);
      },
    );
    api.get(
      "/api/v1/tickets/:id/satisfaction",
      {
        schema: {
          tags,
          summary: "The ticket's surveys and ratings (staff, and the requester for their own ticket)",
          params: IdParams,
          response: { 200: z.object({ items: z.array(Satisfaction) }), ...errors },
        },
      },
      async (req) => ({ items: await csat.list(requireActor(req.actor), req.params.id) }),
    );
  };
}
