import { LIMITS } from "@eskala/contracts";
import { fetch } from "undici";
import type { Config } from "../../config.ts";
import { RETRY } from "../../outbox/backoff.ts";
import { clipError, errorText, type KindHandler, type Outcome } from "../../outbox/outbox-row.ts";
import { REFUSED_PRIVATE, type OutboundGuard } from "../../outbox/outbound-guard.ts";
import { appendEvents } from "../../tickets/ticket-events.ts";
import type { WhatsappSendPayload } from "./outbound.ts";

export type WhatsappConfig = Pick<
  Config,
  "ESKALA_WHATSAPP_API_URL" | "ESKALA_WHATSAPP_PHONE_NUMBER_ID" | "ESKALA_WHATSAPP_TOKEN"
>;

const TIMEOUT_MS = 15_000;

interface MediaPayload {
  op: "media";
  media_id: string;
  mime_type: string;
  filename: string;
  message_id: string | null;
}

/** Meta's error body, `{error:{message, code, error_data:{details}}}`, as one line. */
async function metaError(res: Awaited<ReturnType<typeof fetch>>): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const e = (JSON.parse(text) as { error?: { message?: string; code?: number; error_data?: { details?: string } } })
      .error;
    if (e) {
      const details = e.error_data?.details && e.error_data.details !== e.message ? ` (${e.error_data.details})` : "";
      return clipError(`HTTP ${res.status}: ${e.code ? `(#${e.code}) ` : ""}${e.message ?? "error"}${details}`);
    }
  } catch {
    /* not JSON */
  }
  return clipError(`HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ""}`);
}

/**
 * The `whatsapp` outbox kind: a message sent to the Graph API's messages endpoint
 * (`{ESKALA_WHATSAPP_API_URL}/{phone-number-id}/messages`, bearer token), or an inbound media file
 * fetched (`{url}/{media-id}` for its address, then the file) and stored as the message's
 * attachment. Failures are retried with the outbox's backoff; the ticket's timeline says so at the
 * first failure and when the relay gives up. Media files are downloaded only through the outbound
 * address guard (`dispatcher`).
 */
export function whatsappHandler(deps: {
  config: WhatsappConfig;
  guard: Pick<OutboundGuard, "dispatcher" | "isRefusedLiteral">;
  timeoutMs?: number;
}): KindHandler {
  const base = deps.config.ESKALA_WHATSAPP_API_URL.replace(/\/+$/, "");
  const token = deps.config.ESKALA_WHATSAPP_TOKEN;
  const timeoutMs = deps.timeoutMs ?? TIMEOUT_MS;
  const auth = { authorization: `Bearer ${token ?? ""}` };

  async function send(p: WhatsappSendPayload): Promise<Outcome> {
    const phone = deps.config.ESKALA_WHATSAPP_PHONE_NUMBER_ID;
    if (!phone || !token)
      return {
        ok: false,
        error: "WhatsApp is not configured (ESKALA_WHATSAPP_PHONE_NUMBER_ID, ESKALA_WHATSAPP_TOKEN)",
        permanent: true,
      };
    const res = await fetch(`${base}/${encodeURIComponent(phone)}/messages`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ messaging_product: "whatsapp", recipient_type: "individual", to: p.to, ...p.message }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return { ok: false, error: await metaError(res) };
    const body = (await res.json().catch(() => null)) as { messages?: { id?: string }[] } | null;
    const wamid = body?.messages?.[0]?.id;
    if (!wamid) return { ok: false, error: "the Graph API answered without a message id" };
    return { ok: true, meta: { wamid } };
  }

  async function media(p: MediaPayload): Promise<Outcome> {
    if (!token) return { ok: false, error: "WhatsApp is not configured (ESKALA_WHATSAPP_TOKEN)", permanent: true };
    const info = await fetch(`${base}/${encodeURIComponent(p.media_id)}`, {
      headers: auth,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!info.ok) return { ok: false, error: await metaError(info) };
    const { url, mime_type } = (await info.json()) as { url?: string; mime_type?: string };
    if (!url || !/^https?:\/\//.test(url))
      return { ok: false, error: "the Graph API gave no media URL", permanent: true };
    if (deps.guard.isRefusedLiteral(url)) return { ok: false, error: REFUSED_PRIVATE, permanent: true };
    const file = await fetch(url, {
      headers: auth,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      dispatcher: deps.guard.dispatcher,
    });
    if (!file.ok) return { ok: false, error: await metaError(file) };
    const data = Buffer.from(await file.arrayBuffer());
    if (data.length > LIMITS.attachmentBytes)
      return { ok: false, error: `the file is larger than ${LIMITS.attachmentBytes} bytes`, permanent: true };
    return { ok: true, meta: { data, mime: mime_type ?? p.mime_type } };
  }

  return {
    async send(row) {
      const p = row.payload as { op?: string };
      try {
        if (p.op === "send") return await send(row.payload as unknown as WhatsappSendPayload);
        if (p.op === "media") return await media(row.payload as unknown as MediaPayload);
        return { ok: false, error: `unknown WhatsApp operation ${String(p.op)}`, permanent: true };
      } catch (err) {
        const cause = (err as { cause?: unknown }).cause;
        return { ok: false, error: errorText(cause instanceof Error ? cause : err) };
      }
    },
    async commit(trx, row, outcome, now) {
      if (!outcome || !row.ticket_id) return;
      const op = (row.payload as { op?: string }).op;
      if (outcome.ok && op === "send") {
        await trx
          .insertInto("whatsapp_messages")
          .values({
            wamid: String(outcome.meta?.wamid),
            direction: "outbound",
            wa_id: (row.payload as unknown as WhatsappSendPayload).to,
            ticket_id: row.ticket_id,
            message_id: null,
            created_at: now,
          })
          .onConflict((oc) => oc.column("wamid").doNothing())
          .execute();
        return;
      }
      if (outcome.ok && op === "media") {
        const p = row.payload as unknown as MediaPayload;
        const data = outcome.meta!.data as Buffer;
        await trx
          .insertInto("attachments")
          .values({
            ticket_id: row.ticket_id,
            message_id: p.message_id,
            filename: p.filename,
            content_type: String(outcome.meta!.mime ?? p.mime_type),
            size: data.length,
            data,
          })
          .execute();
        return;
      }
      if (outcome.ok) return;
      // Said on the ticket at the first failure and when the relay gives up, not at every retry.
      const final = outcome.permanent || row.attempts >= RETRY.maxAttempts;
      if (row.attempts !== 1 && !final) return;
      await appendEvents(trx, null, [
        {
          ticketId: row.ticket_id,
          type: op === "media" ? "whatsapp.media_failed" : "whatsapp.failed",
          at: now,
          actorKind: "system",
          data: {
            error: outcome.error,
            attempt: row.attempts,
            final,
            ...(op === "media"
              ? { filename: (row.payload as unknown as MediaPayload).filename }
              : { kind: (row.payload as unknown as WhatsappSendPayload).kind }),
          },
        },
      ]);
    },
  };
}
