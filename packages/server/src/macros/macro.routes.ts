import { z } from "zod";
import {
  AppliedMacro,
  ApplyMacroBody,
  Id,
  Macro,
  MacroBody,
  MacroPatch,
  Problem,
  RenderedMacro,
} from "@eskala/contracts";
import { requireActor } from "../auth/actor.ts";
import type { Api, Services } from "../http/context.ts";
import { presentTicket } from "../tickets/ticket.presenter.ts";
import type { MacroService } from "./macro.service.ts";

const IdParams = z.object({ id: Id });
const TicketMacroParams = z.object({ id: Id, macroId: Id });
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };

/** Macros under /api/v1/macros, and rendering or applying one on a ticket. */
export function macroRoutes(macros: MacroService) {
  return (api: Api, s: Services) => {
    const tags = ["macros"];
    api.get(
      "/api/v1/macros",
      {
        schema: {
          tags,
          summary: "The macros the caller may use: their own and the shared ones",
          response: { 200: z.object({ items: z.array(Macro) }), ...errors },
        },
      },
      async (req) => ({ items: await macros.list(requireActor(req.actor)) }),
    );
    api.post(
      "/api/v1/macros",
      {
        schema: {
          tags,
          summary:
            "Create a macro: text per language with placeholders ({{customer.name}}, {{customer.first_name}}, {{customer.email}}, {{ticket.number}}, {{ticket.subject}}, {{agent.name}}, {{agent.first_name}}, {{organization.name}}) and field changes",
          body: MacroBody,
          response: { 201: Macro, ...errors },
        },
      },
      async (req, reply) => reply.code(201).send(await macros.create(requireActor(req.actor), req.body, s.clock.now())),
    );
    api.get(
      "/api/v1/macros/:id",
      { schema: { tags, summary: "Get a macro", params: IdParams, response: { 200: Macro, ...errors } } },
      async (req) => macros.get(requireActor(req.actor), req.params.id),
    );
    api.patch(
      "/api/v1/macros/:id",
      {
        schema: {
          tags,
          summary: "Change a macro (shared ones: supervisors and admins; personal ones: their owner)",
          params: IdParams,
          body: MacroPatch,
          response: { 200: Macro, ...errors },
        },
      },
      async (req) => macros.update(requireActor(req.actor), req.params.id, req.body, s.clock.now()),
    );
    api.delete(
      "/api/v1/macros/:id",
      { schema: { tags, summary: "Delete a macro", params: IdParams, response: { 204: z.null(), ...errors } } },
      async (req, reply) => {
        await macros.remove(requireActor(req.actor), req.params.id);
        return reply.code(204).send(null);
      },
    );
    api.get(
      "/api/v1/tickets/:id/macros/:macroId",
      {
        schema: {
          tags,
          summary:
            "A macro's text for this ticket: in the ticket's language, placeholders filled in (for the composer)",
          params: TicketMacroParams,
          response: { 200: RenderedMacro, ...errors },
        },
      },
      async (req) => macros.render(requireActor(req.actor), req.params.id, req.params.macroId),
    );
    api.post(
      "/api/v1/tickets/:id/macros/:macroId/apply",
      {
        schema: {
          tags,
          summary: "Apply a macro: its reply (or the agent's edited text) and its field changes, in one transaction",
          params: TicketMacroParams,
          body: ApplyMacroBody,
          response: { 201: AppliedMacro, ...errors },
        },
      },
      async (req, reply) => {
        const actor = requireActor(req.actor);
        const { messageId } = await macros.apply(actor, req.params.id, req.params.macroId, req.body, s.clock.now());
        const view = await s.tickets.get(actor, req.params.id);
        const sla = await s.ticketExtras?.sla?.(view.id, actor, view.sla_state);
        const message = messageId
          ? ((await s.messages.list(actor, req.params.id)).find((m) => m.id === messageId) ?? null)
          : null;
        return reply.code(201).send({ message, ticket: presentTicket(view, { sla }) });
      },
    );
  };
}
