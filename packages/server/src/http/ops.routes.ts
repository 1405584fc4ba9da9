import { timingSafeEqual } from "node:crypto";
import { sql } from "kysely";
import client from "prom-client";
import type { FastifyInstance } from "fastify";
import type { Services } from "./context.ts";
import { AppError } from "../lib/app-error.ts";

/** True when the Authorization header is `Bearer <token>` with exactly this token. */
function hasBearer(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1] ?? "");
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** Liveness, readiness and Prometheus metrics (only with ESKALA_METRICS_TOKEN, as a bearer token). */
export function opsRoutes(app: FastifyInstance, s: Services, registry: client.Registry): void {
  const httpDuration = new client.Histogram({
    name: "eskala_http_request_duration_seconds",
    help: "HTTP request duration",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.addHook("onResponse", async (req, reply) => {
    httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? "unmatched", status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { hide: true } }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(s.database.db);
      return { status: "ready", database: s.database.kind };
    } catch (err) {
      return reply
        .code(503)
        .type("application/problem+json")
        .send({
          type: "about:blank",
          title: "Database unreachable",
          status: 503,
          code: "unavailable",
          detail: String(err),
        });
    }
  });
  app.get("/metrics", { schema: { hide: true } }, async (req, reply) => {
    const token = s.config.ESKALA_METRICS_TOKEN;
    if (!token) throw new AppError("not_found", "Metrics are off: set ESKALA_METRICS_TOKEN to serve them");
    if (!hasBearer(req.headers.authorization, token)) {
      reply.header("www-authenticate", 'Bearer realm="metrics"');
      throw new AppError("unauthenticated", "Send the metrics token as 'Authorization: Bearer <token>'");
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
