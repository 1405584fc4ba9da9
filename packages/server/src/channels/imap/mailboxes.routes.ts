import { z } from "zod";
import { CreateMailboxBody, Mailbox, MailboxTestResult, UpdateMailboxBody } from "@eskala/contracts";
import type { Api, Services } from "../../http/context.ts";
import { errors, IdParams } from "../http-helpers.ts";
import type { MailboxesService } from "./mailboxes.service.ts";

/** `/api/v1/mailboxes`: the IMAP mailboxes Eskala fetches from (admins only). */
export function mailboxRoutes(mailboxes: MailboxesService) {
  return (api: Api, s: Services) => {
    const tags = ["mailboxes"];
    api.get(
      "/api/v1/mailboxes",
      {
        schema: {
          tags,
          summary: "IMAP mailboxes and how their fetching goes (admins)",
          response: { 200: z.object({ items: z.array(Mailbox) }), ...errors },
        },
      },
      async (req) => ({ items: await mailboxes.list(req.actor) }),
    );
    api.post(
      "/api/v1/mailboxes",
      {
        schema: {
          tags,
          summary: "Add an IMAP mailbox to fetch from; the password is stored encrypted and never returned",
          body: CreateMailboxBody,
          response: { 201: Mailbox, ...errors },
        },
      },
      async (req, reply) => reply.code(201).send(await mailboxes.create(req.actor, req.body, s.clock.now())),
    );
    api.get(
      "/api/v1/mailboxes/:id",
      {
        schema: { tags, summary: "One IMAP mailbox", params: IdParams, response: { 200: Mailbox, ...errors } },
      },
      async (req) => mailboxes.get(req.actor, req.params.id),
    );
    api.patch(
      "/api/v1/mailboxes/:id",
      {
        schema: {
          tags,
          summary: "Change an IMAP mailbox (password: null forgets it)",
          params: IdParams,
          body: UpdateMailboxBody,
          response: { 200: Mailbox, ...errors },
        },
      },
      async (req) => mailboxes.update(req.actor, req.params.id, req.body, s.clock.now()),
    );
    api.delete(
      "/api/v1/mailboxes/:id",
      {
        schema: {
          tags,
          summary: "Stop fetching from a mailbox and forget it",
          params: IdParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (req, reply) => {
        await mailboxes.remove(req.actor, req.params.id);
        return reply.code(204).send(null);
      },
    );
    api.post(
      "/api/v1/mailboxes/:id/test",
      {
        schema: {
          tags,
          summary: "Test the connection: connect, sign in and open the folder (changes nothing)",
          params: IdParams,
          response: { 200: MailboxTestResult, ...errors },
        },
      },
      async (req) => mailboxes.test(req.actor, req.params.id),
    );
  };
}
