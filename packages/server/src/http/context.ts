import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { TicketProblemRef } from "@eskala/contracts";
import type { Actor } from "../auth/actor.ts";
import type { AuthService } from "../auth/auth.service.ts";
import type { Credential } from "../auth/session-end.ts";
import type { Config } from "../config.ts";
import type { Database } from "../db/database.ts";
import type { OrgService } from "../admin/org.service.ts";
import type { UserService } from "../admin/users.service.ts";
import type { MessageService } from "../tickets/message.service.ts";
import type { TicketService } from "../tickets/ticket.service.ts";
import type { createTimelineService } from "../tickets/timeline.service.ts";
import type { Clock } from "../lib/clock.ts";

/** Every service the routes call, built once in main.ts (the composition root). */
export interface Services {
  config: Config;
  database: Database;
  clock: Clock;
  auth: AuthService;
  tickets: TicketService;
  messages: MessageService;
  timeline: ReturnType<typeof createTimelineService>;
  users: UserService;
  org: OrgService;
  /** Extra blocks on a ticket's representation, supplied by later parts (the SLA clocks). */
  ticketExtras?: {
    /** The SLA block; `state` is the stored SLA state when the caller read it with the ticket. */
    sla?: (ticketId: string, viewer?: { role: string }, state?: { ledger: unknown; policy_id: string | null } | null) => Promise<unknown>;
    /** The problem the ticket is linked to (staff view only; problems/compose-problems.ts). */
    problem?: (ticketId: string) => Promise<TicketProblemRef | null>;
  };
  /** Route plugins added by later parts (SLA, escalation, mail, knowledge base). */
  extraRoutes?: ((api: Api, services: Services) => void)[];
}

export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
    /** What the actor signed in with (auth.hook.ts): streams close when it ends. */
    credential: Credential | null;
  }
}
