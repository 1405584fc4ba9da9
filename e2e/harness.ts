/**
 * Browser journeys' harness: starts `eskala serve` on a fresh embedded database with the demo
 * data, launches Debian's Chromium through playwright-core, and hands out signed-in pages.
 * It builds nothing: `npm run test:e2e` builds the web app first.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type APIRequestContext, type Browser, type BrowserContext, type Page } from "playwright-core";
import type { TestContext } from "vitest";

const REPO = resolve(fileURLToPath(new URL("..", import.meta.url)));
/** The checkout whose server is started (another one can be named for local runs). */
const SERVER_ROOT = process.env.ESKALA_E2E_ROOT ?? REPO;
export const ARTIFACTS = join(REPO, "e2e", "artifacts");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const DEMO_PASSWORD = "eskala-demo";
export const DEMO = {
  admin: "admin@eskala.local",
  supervisor: "supervisor@eskala.local",
  tier1: "agent1@eskala.local",
  tier2: "agent2@eskala.local",
  tier3: "agent3@eskala.local",
  customer: "customer@example.com",
} as const;

export type Harness = { baseUrl: string; browser: Browser; stop: () => Promise<void> };

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => ok(port));
    });
  });
}

async function waitForReady(
  baseUrl: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`eskala serve exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${baseUrl}/readyz`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`eskala serve was not ready within ${timeoutMs} ms:\n${output()}`);
}

/** Starts the server (demo data, its own temp data dir and port) and the browser; `env` adds or overrides variables. */
export async function startHarness(
  opts: { env?: Record<string, string>; readyTimeoutMs?: number } = {},
): Promise<Harness> {
  if (!existsSync(join(SERVER_ROOT, "packages/web/dist/index.html"))) {
    throw new Error("packages/web/dist is missing: run `npm run build:web` (npm run test:e2e does it).");
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const dataDir = await mkdtemp(join(tmpdir(), "eskala-e2e-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let log = "";
  const child = spawn(join(REPO, "node_modules/.bin/tsx"), ["packages/server/src/main.ts", "serve"], {
    cwd: SERVER_ROOT,
    // SMTP port 0: the mail listener takes any free port, so runs never collide with a dev server.
    env: {
      ...process.env,
      ESKALA_DATA_DIR: dataDir,
      PORT: String(port),
      ESKALA_SMTP_PORT: "0",
      ESKALA_DEMO: "true",
      LOG_LEVEL: "warn",
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);

  const stopServer = async () => {
    if (child.exitCode !== null || !child.pid) return;
    const exited = new Promise((r) => child.once("exit", r));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitForReady(baseUrl, child, () => log, opts.readyTimeoutMs ?? 150_000);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    return {
      baseUrl,
      browser,
      stop: async () => {
        await browser.close().catch(() => undefined);
        await stopServer();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await stopServer();
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

export type Session = { context: BrowserContext; page: Page; api: Api };

/** The API as a signed-in user: JSON in and out, CSRF header included. */
export type Api = {
  get: <T = any>(path: string) => Promise<T>;
  post: <T = any>(path: string, body?: unknown) => Promise<T>;
  patch: <T = any>(path: string, body: unknown) => Promise<T>;
};

async function apiFor(request: APIRequestContext, baseUrl: string, email: string): Promise<Api> {
  const res = await request.post(`${baseUrl}/api/v1/auth/login`, { data: { email, password: DEMO_PASSWORD } });
  if (!res.ok()) throw new Error(`login ${email}: ${res.status()} ${await res.text()}`);
  const { csrf_token: csrf } = (await res.json()) as { csrf_token: string };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await request.fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: method === "GET" ? {} : { "x-csrf-token": csrf },
      ...(body === undefined ? {} : { data: body }),
    });
    if (!r.ok()) throw new Error(`${method} ${path}: ${r.status()} ${await r.text()}`);
    return (r.status() === 204 ? undefined : await r.json()) as T;
  };
  return {
    get: (path) => call("GET", path),
    post: (path, body) => call("POST", path, body ?? {}),
    patch: (path, body) => call("PATCH", path, body),
  };
}

/**
 * A fresh browser context (own cookies), signed in through the API when `email` is given, in
 * the viewer zone Asia/Jakarta. Tracing runs so a failed journey leaves a trace in artifacts.
 */
export async function openSession(h: Harness, email?: string, opts: { locale?: string } = {}): Promise<Session> {
  const context = await h.browser.newContext({
    baseURL: h.baseUrl,
    locale: opts.locale ?? "en-GB",
    timezoneId: "Asia/Jakarta",
    viewport: { width: 1366, height: 860 },
  });
  await context.tracing.start({ screenshots: true, snapshots: true });
  const api = email ? await apiFor(context.request, h.baseUrl, email) : await unsignedApi();
  const page = await context.newPage();
  return { context, page, api };
}

async function unsignedApi(): Promise<Api> {
  const fail = async (): Promise<never> => {
    throw new Error("this session is not signed in");
  };
  return { get: fail, post: fail, patch: fail };
}

/** Closes a session; keeps its trace when the journey failed. */
export async function closeSession(s: Session, name: string, failed: boolean): Promise<void> {
  await s.context.tracing.stop(failed ? { path: join(ARTIFACTS, `trace-${name}.zip`) } : {}).catch(() => undefined);
  await s.context.close().catch(() => undefined);
}

/**
 * A journey's session: signed in as `email` (the page in `language`, when given), closed when the
 * journey ends, its trace kept if the journey failed.
 */
export async function journeySession(
  h: Harness,
  ctx: TestContext,
  email?: string,
  language?: "id" | "en",
): Promise<Session> {
  const s = await openSession(h, email);
  s.context.setDefaultTimeout(20_000);
  if (email && language) await s.api.patch("/me", { language });
  ctx.onTestFinished(() =>
    closeSession(s, ctx.task.name.replace(/\W+/g, "-").slice(0, 60), ctx.task.result?.state === "fail"),
  );
  return s;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** A unique suffix so journeys never depend on each other's data. */
export const unique = (prefix: string) => `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
