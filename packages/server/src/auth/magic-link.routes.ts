import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { MagicLinkBody, Problem, RedeemMagicLinkBody, Session } from "@eskala/contracts";
import { createMagicLinkService } from "./magic-link.service.ts";
import { sendSession } from "./auth.routes.ts";
import type { Api, Services } from "../http/context.ts";

/**
 * Every answer to a link request takes at least this long: sending a customer's link (a lookup, a
 * transaction, an outbox row) took a few milliseconds more than refusing an unknown address, and
 * that difference alone told which addresses have an account.
 */
export const MIN_LINK_ANSWER_MS = 100;

const errors = { 400: Problem, 404: Problem, 410: Problem, 422: Problem, 429: Problem };

/** Sign-in by email link: ask for a link (always 202), then redeem it for a session cookie. */
export function magicLinkRoutes(api: Api, s: Services): void {
  const links = createMagicLinkService({ db: s.database.db, config: s.config, auth: s.auth });
  const tags = ["auth"];
  // Per client address, like the password login; per email address the service sends at most a few
  // links a window and answers the rest alike, so neither limit tells whether an account exists.
  const perIp = { max: s.config.ESKALA_LOGIN_RATE_LIMIT, timeWindow: "1 minute" };

  api.post(
    "/api/v1/auth/magic-link",
    {
      config: { public: true, rateLimit: perIp },
      schema: {
        tags,
        summary: "Email me a sign-in link (customers); 202 whether or not the address has an account",
        body: MagicLinkBody,
        response: { 202: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      const answerAt = performance.now() + MIN_LINK_ANSWER_MS;
      await links.request(req.body.email, s.clock.now());
      await sleep(Math.max(0, answerAt - performance.now()));
      return reply.code(202).send(null);
    },
  );

  api.post(
    "/api/v1/auth/magic-link/redeem",
    {
      config: { public: true, rateLimit: { ...perIp, max: perIp.max * 3 } },
      schema: {
        tags,
        summary: "Sign in with an emailed link's token (once, within 15 minutes); sets the session cookie",
        body: RedeemMagicLinkBody,
        response: { 200: Session, ...errors },
      },
    },
    async (req, reply) => {
      return sendSession(s, reply, await links.redeem(req.body.token, s.clock.now()));
    },
  );
}
