import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";
import type { Logger } from "pino";
import { MailRefused } from "./inbound.ts";
import type { SmtpSession } from "./sender-auth.ts";

/** Inbound mail over this size is refused with 552 (also announced in EHLO as SIZE). */
export const MAX_MAIL_BYTES = 10 * 1024 * 1024;

export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

export type RecipientVerdict = "ok" | "unknown" | "relay";

export interface SmtpListenerOptions {
  port: number;
  host: string;
  /** The name the server greets with. */
  name: string;
  maxBytes?: number;
  log: Logger;
  checkRecipient(address: string): Promise<RecipientVerdict>;
  /** Processes an accepted mail; returns the text of the 250 reply. Throw MailRefused to refuse it. */
  deliver(raw: Buffer, envelope: SmtpSession & { rcptTo: string[] }): Promise<string>;
}

const smtpError = (responseCode: number, message: string) => Object.assign(new Error(message), { responseCode });

/**
 * The SMTP listener of the email channel: accepts RCPT only for Eskala's mailboxes in its own
 * domain (no open relay), enforces the size limit, and answers 250 only after the mail committed.
 */
export async function startSmtpListener(opts: SmtpListenerOptions): Promise<SmtpListener> {
  const maxBytes = opts.maxBytes ?? MAX_MAIL_BYTES;
  const log = opts.log;
  const server = new SMTPServer({
    name: opts.name,
    banner: "Eskala mail intake",
    size: maxBytes,
    // Plain SMTP on a private port: put it behind the MX (Postfix, a cloud relay) that terminates TLS.
    disabledCommands: ["AUTH", "STARTTLS"],
    authOptional: true,
    logger: false,
    maxClients: 100,
    socketTimeout: 60_000,
    closeTimeout: 2_000,
    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= 50) return callback(smtpError(452, "4.5.3 Too many recipients"));
      opts
        .checkRecipient(address.address)
        .then((verdict) => {
          if (verdict === "ok") return callback();
          if (verdict === "relay") return callback(smtpError(550, "5.7.1 Relaying denied: not a local domain"));
          callback(smtpError(550, `5.1.1 <${address.address}>: no such mailbox`));
        })
        .catch((err) => {
          log.error({ err }, "recipient check failed");
          callback(smtpError(451, "4.3.0 Temporary failure, try again later"));
        });
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBytes) chunks.push(chunk);
      });
      stream.on("error", (err) => {
        log.warn({ err }, "mail stream failed");
        callback(smtpError(451, "4.3.0 Temporary failure, try again later"));
      });
      stream.on("end", () => {
        if (stream.sizeExceeded || size > maxBytes)
          return callback(smtpError(552, `5.3.4 Message exceeds the ${maxBytes} byte limit`));
        const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        opts
          .deliver(Buffer.concat(chunks), {
            mailFrom,
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            // For SPF: who connected and the name it gave.
            clientIp: session.remoteAddress,
            helo: session.hostNameAppearsAs,
          })
          .then((message) => callback(null, message))
          .catch((err) => {
            if (err instanceof MailRefused) return callback(smtpError(err.responseCode, err.message));
            // Not committed: a temporary failure makes the sender retry, so nothing acknowledged is lost.
            log.error({ err }, "mail intake failed");
            callback(smtpError(451, "4.3.0 Temporary failure, try again later"));
          });
      });
    },
  });
  server.on("error", (err) => log.warn({ err }, "SMTP listener error"));
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.server.once("error", onError);
    server.listen(opts.port, opts.host, () => {
      server.server.off("error", onError);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  log.info({ port, host: opts.host }, "SMTP listener started");
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
