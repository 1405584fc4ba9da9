import { isPermanentMailError, sendEmail, type TransportConfig } from "../channels/mail/transport.ts";
import type { EmailPayload } from "./outbox.ts";
import { errorText, type KindHandler } from "./outbox-row.ts";

export const IDEMPOTENCY_HEADER = "X-Eskala-Idempotency-Key";

/**
 * Email rows go out through SMTP_URL with the row's idempotency key as a header, so a receiver
 * (or a mail log) can recognise the rare repeat after a crash. A 5xx answer is final.
 */
export function emailHandler(config: TransportConfig): KindHandler {
  return {
    async send(row) {
      const payload = row.payload as unknown as EmailPayload;
      if (!payload.to || !payload.subject)
        return { ok: false, error: "email payload without to/subject", permanent: true };
      try {
        await sendEmail(
          { ...payload, headers: { ...payload.headers, [IDEMPOTENCY_HEADER]: row.idempotency_key } },
          config,
        );
        return { ok: true };
      } catch (err) {
        return { ok: false, error: errorText(err), permanent: isPermanentMailError(err) };
      }
    },
  };
}
