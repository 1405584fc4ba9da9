import type { Attachment } from "@eskala/contracts";
import { LIMITS } from "@eskala/contracts";
import { AppError } from "../lib/app-error.ts";
import type { Executor } from "./ticket-events.ts";

/** Stores attachments in the database (bytea), each within the documented size limit. */
export async function saveAttachments(db: Executor, ticketId: string, messageId: string | null, files: Attachment[]) {
  const rows = files.map((f, i) => {
    const data = Buffer.from(f.content_base64, "base64");
    if (data.length > LIMITS.attachmentBytes) {
      throw new AppError("payload_too_large", `${f.filename} is larger than ${LIMITS.attachmentBytes} bytes`, [
        { path: ["attachments", i, "content_base64"], message: "too large" },
      ]);
    }
    return {
      ticket_id: ticketId,
      message_id: messageId,
      filename: f.filename,
      content_type: f.content_type,
      size: data.length,
      data,
    };
  });
  if (rows.length) await db.insertInto("attachments").values(rows).execute();
}
