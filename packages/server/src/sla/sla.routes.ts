import { z } from "zod";
import {
  BusinessCalendar,
  CalendarBody,
  CalendarPatch,
  HolidaySetItem,
  Id,
  ImportIcsBody,
  ImportIcsResult,
  PreviewBetweenBody,
  PreviewBetweenResult,
  PreviewDueBody,
  PreviewDueResult,
  Problem,
  RecomputeJob,
  ReorderSlaPoliciesBody,
  SlaPolicyBody,
  SlaPolicyPatch,
  SlaPolicyResource,
} from "@eskala/contracts";
import { requireActor } from "../auth/actor.ts";
import type { Api, Services } from "../http/context.ts";
import type { CalendarService } from "./calendar.service.ts";
import type { PolicyService } from "./policy.service.ts";
import type { PreviewService } from "./preview.ts";
import type { RecomputeService } from "./recompute.ts";

const IdParams = z.object({ id: Id });
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };
const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** Calendars, holiday sets, SLA policies, the preview and recompute progress under /api/v1. */
export function slaRoutes(deps: {
  calendars: CalendarService;
  policies: PolicyService;
  preview: PreviewService;
  recompute: RecomputeService;
}) {
  const { calendars, policies, preview, recompute } = deps;
  return (api: Api, s: Services): void => {
    const now = () => s.clock.now();
    let tags = ["calendars"];
    api.get(
      "/api/v1/calendars",
      {
        schema: {
          tags,
          summary: "List business calendars (staff)",
          response: { 200: items(BusinessCalendar), ...errors },
        },
      },
      async (req) => ({
        items: await calendars.list(requireActor(req.actor)),
      }),
    );
    api.post(
      "/api/v1/calendars",
      {
        schema: {
          tags,
          summary: "Create a business calendar (admins)",
          body: CalendarBody,
          response: { 201: BusinessCalendar, ...errors },
        },
      },
      async (req, reply) => reply.code(201).send(await calendars.create(requireActor(req.actor), req.body, now())),
    );
    api.post(
      "/api/v1/calendars/import-ics",
      {
        schema: {
          tags,
          summary: "Read holiday dates from an iCalendar file (admins)",
          body: ImportIcsBody,
          response: { 200: ImportIcsResult, ...errors },
        },
      },
      async (req) => calendars.importIcs(requireActor(req.actor), req.body),
    );
    api.get(
      "/api/v1/calendars/:id",
      {
        schema: {
          tags,
          summary: "Get a business calendar (staff)",
          params: IdParams,
          response: { 200: BusinessCalendar, ...errors },
        },
      },
      async (req) => calendars.get(requireActor(req.actor), req.params.id),
    );
    api.patch(
      "/api/v1/calendars/:id",
      {
        schema: {
          tags,
          summary: "Change a business calendar (admins); open tickets under it are recomputed in the background",
          params: IdParams,
          body: CalendarPatch,
          response: { 200: BusinessCalendar, ...errors },
        },
      },
      async (req) => calendars.update(requireActor(req.actor), req.params.id, req.body, now()),
    );
    api.delete(
      "/api/v1/calendars/:id",
      {
        schema: {
          tags,
          summary: "Delete a calendar no policy uses (admins)",
          params: IdParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (req, reply) => {
        await calendars.remove(requireActor(req.actor), req.params.id);
        return reply.code(204).send(null);
      },
    );
    api.get(
      "/api/v1/holiday-sets",
      {
        schema: {
          tags,
          summary: "Indonesian public holidays and cuti bersama, by year",
          response: { 200: items(HolidaySetItem), ...errors },
        },
      },
      async (req) => ({
        items: calendars.holidaySets(requireActor(req.actor)),
      }),
    );

    tags = ["sla"];
    api.get(
      "/api/v1/sla-policies",
      {
        schema: {
          tags,
          summary: "List SLA policies, first match first (staff)",
          response: { 200: items(SlaPolicyResource), ...errors },
        },
      },
      async (req) => ({
        items: await policies.list(requireActor(req.actor)),
      }),
    );
    api.post(
      "/api/v1/sla-policies",
      {
        schema: {
          tags,
          summary: "Create an SLA policy, placed last (admins)",
          body: SlaPolicyBody,
          response: { 201: SlaPolicyResource, ...errors },
        },
      },
      async (req, reply) => reply.code(201).send(await policies.create(requireActor(req.actor), req.body, now())),
    );
    api.post(
      "/api/v1/sla-policies/reorder",
      {
        schema: {
          tags,
          summary: "Set the order in which policies are tried (admins)",
          body: ReorderSlaPoliciesBody,
          response: { 200: items(SlaPolicyResource), ...errors },
        },
      },
      async (req) => ({ items: await policies.reorder(requireActor(req.actor), req.body.ids, now()) }),
    );
    api.get(
      "/api/v1/sla-policies/:id",
      {
        schema: {
          tags,
          summary: "Get an SLA policy (staff)",
          params: IdParams,
          response: { 200: SlaPolicyResource, ...errors },
        },
      },
      async (req) => policies.get(requireActor(req.actor), req.params.id),
    );
    api.patch(
      "/api/v1/sla-policies/:id",
      {
        schema: {
          tags,
          summary: "Change an SLA policy (admins); affected open tickets are recomputed in the background",
          params: IdParams,
          body: SlaPolicyPatch,
          response: { 200: SlaPolicyResource, ...errors },
        },
      },
      async (req) => policies.update(requireActor(req.actor), req.params.id, req.body, now()),
    );
    api.delete(
      "/api/v1/sla-policies/:id",
      {
        schema: {
          tags,
          summary: "Delete an SLA policy (admins); its open tickets are re-matched",
          params: IdParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (req, reply) => {
        await policies.remove(requireActor(req.actor), req.params.id, now());
        return reply.code(204).send(null);
      },
    );
    api.post(
      "/api/v1/sla/preview/due",
      {
        schema: {
          tags,
          summary: "When is N business minutes from a start due? (staff)",
          body: PreviewDueBody,
          response: { 200: PreviewDueResult, ...errors },
        },
      },
      async (req) => preview.due(requireActor(req.actor), req.body),
    );
    api.post(
      "/api/v1/sla/preview/between",
      {
        schema: {
          tags,
          summary: "Business minutes between two instants (staff)",
          body: PreviewBetweenBody,
          response: { 200: PreviewBetweenResult, ...errors },
        },
      },
      async (req) => preview.between(requireActor(req.actor), req.body),
    );
    api.get(
      "/api/v1/sla/recompute-jobs",
      {
        schema: {
          tags,
          summary: "Progress of background SLA recomputes, newest first (staff)",
          response: { 200: items(RecomputeJob), ...errors },
        },
      },
      async (req) => ({
        items: await recompute.list(requireActor(req.actor)),
      }),
    );
  };
}
