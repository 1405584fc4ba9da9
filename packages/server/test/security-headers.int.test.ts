import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./harness.ts";

/** Browser protections on every answer, and Prometheus metrics only for the holder of the metrics token. */
const METRICS_TOKEN = "metrics-token-0123456789";
let t: TestApp;
let closed: TestApp;

beforeAll(async () => {
  t = await startTestApp({ config: { ESKALA_METRICS_TOKEN: METRICS_TOKEN } });
  closed = await startTestApp();
});
afterAll(async () => {
  await t?.close();
  await closed?.close();
});

describe("security headers", () => {
  it.each(["/", "/api/docs/", "/api/v1/tickets", "/api/v1/openapi.json", "/healthz"])(
    "%s carries CSP, frame-ancestors, nosniff and no-referrer",
    async (url) => {
      const res = await t.inject("GET", url, { token: url === "/api/v1/tickets" ? null : undefined });
      const csp = String(res.headers["content-security-policy"]);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain("unsafe-eval");
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["x-frame-options"]).toBe("DENY");
      expect(res.headers["referrer-policy"]).toBe("no-referrer");
      // Plain-http deployments (the default) are not told to upgrade or pinned to https.
      expect(res.headers["strict-transport-security"]).toBeUndefined();
      expect(csp).not.toContain("upgrade-insecure-requests");
    },
  );

  it("pins https with HSTS when the public URL is https", async () => {
    const secure = await startTestApp({ config: { ESKALA_PUBLIC_URL: "https://help.example.com" } });
    try {
      const res = await secure.inject("GET", "/healthz", { token: null });
      expect(res.headers["strict-transport-security"]).toMatch(/max-age=31536000/);
      expect(String(res.headers["content-security-policy"])).toContain("upgrade-insecure-requests");
    } finally {
      await secure.close();
    }
  });
});

describe("metrics", () => {
  it("are not served at all without ESKALA_METRICS_TOKEN", async () => {
    for (const token of [null, closed.people.admin.token]) {
      const res = await closed.inject("GET", "/metrics", { token });
      expect(res.status).toBe(404);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.text).not.toMatch(/eskala_http_request_duration_seconds/);
    }
  });

  it("answer 401 problem+json without the metrics token or with another token", async () => {
    for (const token of [null, "wrong-token-0123456789", t.people.admin.token, `${METRICS_TOKEN}x`]) {
      const res = await t.inject("GET", "/metrics", { token });
      expect(res.status, String(token)).toBe(401);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.headers["www-authenticate"]).toContain("Bearer");
      expect(res.text).not.toMatch(/eskala_http_request_duration_seconds/);
    }
  });

  it("are served with the metrics token as a bearer token", async () => {
    const res = await t.inject("GET", "/metrics", { token: METRICS_TOKEN });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/eskala_http_request_duration_seconds_bucket/);
  });
});
