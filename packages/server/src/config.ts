import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** The background workers a process can run (`ESKALA_WORKERS`): deadline timers, the outbox relay, inbound mail, IMAP mailboxes. */
export const WORKER_NAMES = ["timers", "outbox", "mail", "imap"] as const;

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  ESKALA_DATA_DIR: z.string().default("./data"),
  ESKALA_PG_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  ESKALA_TIMER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  ESKALA_TIMER_BATCH: z.coerce.number().int().min(1).max(1000).default(100),
  ESKALA_ADMIN_TOKEN: z.string().min(16, "at least 16 characters").optional(),
  ESKALA_PUBLIC_URL: z.url().optional(),
  ESKALA_SECRET: z.string().min(16).optional(),
  ESKALA_DEMO: bool.default(true),
  /** Demo customers keep writing (a new ticket or a reply every 30–90 s); `serve --live` turns it on too. */
  ESKALA_DEMO_LIVE: bool.default(false),
  ESKALA_WORKER: bool.default(true),
  ESKALA_WORKERS: z
    .string()
    .default("timers,outbox,mail,imap")
    .transform((s) =>
      s
        .split(",")
        .map((w) => w.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(WORKER_NAMES)).min(1, "name at least one of timers, outbox, mail, imap")),
  ESKALA_LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  /** Failed sign-ins to one account, from any addresses, in 15 minutes before addresses that failed must wait. */
  ESKALA_LOGIN_ACCOUNT_LIMIT: z.coerce.number().int().min(1).default(20),
  /** Failed sign-ins from one address, to any accounts, in 15 minutes before it must wait. */
  ESKALA_LOGIN_ADDRESS_LIMIT: z.coerce.number().int().min(1).default(50),
  /** Hosts, addresses and CIDR ranges webhooks may reach although they are not public (on-premises receivers). */
  ESKALA_WEBHOOK_ALLOW: z.string().default(""),
  /** The bearer token Prometheus sends to read /metrics; without it /metrics is not served. */
  ESKALA_METRICS_TOKEN: z.string().min(16, "at least 16 characters").optional(),
  ESKALA_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  ESKALA_MAIL_DOMAIN: z.string().default("eskala.local"),
  /** Behind a relay of your own: verify senders with the client address of the relay's Received header. */
  ESKALA_SMTP_TRUST_RECEIVED: bool.default(false),
  SMTP_URL: z.string().optional(),
  /** WhatsApp Business (Cloud API): the token Meta sends in the webhook's verify handshake (hub.verify_token). */
  ESKALA_WHATSAPP_VERIFY_TOKEN: z.string().min(1).optional(),
  /** The app secret that signs webhook deliveries (X-Hub-Signature-256); without it every delivery is refused. */
  ESKALA_WHATSAPP_APP_SECRET: z.string().min(1).optional(),
  /** The Graph API base URL replies are sent to (`{url}/{phone-number-id}/messages`) and media fetched from. */
  ESKALA_WHATSAPP_API_URL: z.url().default("https://graph.facebook.com/v21.0"),
  /** The business phone number's id in the Cloud API. */
  ESKALA_WHATSAPP_PHONE_NUMBER_ID: z.string().min(1).optional(),
  /** The access token (a system user's) sent as `Authorization: Bearer`. */
  ESKALA_WHATSAPP_TOKEN: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Config = z.infer<typeof ConfigSchema>;
export type WorkerName = (typeof WORKER_NAMES)[number];

/** Reads the environment once; a bad value stops the process with a readable list. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** Config for tests and embedded use: defaults with overrides, no environment read. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...ConfigSchema.parse({}), ESKALA_DEMO: false, ESKALA_WORKER: false, LOG_LEVEL: "silent", ...overrides };
}
