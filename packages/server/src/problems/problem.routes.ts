import { z } from "zod";
import {
  CreateProblemBody,
  Id,
  LinkProblemTicketBody,
  ListProblemsQuery,
  Problem,
  ProblemRecordDetail,
  ProblemRecordPage,
  ProblemReport,
  ProblemReportQuery,
  UpdateProblemBody,
} from "@eskala/contracts";
import { requireActor } from "../auth/actor.ts";
import type { Api, Services } from "../http/context.ts";
import { presentProblem, presentProblemTicket } from "./problem.presenter.ts";
import type { ProblemService } from "./problem.service.ts";
import { problemReport } from "./problem-report.ts";

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 413: Problem, 422: Problem };
const IdParams = z.object({ id: Id });

const detail = ({ problem, tickets }: Awaited<ReturnType<ProblemService["get"]>>) => ({
  ...presentProblem(problem),
  tickets: tickets.map(presentProblemTicket),
});

/** `/api/v1/problems`: root causes behind recurring tickets (staff; supervisors and admins change status). */
export function problemRoutes(problems: ProblemService) {
  return (api: Api, s: Services): void => {
    const tags = ["problems"];
    api.get(
      "/api/v1/problems",
      {
        schema: {
          tags,
          summary: "List problems, newest first (staff)",
          querystring: ListProblemsQuery,
          response: { 200: ProblemRecordPage, ...errors },
        },
      },
      async (req) => {
        const rows = await problems.list(requireActor(req.actor), req.query);
        const items = rows.slice(0, req.query.limit);
        return {
          items: items.map(presentProblem),
          next_cursor: rows.length > req.query.limit ? String(items.at(-1)!.number) : null,
        };
      },
    );

    api.get(
      "/api/v1/reports/problems",
      {
        schema: {
          tags: ["reports"],
          summary: "Tickets and escalations per problem in a period (supervisors and admins)",
          querystring: ProblemReportQuery,
          response: { 200: ProblemReport, ...errors },
        },
      },
      async (req) => problemReport(s.database.db, req.actor, req.query, s.clock.now()),
    );

    api.post(
      "/api/v1/problems",
      {
        schema: {
          tags,
          summary: "Create a problem, optionally with tickets linked at once (staff)",
          body: CreateProblemBody,
          response: { 201: ProblemRecordDetail, ...errors },
        },
      },
      async (req, reply) =>
        reply.code(201).send(detail(await problems.create(requireActor(req.actor), req.body, s.clock.now()))),
    );

    api.get(
      "/api/v1/problems/:id",
      {
        schema: {
          tags,
          summary: "A problem with its linked tickets (staff)",
          params: IdParams,
          response: { 200: ProblemRecordDetail, ...errors },
        },
      },
      async (req) => detail(await problems.get(requireActor(req.actor), req.params.id)),
    );

    api.patch(
      "/api/v1/problems/:id",
      {
        schema: {
          tags,
          summary:
            "Change a problem (supervisors and admins): known_error needs a workaround; fixed tells every linked open ticket's customer once",
          params: IdParams,
          body: UpdateProblemBody,
          response: { 200: ProblemRecordDetail, ...errors },
        },
      },
      async (req) => detail(await problems.update(requireActor(req.actor), req.params.id, req.body, s.clock.now())),
    );

    api.post(
      "/api/v1/problems/:id/tickets",
      {
        schema: {
          tags,
          summary: "Link a ticket to the problem (staff; a ticket belongs to one problem: 409 if linked)",
          params: IdParams,
          body: LinkProblemTicketBody,
          response: { 200: ProblemRecordDetail, ...errors },
        },
      },
      async (req) =>
        detail(await problems.link(requireActor(req.actor), req.params.id, req.body.ticket_id, s.clock.now())),
    );

    api.delete(
      "/api/v1/problems/:id/tickets/:ticket_id",
      {
        schema: {
          tags,
          summary: "Unlink a ticket from the problem (staff)",
          params: z.object({ id: Id, ticket_id: Id }),
          response: { 200: ProblemRecordDetail, ...errors },
        },
      },
      async (req) =>
        detail(await problems.unlink(requireActor(req.actor), req.params.id, req.params.ticket_id, s.clock.now())),
    );
  };
}
