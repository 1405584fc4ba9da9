import { z } from "zod";
import {
  CreateEscalationBody,
  CreateEscalationRequestBody,
  Escalation,
  EscalationRequest,
  EscalationRule,
  Id,
  Problem,
  QueueCounts,
  QueueItem,
  QueueName,
  RuleBody,
  RulePatch,
} from "@eskala/contracts";
import { requireActor } from "../auth/actor.ts";
import type { Api, Services } from "../http/context.ts";
import type { EscalationService, RequestResponseDue } from "./escalation.service.ts";
import { presentRequest } from "./request.presenter.ts";
import type { RulesService } from "./rules.service.ts";
import { board, queue, queueCounts } from "./queues.ts";

const IdParams = z.object({ id: Id });
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };

export function engineRoutes(deps: {
  escalations: EscalationService;
  rules: RulesService;
  requestResponseDue: RequestResponseDue;
}) {
  const { escalations, rules } = deps;
  return (api: Api, s: Services) => {
    let tags = ["escalations"];
    api.post(
      "/api/v1/tickets/:id/escalations",
      {
        schema: {
          tags,
          summary: "Escalate (or de-escalate) a ticket with a handoff note",
          params: IdParams,
          body: CreateEscalationBody,
          response: { 201: Escalation, ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireActor(req.actor);
        const { escalationId } = await escalations.escalate(actor, req.params.id, req.body, s.clock.now());
        const row = (await escalations.list(actor, req.params.id)).find((e) => e.id === escalationId)!;
        return reply.code(201).send(presentEscalation(row));
      },
    );
    api.get(
      "/api/v1/tickets/:id/escalations",
      {
        schema: {
          tags,
          summary: "The ticket's escalation records",
          params: IdParams,
          response: { 200: z.object({ items: z.array(Escalation) }), ...errors },
        },
      },
      async (req) => ({
        items: (await escalations.list(requireActor(req.actor), req.params.id)).map(presentEscalation),
      }),
    );
    api.post(
      "/api/v1/tickets/:id/escalation-requests",
      {
        schema: {
          tags,
          summary: "The requester asks for escalation (one open request per ticket)",
          params: IdParams,
          body: CreateEscalationRequestBody,
          response: { 201: EscalationRequest, ...errors },
        },
      },
      async (req, reply) => {
        const r = await escalations.request(
          requireActor(req.actor),
          req.params.id,
          req.body,
          s.clock.now(),
          deps.requestResponseDue,
        );
        return reply.code(201).send(presentRequest(r));
      },
    );
    api.get(
      "/api/v1/tickets/:id/escalation-requests",
      {
        schema: {
          tags,
          summary: "The ticket's customer escalation requests",
          params: IdParams,
          response: { 200: z.object({ items: z.array(EscalationRequest) }), ...errors },
        },
      },
      async (req) => ({
        items: (await escalations.listRequests(requireActor(req.actor), { ticketId: req.params.id })).map(
          presentRequest,
        ),
      }),
    );
    api.get(
      "/api/v1/escalation-requests",
      {
        schema: {
          tags,
          summary: "Customer escalation requests (supervisors)",
          querystring: z.object({ status: z.enum(["open", "acknowledged", "resolved"]).optional() }),
          response: { 200: z.object({ items: z.array(EscalationRequest) }), ...errors },
        },
      },
      async (req) => ({
        items: (
          await escalations.listRequests(requireActor(req.actor), {
            ...(req.query.status ? { status: req.query.status } : {}),
          })
        ).map(presentRequest),
      }),
    );

    api.post(
      "/api/v1/escalation-requests/:id/acknowledge",
      {
        schema: {
          tags,
          summary:
            "A supervisor acknowledges a customer's escalation request in person (the customer sees who took it)",
          params: IdParams,
          response: { 200: EscalationRequest, ...errors },
        },
      },
      async (req) => {
        const actor = requireActor(req.actor);
        await escalations.acknowledgeRequest(actor, req.params.id, s.clock.now());
        const [row] = await escalations.listRequests(actor, { requestId: req.params.id });
        return presentRequest(row!);
      },
    );

    tags = ["rules"];
    api.get(
      "/api/v1/escalation-rules",
      {
        schema: {
          tags,
          summary: "List escalation rules in run order",
          response: { 200: z.object({ items: z.array(EscalationRule) }), ...errors },
        },
      },
      async (req) => ({
        items: await rules.list(requireActor(req.actor)),
      }),
    );
    api.post(
      "/api/v1/escalation-rules",
      {
        schema: {
          tags,
          summary: "Create a rule (validated; loops refused)",
          body: RuleBody,
          response: { 201: EscalationRule, ...errors },
        },
      },
      async (req, reply) => reply.code(201).send(await rules.create(requireActor(req.actor), req.body)),
    );
    api.get(
      "/api/v1/escalation-rules/:id",
      { schema: { tags, summary: "Get a rule", params: IdParams, response: { 200: EscalationRule, ...errors } } },
      async (req) => rules.get(requireActor(req.actor), req.params.id),
    );
    api.patch(
      "/api/v1/escalation-rules/:id",
      {
        schema: {
          tags,
          summary: "Change, enable or disable a rule",
          params: IdParams,
          body: RulePatch,
          response: { 200: EscalationRule, ...errors },
        },
      },
      async (req) => rules.update(requireActor(req.actor), req.params.id, req.body),
    );
    api.delete(
      "/api/v1/escalation-rules/:id",
      { schema: { tags, summary: "Delete a rule", params: IdParams, response: { 204: z.null(), ...errors } } },
      async (req, reply) => {
        await rules.remove(requireActor(req.actor), req.params.id);
        return reply.code(204).send(null);
      },
    );
    api.post(
      "/api/v1/escalation-rules/:id/dry-run",
      {
        schema: {
          tags,
          summary: "What the rule would do to current open tickets",
          params: IdParams,
          response: {
            200: z.object({
              mode: z.string(),
              evaluated: z.number(),
              matched: z.number(),
              items: z.array(
                z.object({
                  ticket: z.object({ id: Id, number: z.number(), subject: z.string() }),
                  actions: z.array(z.unknown()),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (req) => rules.dryRun(requireActor(req.actor), req.params.id),
    );

    tags = ["queues"];
    api.get(
      "/api/v1/queues/counts",
      {
        schema: {
          tags,
          summary: "How many tickets each queue holds (the totals, not a page), and all tickets",
          response: { 200: QueueCounts, ...errors },
        },
      },
      async (req) => queueCounts(s.database.db, requireActor(req.actor), s.clock.now()),
    );
    api.get(
      "/api/v1/queues/:name",
      {
        schema: {
          tags,
          summary:
            "Agent queues: mine, group (unassigned), breaching (overdue or due within the hour, nearest deadline first), escalated-to-me",
          params: z.object({ name: QueueName }),
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }),
          response: { 200: z.object({ items: z.array(QueueItem) }), ...errors },
        },
      },
      async (req) => ({
        items: (await queue(
          s.database.db,
          requireActor(req.actor),
          req.params.name,
          req.query.limit,
          s.clock.now(),
        )) as never,
      }),
    );
    api.get(
      "/api/v1/board",
      {
        schema: {
          tags,
          summary: "Supervisor board: SLA risk, escalations by reason, open requests, agent load",
          response: { 200: z.any(), ...errors },
        },
      },
      async (req) => board(s.database.db, requireActor(req.actor), s.clock.now()),
    );
  };
}

type EscRow = Awaited<ReturnType<EscalationService["list"]>>[number];
function presentEscalation(e: EscRow) {
  return {
    id: e.id,
    ticket_id: e.ticket_id,
    type: e.type,
    reason: e.reason,
    reason_text: e.reason_text,
    trigger: e.trigger,
    from: { tier: e.from_tier, group_id: e.from_group_id, assignee_id: e.from_assignee_id },
    to: { tier: e.to_tier, group_id: e.to_group_id, assignee_id: e.to_assignee_id },
    note: e.note,
    handoff: e.handoff ?? null,
    actor: e.actor_id ? { id: e.actor_id, name: e.actor_name ?? "" } : null,
    rule_id: e.rule_id,
    created_at: e.created_at.toISOString(),
  };
}
