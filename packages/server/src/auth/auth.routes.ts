import type { FastifyReply } from "fastify";
import { z } from "zod";
import { LoginBody, Problem, Session, UpdateMeBody, User } from "@eskala/contracts";
import { requireActor } from "./actor.ts";
import { createLoginThrottle } from "./login-throttle.ts";
import { AppError } from "../lib/app-error.ts";
import { SESSION_COOKIE } from "../http/auth.hook.ts";
import type { Api, Services } from "../http/context.ts";

/** Sets the cookie of a session just opened (password or emailed link) and answers with its user and CSRF token. */
export async function sendSession(
  s: Services,
  reply: FastifyReply,
  opened: Awaited<ReturnType<Services["auth"]["openSession"]>>,
) {
  reply.setCookie(SESSION_COOKIE, opened.sessionToken, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: s.config.ESKALA_PUBLIC_URL?.startsWith("https:") ?? false,
    maxAge: opened.maxAgeSeconds,
  });
  return { user: await s.users.getOne(opened.actor.userId), csrf_token: opened.csrfToken };
}

const errors = { 400: Problem, 401: Problem, 403: Problem, 422: Problem, 429: Problem };

export function authRoutes(api: Api, s: Services): void {
  const tags = ["auth"];
  const throttle = createLoginThrottle({
    perAccount: s.config.ESKALA_LOGIN_ACCOUNT_LIMIT,
    perAddress: s.config.ESKALA_LOGIN_ADDRESS_LIMIT,
  });
  api.post(
    "/api/v1/auth/login",
    {
      config: {
        public: true,
        rateLimit: {
          max: s.config.ESKALA_LOGIN_RATE_LIMIT,
          timeWindow: "1 minute",
          keyGenerator: (req: { ip: string; body?: unknown }) =>
            `${req.ip}|${String((req.body as { email?: unknown } | undefined)?.email ?? "").toLowerCase()}`,
        },
      },
      schema: {
        tags,
        summary: "Sign in with email and password; sets the session cookie",
        body: LoginBody,
        response: { 200: Session, ...errors },
      },
    },
    async (req, reply) => {
      const now = s.clock.now();
      try {
        throttle.check(req.ip, req.body.email, now);
      } catch (err) {
        reply.header("retry-after", String((err as { retryAfterSeconds?: number }).retryAfterSeconds ?? 60));
        throw err;
      }
      const opened = await s.auth.login(req.body.email, req.body.password, now).catch((err: unknown) => {
        if (err instanceof AppError && err.code === "unauthenticated") throttle.failed(req.ip, req.body.email, now);
        throw err;
      });
      throttle.succeeded(req.ip, req.body.email, now);
      return sendSession(s, reply, opened);
    },
  );

  api.post(
    "/api/v1/auth/logout",
    { config: { public: true }, schema: { tags, summary: "Sign out", response: { 204: z.null() } } },
    async (req, reply) => {
      const cookie = req.cookies[SESSION_COOKIE];
      if (cookie) await s.auth.logout(cookie);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.code(204).send(null);
    },
  );

  api.get(
    "/api/v1/auth/session",
    { schema: { tags, summary: "The signed-in user and the CSRF token", response: { 200: Session, ...errors } } },
    async (req) => {
      const actor = requireActor(req.actor);
      const cookie = req.cookies[SESSION_COOKIE];
      const session = cookie ? await s.auth.sessionFromCookie(cookie, s.clock.now()) : null;
      return { user: await s.users.getOne(actor.userId), csrf_token: session?.csrfToken ?? "" };
    },
  );

  api.get(
    "/api/v1/me",
    { schema: { tags, summary: "The current user", response: { 200: User, ...errors } } },
    async (req) => s.users.getOne(requireActor(req.actor).userId),
  );
  api.patch(
    "/api/v1/me",
    {
      schema: {
        tags,
        summary: "Change my name, language, presence or password",
        body: UpdateMeBody,
        response: { 200: User, ...errors },
      },
    },
    async (req) =>
      s.users.updateMe(requireActor(req.actor), req.body, {
        ...(req.credential?.kind === "session" ? { keepSession: req.credential.id } : {}),
      }),
  );
}
