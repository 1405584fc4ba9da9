import type { FastifyInstance } from "fastify";
import type { AuthService } from "../auth/auth.service.ts";
import { hashToken } from "../auth/password.ts";
import type { Clock } from "../lib/clock.ts";
import { AppError } from "../lib/app-error.ts";

export const SESSION_COOKIE = "eskala_session";
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Resolves the request's credentials (bearer token or session cookie) to `request.actor`.
 * Cookie-authenticated changes must carry the session's CSRF token in `X-CSRF-Token`.
 */
export function registerAuthHook(app: FastifyInstance, auth: AuthService, clock: Clock): void {
  app.decorateRequest("actor", null);
  app.decorateRequest("credential", null);
  app.addHook("onRequest", async (request) => {
    if (!request.url.startsWith("/api/")) return;
    const header = request.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new AppError("unauthenticated", "Authorization must be 'Bearer <token>'");
      const actor = await auth.actorFromToken(match[1]!, clock.now());
      if (!actor) throw new AppError("unauthenticated", "The token is unknown or revoked");
      request.actor = actor;
      request.credential = { kind: "token", id: hashToken(match[1]!) };
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) return;
    const session = await auth.sessionFromCookie(cookie, clock.now());
    if (!session) return;
    if (!SAFE.has(request.method) && request.headers["x-csrf-token"] !== session.csrfToken) {
      throw new AppError("csrf_failed", "Send the X-CSRF-Token header given at sign-in");
    }
    request.actor = session.actor;
    request.credential = { kind: "session", id: hashToken(cookie) };
  });
  // Credentials are checked before the body is: an anonymous caller learns nothing about the schema.
  app.addHook("preValidation", async (request) => {
    if (!request.url.startsWith("/api/v1/") || request.actor) return;
    const config = request.routeOptions.config as { public?: boolean } | undefined;
    if (!config?.public) throw new AppError("unauthenticated", "Sign in or send a bearer token");
  });
}
