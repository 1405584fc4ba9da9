import type { Logger } from "pino";
import type { Composition } from "../../compose.ts";
import type { ChannelWiring } from "../compose-channels.ts";
import { createOutboundGuard } from "../../outbox/outbound-guard.ts";
import { processInboundMail, type InboundDeps } from "../mail/inbound.ts";
import { createImapFetcher, type ImapFetcher, type ImapFetcherOptions, type ImapIntake } from "./fetcher.ts";
import { mailboxRoutes } from "./mailboxes.routes.ts";
import { createMailboxesService } from "./mailboxes.service.ts";

const fetchers = new WeakMap<object, ImapFetcher>();

/**
 * Wires the IMAP mailboxes: `/api/v1/mailboxes` and the `imap` worker that fetches from them into
 * the same intake as the SMTP listener.
 */
export function composeImap(app: Composition, wiring: ChannelWiring, deps: InboundDeps, secret: string, log: Logger) {
  // The webhooks' policy for the mailbox's host: checked when saved, and again on each connection.
  const guard = createOutboundGuard({ allow: app.config.ESKALA_WEBHOOK_ALLOW });
  const resolve = (host: string) =>
    new Promise<string>((ok, fail) =>
      guard.lookup(host, {}, (err, address) => (err ? fail(err) : ok(address as string))),
    );
  const mailboxes = createMailboxesService({
    db: app.database.db,
    secret,
    onChange: () => fetchers.get(app)?.poke(),
    guard,
    clientOptions: { resolve },
  });
  app.extraRoutes ??= [];
  app.extraRoutes.push(mailboxRoutes(mailboxes));
  const imapLog = log.child({ part: "imap" });
  imapDeps.set(app, { deps, secret, log: imapLog, resolve });
  wiring.addWorker("imap", async () => {
    const fetcher = createAppImapFetcher(app);
    fetchers.set(app, fetcher);
    fetcher.start();
    return async () => {
      fetchers.delete(app);
      await fetcher.stop();
    };
  });
}

const imapDeps = new WeakMap<
  object,
  { deps: InboundDeps; secret: string; log: Logger; resolve: (host: string) => Promise<string> }
>();

/** A fetcher on the app's database and intake (the worker's, or a test's with its own options). */
export function createAppImapFetcher(app: Composition, opts: ImapFetcherOptions = {}): ImapFetcher {
  const wired = imapDeps.get(app);
  if (!wired) throw new Error("composeImap has not run for this app");
  const { deps, secret, log, resolve } = wired;
  const intake: ImapIntake = (raw, key, mailbox, recipients) =>
    processInboundMail(
      deps,
      raw,
      // No SMTP session: the mailbox's provider received it, so its Received header names the client.
      { mailFrom: null, rcptTo: recipients },
      { secret, log, imap: key, groupId: mailbox.group_id, trustReceived: true },
    );
  return createImapFetcher({ db: app.database.db, secret, log, intake }, { ...opts, client: { resolve, ...opts.client } });
}
