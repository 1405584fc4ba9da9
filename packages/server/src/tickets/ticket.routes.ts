import { z } from "zod";
import {
  CreateMessageBody,
  CreateTicketBody,
  CustomerTicket,
  CustomerTicketSummary,
  Id,
  ListTicketsQuery,
  Message,
  Problem,
  Ticket,
  TicketEvent,
  TicketSummary,
  UpdateTicketBody,
  page,
} from "@eskala/contracts";
import { requireActor } from "../auth/actor.ts";
import { presentTicket, presentTicketSummary } from "./ticket.presenter.ts";
import { customerTicket, customerTicketSummary } from "./customer-view.ts";
import { listTickets } from "./ticket-list.ts";
import type { Api, Services } from "../http/context.ts";

const IdParams = z.object({ id: Id });
/** A customer gets the customer view of a ticket (tickets/customer-view.ts); staff the full one. */
const TicketOrCustomer = z.union([Ticket, CustomerTicket]);
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 413: Problem, 422: Problem };

export function ticketRoutes(api: Api, s: Services): void {
  const tags = ["tickets"];
  /** Presents a ticket with whatever extra blocks later parts attach (the SLA block). */
  const present = async (view: Parameters<typeof presentTicket>[0], viewer: { role: string }) => {
    const sla = await s.ticketExtras?.sla?.(view.id, viewer, view.sla_state);
    if (viewer.role === "customer") return customerTicket(view, sla);
    const problem = await s.ticketExtras?.problem?.(view.id);
    return { ...presentTicket(view, { sla }), ...(problem !== undefined ? { problem } : {}) };
  };

  api.post(
    "/api/v1/tickets",
    {
      schema: {
        tags,
        summary: "Create a ticket",
        body: CreateTicketBody,
        response: { 201: TicketOrCustomer, ...errors },
      },
    },
    async (req, reply) => {
      const view = await s.tickets.create(requireActor(req.actor), req.body, s.clock.now());
      return reply.code(201).send(await present(view, req.actor!));
    },
  );

  api.get(
    "/api/v1/tickets",
    {
      schema: {
        tags,
        summary: "List tickets (filters, sorting, keyset pagination)",
        querystring: ListTicketsQuery,
        response: { 200: page(z.union([TicketSummary, CustomerTicketSummary])), ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req.actor);
      const { items, nextCursor } = await listTickets(s.database.db, actor, req.query);
      const present = actor.role === "customer" ? customerTicketSummary : presentTicketSummary;
      return { items: items.map((t) => present(t)), next_cursor: nextCursor };
    },
  );

  api.get(
    "/api/v1/tickets/:id",
    { schema: { tags, summary: "Get a ticket", params: IdParams, response: { 200: TicketOrCustomer, ...errors } } },
    async (req) => present(await s.tickets.get(requireActor(req.actor), req.params.id), req.actor!),
  );

  api.patch(
    "/api/v1/tickets/:id",
    {
      schema: {
        tags,
        summary: "Change a ticket (status, priority, group, assignee, tags…)",
        params: IdParams,
        body: UpdateTicketBody,
        response: { 200: TicketOrCustomer, ...errors },
      },
    },
    async (req) =>
      present(await s.tickets.update(requireActor(req.actor), req.params.id, req.body, s.clock.now()), req.actor!),
  );

  api.get(
    "/api/v1/tickets/:id/messages",
    {
      schema: {
        tags,
        summary: "The thread (customers see public replies only)",
        params: IdParams,
        response: { 200: z.object({ items: z.array(Message) }), ...errors },
      },
    },
    async (req) => ({ items: await s.messages.list(requireActor(req.actor), req.params.id) }),
  );

  api.post(
    "/api/v1/tickets/:id/messages",
    {
      schema: {
        tags,
        summary: "Reply or add an internal note",
        params: IdParams,
        body: CreateMessageBody,
        response: { 201: Message, ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req.actor);
      const message = await s.messages.add(actor, req.params.id, req.body, s.clock.now());
      const items = await s.messages.list(actor, req.params.id);
      return reply.code(201).send(items.find((m) => m.id === message.id)!);
    },
  );

  api.get(
    "/api/v1/tickets/:id/events",
    {
      schema: {
        tags,
        summary: "The ticket's timeline, oldest first",
        params: IdParams,
        querystring: z.object({
          after: z.coerce.number().int().min(0).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(1000),
        }),
        response: { 200: z.object({ items: z.array(TicketEvent) }), ...errors },
      },
    },
    async (req) => ({
      items: await s.timeline.list(requireActor(req.actor), req.params.id, {
        ...(req.query.after ? { afterId: req.query.after } : {}),
        limit: req.query.limit,
      }),
    }),
  );
}
