import { useQuery } from "@tanstack/react-query";
import type { AttachmentInfo, RequesterSummary, TicketPresence } from "@eskala/contracts";
import { api } from "../../lib/api.ts";
import type { Items } from "../../lib/types.ts";

export type { AttachmentInfo, RequesterSummary, TicketPresence };

/** The customer panel's data: the requester's other tickets, organisation and ratings. */
export function useRequesterSummary(userId: string) {
  return useQuery({
    queryKey: ["requester-summary", userId],
    queryFn: () => api.get<RequesterSummary>(`/users/${userId}/summary`),
    staleTime: 30_000,
  });
}

/** The ticket's files the viewer may read (its key sits under the ticket's, so changes refresh it). */
export function useAttachments(ticketId: string) {
  return useQuery({
    queryKey: ["ticket", ticketId, "attachments"],
    queryFn: () => api.get<Items<AttachmentInfo>>(`/tickets/${ticketId}/attachments`),
    select: (d) => d.items,
  });
}

export const attachmentHref = (id: string) => `/api/v1/attachments/${id}`;

/**
 * The largest file the server takes (contracts' LIMITS.attachmentBytes; not imported, so zod stays
 * out of the bundle), and how many at once within the request's 8 MiB body.
 */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_FILES = 5;
export const MAX_TOTAL_BYTES = 6 * 1024 * 1024;

export type UploadFile = { filename: string; content_type: string; content_base64: string; size: number };

/** Reads a chosen file into the API's attachment shape. */
export function readFile(file: File): Promise<UploadFile> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error("read failed"));
    reader.onload = () => {
      const url = String(reader.result);
      resolve({
        filename: file.name,
        content_type: file.type || "application/octet-stream",
        content_base64: url.slice(url.indexOf(",") + 1),
        size: file.size,
      });
    };
    reader.readAsDataURL(file);
  });
}

/** A size in the viewer's language: "1,2 MB" / "1.2 MB". */
export function formatSize(bytes: number, lang: string): string {
  const fmt = (n: number) => n.toLocaleString(lang === "id" ? "id-ID" : "en-GB", { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${fmt(bytes / 1024)} KB`;
  return `${fmt(bytes / (1024 * 1024))} MB`;
}
