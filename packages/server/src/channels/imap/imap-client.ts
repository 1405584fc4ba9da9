import { ImapFlow } from "imapflow";
import ipaddr from "ipaddr.js";
import type { MAILBOX_ERROR_CODES } from "@eskala/contracts";
import type { ImapTls } from "../../db/schema-mailboxes.ts";

export type MailboxErrorCode = (typeof MAILBOX_ERROR_CODES)[number];

/** Where and how to reach a mailbox. */
export interface ImapTarget {
  host: string;
  port: number;
  tls: ImapTls;
  user: string;
  password: string | null;
  folder: string;
}

export interface ImapClientOptions {
  /** Milliseconds of quiet before IDLE starts (imapflow's auto-IDLE). */
  autoIdleDelay?: number;
  /** Milliseconds to connect and read the greeting. */
  connectTimeout?: number;
  /**
   * The address to connect to for a host, checked when connecting (the outbound guard: a name that
   * now resolves to a private address is refused with EREFUSEDPRIVATE); the host itself if absent.
   */
  resolve?: (host: string) => Promise<string>;
}

/** The client for the mailbox, connected to the address `resolve` allows (TLS still checks the host's name). */
export async function guardedImapClient(t: ImapTarget, opts: ImapClientOptions = {}): Promise<ImapFlow> {
  const address = opts.resolve ? await opts.resolve(t.host.replace(/^\[|\]$/g, "")) : undefined;
  return imapClient(t, opts, address);
}

/** An imapflow client for the mailbox: implicit TLS, STARTTLS (required), or plain. */
export function imapClient(t: ImapTarget, opts: ImapClientOptions = {}, address?: string): ImapFlow {
  const timeout = opts.connectTimeout ?? 15_000;
  const named = !ipaddr.isValid(t.host.replace(/^\[|\]$/g, ""));
  return new ImapFlow({
    host: address ?? t.host,
    ...(address && named ? { servername: t.host } : {}),
    port: t.port,
    secure: t.tls === "implicit",
    // STARTTLS when asked for is required (no silent fall back to plain text); never tried otherwise.
    doSTARTTLS: t.tls === "starttls" ? true : false,
    auth: { user: t.user, pass: t.password ?? "" },
    logger: false,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: 5 * 60_000,
    autoIdleDelay: opts.autoIdleDelay ?? 1_000,
    // A server without IDLE is polled with NOOP between our own syncs.
    missingIdleCommand: "NOOP",
    disableAutoEnable: true,
  });
}

/** A failure of the folder itself (it does not exist or may not be opened). */
export class FolderError extends Error {
  constructor(
    readonly folder: string,
    cause: unknown,
  ) {
    super(`The folder "${folder}" could not be opened`, { cause });
    this.name = "FolderError";
  }
}

type ErrorLike = {
  code?: string;
  authenticationFailed?: boolean;
  serverResponseCode?: string;
  responseText?: string;
  message?: string;
};

/** Why a connection or fetch failed, as a code and an English sentence (the web words the code). */
export function describeImapError(
  err: unknown,
  t: Pick<ImapTarget, "host" | "port">,
): {
  code: MailboxErrorCode;
  message: string;
} {
  const where = `${t.host}:${t.port}`;
  if (err instanceof FolderError)
    return {
      code: "folder_missing",
      message: `The folder "${err.folder}" does not exist on the server or may not be opened.`,
    };
  const e = (err ?? {}) as ErrorLike;
  const code = e.code ?? "";
  if (code === "EREFUSEDPRIVATE")
    return {
      code: "unreachable",
      message: `The server at ${where} is at a loopback, private, link-local or metadata address; only an address in ESKALA_WEBHOOK_ALLOW may be used.`,
    };
  const text = `${e.message ?? ""} ${e.responseText ?? ""}`;
  if (e.authenticationFailed || e.serverResponseCode === "AUTHENTICATIONFAILED" || /AUTHENTICATIONFAILED/i.test(text))
    return { code: "auth_failed", message: `The server at ${where} refused the user name or password.` };
  if (/TIMEOUT/i.test(code) || code === "ETIMEDOUT")
    return { code: "timeout", message: `The server at ${where} did not answer in time.` };
  if (
    /^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/.test(code) ||
    /ssl|tls|certificate|STARTTLS/i.test(text)
  )
    return {
      code: "tls_failed",
      message: `A secure (TLS) connection to ${where} could not be made: ${oneLine(text)}.`,
    };
  if (
    [
      "ECONNREFUSED",
      "ENOTFOUND",
      "EHOSTUNREACH",
      "ENETUNREACH",
      "EAI_AGAIN",
      "ECONNRESET",
      "NoConnection",
      "EConnectionClosed",
      "ClosedAfterConnectText",
      "ClosedAfterConnectTLS",
    ].includes(code)
  )
    return { code: "unreachable", message: `The server at ${where} could not be reached (${code}).` };
  return { code: "other", message: `Fetching from ${where} failed: ${oneLine(text) || "unknown error"}.` };
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim().replace(/[.]$/, "").slice(0, 300);

/** Connects, signs in and opens the folder; says what happened. */
export async function testImapConnection(t: ImapTarget, opts: ImapClientOptions = {}) {
  let client: ImapFlow;
  try {
    client = await guardedImapClient(t, { ...opts, connectTimeout: opts.connectTimeout ?? 10_000 });
  } catch (err) {
    const d = describeImapError(err, t);
    return { ok: false, error_code: d.code, message: d.message, messages: null };
  }
  client.on("error", () => {});
  try {
    await client.connect();
    let exists: number;
    try {
      exists = (await client.mailboxOpen(t.folder, { readOnly: true })).exists;
    } catch (err) {
      throw new FolderError(t.folder, err);
    }
    return {
      ok: true,
      error_code: null,
      message: `Connected to ${t.host}:${t.port}; the folder "${t.folder}" holds ${exists} messages.`,
      messages: exists,
    };
  } catch (err) {
    const d = describeImapError(err, t);
    return { ok: false, error_code: d.code, message: d.message, messages: null };
  } finally {
    await client.logout().catch(() => client.close());
  }
}
