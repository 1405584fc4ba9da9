import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";

/**
 * Browser protections on every answer, through helmet: a Content-Security-Policy the web app and
 * the API reference (/api/docs, swagger-ui) work under (scripts and connections to this origin
 * only, no plugins, no framing by other sites), `nosniff`, `Referrer-Policy: no-referrer` (sign-in
 * and survey links carry tokens), and HSTS with upgrade of insecure requests when the public URL
 * is https.
 */
export async function registerSecurityHeaders(app: FastifyInstance, opts: { publicUrl?: string | undefined }) {
  const https = opts.publicUrl?.startsWith("https:") ?? false;
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "base-uri": ["'self'"],
        "script-src": ["'self'"],
        "script-src-attr": ["'none'"],
        // swagger-ui and React set inline styles; styles cannot run code.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        ...(https ? { "upgrade-insecure-requests": [] } : {}),
      },
    },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
}
