import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Fastify, { type FastifyInstance } from "fastify";
import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import fastifyStatic from "@fastify/static";
import client from "prom-client";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { LIMITS } from "@eskala/contracts";
import { frameworkErrors, handleClientError, registerErrorHandler } from "./error-handler.ts";
import { registerJsonBodyParser, registerTextGuard } from "./request-guards.ts";
import { registerAuthHook } from "./auth.hook.ts";
import { ticketRoutes } from "../tickets/ticket.routes.ts";
import { adminRoutes } from "../admin/admin.routes.ts";
import { authRoutes } from "../auth/auth.routes.ts";
import { magicLinkRoutes } from "../auth/magic-link.routes.ts";
import { opsRoutes } from "./ops.routes.ts";
import { registerSecurityHeaders } from "./security-headers.ts";
import type { Services } from "./context.ts";

const WEB_DIST = fileURLToPath(new URL("../../../web/dist/", import.meta.url));

/** Builds the HTTP app around the services; main.ts listens, tests call `inject`. */
export async function buildApp(
  s: Services,
  /** `quietRequests`: each request is logged at debug level only (the demo's first start stays readable). */
  opts: { logger?: boolean | object; quietRequests?: boolean } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    disableRequestLogging: opts.quietRequests ?? false,
    bodyLimit: LIMITS.bodyBytes,
    genReqId: (req) =>
      typeof req.headers["x-request-id"] === "string" && req.headers["x-request-id"].length <= 64
        ? req.headers["x-request-id"]
        : crypto.randomUUID(),
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true },
    // Errors the router and Node's HTTP parser answer themselves are problem+json too.
    frameworkErrors,
    clientErrorHandler: handleClientError,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook("onSend", async (req, reply) => void reply.header("x-request-id", req.id));
  if (opts.quietRequests)
    app.addHook("onResponse", async (req, reply) =>
      req.log.debug({ method: req.method, url: req.url, status: reply.statusCode, ms: reply.elapsedTime }, "request"),
    );

  // The API routes as registered, so a test can hold the OpenAPI document against them.
  const apiRoutes: string[] = [];
  app.decorate("apiRoutes", apiRoutes);
  app.addHook("onRoute", (r) => {
    if (!r.url.startsWith("/api/v1/") || (r.schema as { hide?: boolean } | undefined)?.hide) return;
    for (const m of [r.method].flat()) if (m !== "HEAD") apiRoutes.push(`${m} ${r.url.replace(/:(\w+)/g, "{$1}")}`);
  });
  registerErrorHandler(app);
  registerJsonBodyParser(app);
  await app.register(cookie);
  await registerSecurityHeaders(app, { publicUrl: s.config.ESKALA_PUBLIC_URL });
  await app.register(rateLimit, { global: false, hook: "preHandler" });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Eskala API",
        version: "1.0.0",
        description:
          "Help desk centred on ticket escalation. Errors are application/problem+json with the failing field paths in `errors`.",
      },
      components: {
        securitySchemes: {
          bearer: {
            type: "http",
            scheme: "bearer",
            description: "An API token created by an admin (or ESKALA_ADMIN_TOKEN)",
          },
          session: {
            type: "apiKey",
            in: "cookie",
            name: "eskala_session",
            description: "Web sign-in; changes need X-CSRF-Token",
          },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs" });
  app.get("/api/v1/openapi.json", { schema: { hide: true }, config: { public: true } }, async () => app.swagger());

  registerAuthHook(app, s.auth, s.clock);
  registerTextGuard(app);
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  opsRoutes(app, s, registry);

  const api = app.withTypeProvider<ZodTypeProvider>();
  authRoutes(api, s);
  magicLinkRoutes(api, s);
  ticketRoutes(api, s);
  adminRoutes(api, s);
  for (const extra of s.extraRoutes ?? []) extra(api, s);

  await serveWeb(app);
  return app;
}

/** The React app's production build, with the single-page fallback for its client-side routes. */
async function serveWeb(app: FastifyInstance) {
  if (!existsSync(WEB_DIST + "index.html")) {
    app.get("/", { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type("text/html")
        .send(
          "<!doctype html><title>Eskala</title><p>Eskala's API is running. The web app is not built: run <code>npm run build:web</code>. API reference: <a href=/api/docs>/api/docs</a>.</p>",
        ),
    );
    return;
  }
  const index = readFileSync(WEB_DIST + "index.html", "utf8");
  await app.register(fastifyStatic, { root: WEB_DIST, prefix: "/", wildcard: false, index: false });
  const spa = async (_req: unknown, reply: { type: (t: string) => { send: (b: string) => unknown } }) =>
    reply.type("text/html").send(index);
  for (const path of ["/", "/portal", "/portal/*", "/app", "/app/*"]) app.get(path, { schema: { hide: true } }, spa);
}
