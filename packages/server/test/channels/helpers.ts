import net from "node:net";
import nodemailer, { type SendMailOptions } from "nodemailer";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import type { Config } from "../../src/config.ts";
import type { Clock } from "../../src/lib/clock.ts";
import { smtpListenerPort } from "../../src/channels/mail/mail-intake.ts";
import { startTestApp, type TestApp } from "../harness.ts";

export const DOMAIN = "eskala.local";

/** A test app with the demo mailboxes (support@ → Frontline, billing@ → Billing). */
export async function startChannelsApp(config: Partial<Config> = {}, clock?: Clock): Promise<TestApp> {
  const t = await startTestApp({
    config: { ESKALA_SMTP_PORT: 0, HOST: "127.0.0.1", ...config },
    ...(clock ? { clock } : {}),
  });
  await t.db.updateTable("groups").set({ email_address: "support" }).where("id", "=", t.groups.frontline).execute();
  await t.db.updateTable("groups").set({ email_address: "billing" }).where("id", "=", t.groups.billing).execute();
  return t;
}

/** Starts the app's workers (the SMTP listener among them) and returns the listener's port. */
export async function startMailIntake(t: TestApp): Promise<number> {
  await t.services.startWorkers();
  const port = smtpListenerPort(t.services);
  if (!port) throw new Error("the SMTP listener did not start");
  return port;
}

/** Sends a mail into the listener with nodemailer, as a real MTA would. */
export async function sendMail(port: number, mail: SendMailOptions) {
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail(mail);
  } finally {
    transport.close();
  }
}

/** The SMTP error (code and text) a send is refused with. */
export async function refusal(promise: Promise<unknown>): Promise<{ responseCode: number; response: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { responseCode?: number; response?: string };
    return { responseCode: e.responseCode ?? 0, response: e.response ?? String(err) };
  }
  throw new Error("the mail was accepted");
}

/**
 * A bare SMTP conversation: each step is a command, or `{ data }` for DATA and its content.
 * Returns the reply to each step (the greeting first).
 */
export async function smtpTalk(port: number, steps: (string | { data: string })[]): Promise<string[]> {
  const socket = net.connect(port, "127.0.0.1");
  let buffer = "";
  const waiters: ((reply: string) => void)[] = [];
  socket.on("data", (chunk) => {
    buffer += chunk.toString("utf8");
    let m: RegExpExecArray | null;
    while ((m = /^(?:\d{3}-.*\r\n)*\d{3} .*\r\n/.exec(buffer))) {
      buffer = buffer.slice(m[0].length);
      waiters.shift()?.(m[0].trim().split("\r\n").pop()!);
    }
  });
  const next = () => new Promise<string>((resolve) => waiters.push(resolve));
  const replies = [await next()];
  for (const step of steps) {
    if (typeof step === "string") {
      socket.write(`${step}\r\n`);
      replies.push(await next());
    } else {
      socket.write("DATA\r\n");
      const go = await next();
      if (!go.startsWith("354")) {
        replies.push(go);
        continue;
      }
      const body = step.data.replace(/\r?\n/g, "\r\n").replace(/^\./gm, "..");
      socket.write(`${body}\r\n.\r\n`);
      replies.push(await next());
    }
  }
  socket.end("QUIT\r\n");
  return replies;
}

/** A local SMTP server that keeps what it receives: outbound mail lands here. */
export async function startCapturingSmtp(): Promise<{
  url: string;
  mails: ParsedMail[];
  raw: string[];
  close: () => Promise<void>;
}> {
  const mails: ParsedMail[] = [];
  const raw: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const text = Buffer.concat(chunks);
        raw.push(text.toString("utf8"));
        simpleParser(text)
          .then((m) => {
            mails.push(m);
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as net.AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    mails,
    raw,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Counted =
  | "tickets"
  | "messages"
  | "ticket_events"
  | "users"
  | "attachments"
  | "mail_messages"
  | "mail_rejections"
  | "outbox"
  | "csat_surveys"
  | "kb_deflections"
  | "ticket_links"
  | "integration_signatures"
  | "mail_templates"
  | "kb_articles";

/** Row counts of the tables a refused input must leave untouched. */
export async function counts(t: TestApp, tables: Counted[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const row = await t.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

export const ALL_MAIL_TABLES: Counted[] = [
  "tickets",
  "messages",
  "ticket_events",
  "users",
  "attachments",
  "mail_messages",
  "mail_rejections",
  "outbox",
];

/** Pending email rows of the outbox, oldest first. */
export async function outboxEmails(t: TestApp, ticketId?: string) {
  let q = t.db.selectFrom("outbox").selectAll().where("kind", "=", "email");
  if (ticketId) q = q.where("ticket_id", "=", ticketId);
  const rows = await q.orderBy("id").execute();
  return rows.map((r) => ({
    ...r,
    payload: r.payload as unknown as import("../../src/outbox/outbox.ts").EmailPayload,
  }));
}

/** Waits until `check` returns a value (the listener answers 250 after commit, so this is rarely needed). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, ms = 5_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}
