import type { Logger } from "pino";
import type { Services } from "../../http/context.ts";
import { mailboxCache, parseRecipient } from "./addresses.ts";
import { processInboundMail, type InboundDeps } from "./inbound.ts";
import { startSmtpListener, type RecipientVerdict, type SmtpListener } from "./smtp-listener.ts";

const listeners = new WeakMap<object, SmtpListener>();

/** The port the app's SMTP listener is bound to (ESKALA_SMTP_PORT=0 picks a free one), once started. */
export function smtpListenerPort(app: object): number | null {
  return listeners.get(app)?.port ?? null;
}

/**
 * The email intake worker: an SMTP listener on ESKALA_SMTP_PORT (bound to HOST) that accepts
 * mail for the groups' addresses in ESKALA_MAIL_DOMAIN and turns it into tickets and replies.
 */
export function mailIntakeWorker(
  app: Pick<Services, "config" | "database">,
  deps: InboundDeps,
  secret: string,
  log: Logger,
) {
  const domain = app.config.ESKALA_MAIL_DOMAIN;
  const boxes = mailboxCache(app.database.db, domain);
  const checkRecipient = async (address: string): Promise<RecipientVerdict> => {
    const r = parseRecipient(address, domain, secret);
    if (!r) return "relay";
    return (await boxes(Date.now())).some((b) => b.local === r.local) ? "ok" : "unknown";
  };
  return async () => {
    const listener = await startSmtpListener({
      port: app.config.ESKALA_SMTP_PORT,
      host: app.config.HOST,
      name: domain,
      log,
      checkRecipient,
      async deliver(raw, envelope) {
        const result = await processInboundMail(deps, raw, envelope, { secret, log });
        log.info({ ...result }, "mail received");
        if (result.outcome === "ticket") return `2.0.0 Ok: ticket #${result.number} created`;
        if (result.outcome === "message") return "2.0.0 Ok: added to the ticket";
        if (result.outcome === "duplicate") return "2.0.0 Ok: already received";
        return "2.0.0 Ok: automatic mail, not answered";
      },
    });
    listeners.set(app, listener);
    return async () => {
      listeners.delete(app);
      await listener.close();
    };
  };
}
