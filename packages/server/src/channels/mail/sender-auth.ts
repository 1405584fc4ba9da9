import { promises as dns } from "node:dns";
import { authenticate, type DNSResolver } from "mailauth";
import type { Logger } from "pino";

/** Looks up DNS records as `dns.promises.resolve` does (TXT answers as arrays of strings). */
export type DnsResolver = DNSResolver;

/** The system's DNS: what the intake verifies senders with in production. */
export const systemDns: DnsResolver = (name, rrtype) => dns.resolve(name, rrtype) as Promise<string[][] | string[]>;

/** What the SMTP session told about the sender. */
export interface SmtpSession {
  /** The envelope MAIL FROM; "" for a bounce, null when unknown. */
  mailFrom: string | null;
  /** The connecting client's address. */
  clientIp?: string | null;
  /** The name the client gave in HELO/EHLO. */
  helo?: string | null;
}

export interface SenderCheck {
  /** The From domain is proven: DMARC passed (an aligned SPF or DKIM pass). */
  verified: boolean;
  /** The DMARC result (pass, fail, none, temperror, permerror, …). */
  dmarc: string;
}

export interface SenderAuthOptions {
  resolver: DnsResolver;
  /** The name of this receiver in the Authentication-Results it computes. */
  mta: string;
  /** Behind a relay of your own: take the client's address and HELO from its Received header. */
  trustReceived: boolean;
  log: Logger;
}

/**
 * Whether a mail's From domain is proven, by DMARC as `mailauth` checks it: SPF with the SMTP
 * session's client address, HELO and envelope sender, DKIM signatures, and their alignment
 * with the From domain under the domain's published DMARC record. A domain without a DMARC
 * record (`none`) or a DNS failure (`temperror`) proves nothing.
 */
export async function checkSender(raw: Buffer, session: SmtpSession, opts: SenderAuthOptions): Promise<SenderCheck> {
  try {
    const result = await authenticate(raw, {
      ...(opts.trustReceived
        ? { trustReceived: true }
        : {
            ...(session.clientIp ? { ip: session.clientIp } : {}),
            ...(session.helo ? { helo: session.helo } : {}),
            ...(session.mailFrom !== null ? { sender: session.mailFrom } : {}),
          }),
      mta: opts.mta,
      resolver: opts.resolver,
      disableArc: true,
      disableBimi: true,
    });
    // false when the mail has no single From address.
    const dmarc = result.dmarc ? result.dmarc.status.result : "none";
    return { verified: dmarc === "pass", dmarc };
  } catch (err) {
    opts.log.warn({ err }, "sender verification failed");
    return { verified: false, dmarc: "temperror" };
  }
}
