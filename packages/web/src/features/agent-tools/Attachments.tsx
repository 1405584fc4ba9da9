import { useId, useRef, useState } from "react";
import "../../styles/agent-tools.css";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../lib/api.ts";
import { Icon } from "../../ui/Icon.tsx";
import { Notice } from "../../ui/Notice.tsx";
import {
  attachmentHref,
  formatSize,
  MAX_FILE_BYTES,
  MAX_FILES,
  MAX_TOTAL_BYTES,
  readFile,
  useAttachments,
  type UploadFile,
} from "./agent-tools-api.ts";

/** Whether a failed send was about its files (too large: 413, or a file the server refused). */
export function isAttachmentProblem(error: unknown): boolean {
  return (
    error instanceof ApiError && (error.status === 413 || error.fieldErrors.some((e) => e.path[0] === "attachments"))
  );
}

/** The server's refusal of a form's files, as a sentence (never the field path). */
export function AttachmentProblem({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation();
  if (!isAttachmentProblem(error)) return null;
  return (
    <Notice kind="error">
      {t("agent_tools.attachments.server_refused", { max: formatSize(MAX_FILE_BYTES, i18n.language) })}
    </Notice>
  );
}

/**
 * Choose files to send with a reply, a note or a new request: each at most 5 MB (said beside
 * the control, and a larger one is refused here with a sentence before anything is sent).
 */
export function AttachmentPicker({
  files,
  onChange,
}: {
  files: UploadFile[];
  onChange: (files: UploadFile[]) => void;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const max = formatSize(MAX_FILE_BYTES, i18n.language);

  const add = async (list: FileList | null) => {
    if (!list?.length) return;
    const chosen = Array.from(list);
    const tooBig = chosen.find((f) => f.size > MAX_FILE_BYTES);
    if (tooBig) {
      setProblem(t("agent_tools.attachments.too_large", { name: tooBig.name, max }));
    } else if (files.length + chosen.length > MAX_FILES) {
      setProblem(t("agent_tools.attachments.too_many", { count: MAX_FILES }));
    } else if (files.reduce((n, f) => n + f.size, 0) + chosen.reduce((n, f) => n + f.size, 0) > MAX_TOTAL_BYTES) {
      setProblem(t("agent_tools.attachments.too_large_total", { max: formatSize(MAX_TOTAL_BYTES, i18n.language) }));
    } else {
      setProblem(null);
      onChange([...files, ...(await Promise.all(chosen.map(readFile)))]);
    }
    if (input.current) input.current.value = "";
  };

  return (
    <div className="attachment-picker">
      <label htmlFor={id} className="button small">
        <Icon name="clip" size={14} /> {t("agent_tools.attachments.add")}
      </label>
      <input
        ref={input}
        id={id}
        type="file"
        multiple
        className="sr-only"
        onChange={(e) => void add(e.target.files)}
        aria-describedby={`${id}-hint`}
      />
      <span id={`${id}-hint`} className="muted small">
        {t("agent_tools.attachments.limit", { max, count: MAX_FILES })}
      </span>
      {problem && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}
      {files.length > 0 && (
        <ul className="attachments" aria-label={t("agent_tools.attachments.chosen")}>
          {files.map((f, i) => (
            <li key={`${f.filename}-${i}`}>
              <Icon name="clip" size={14} /> {f.filename}{" "}
              <span className="muted small">{formatSize(f.size, i18n.language)}</span>{" "}
              <button
                type="button"
                className="link-button small"
                onClick={() => onChange(files.filter((_, j) => j !== i))}
                aria-label={t("agent_tools.attachments.remove", { name: f.filename })}
              >
                {t("agent_tools.attachments.remove_short")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The API body's files (without the size the picker keeps for display). */
export const toBody = (files: UploadFile[]) =>
  files.map(({ filename, content_type, content_base64 }) => ({ filename, content_type, content_base64 }));

/** Files as download links; the server checks each download (a customer: their ticket's public files). */
export function FileLinks({ files }: { files: { id: string; filename: string; size: number }[] }) {
  const { t, i18n } = useTranslation();
  if (!files.length) return null;
  return (
    <ul className="attachments" aria-label={t("ticket.attachments")}>
      {files.map((a) => (
        <li key={a.id}>
          <Icon name="clip" size={14} />{" "}
          <a href={attachmentHref(a.id)} download={a.filename}>
            {a.filename}
          </a>{" "}
          <span className="muted small">{formatSize(a.size, i18n.language)}</span>
        </li>
      ))}
    </ul>
  );
}

/** The files sent with the request itself (not with a message). */
export function RequestFiles({ ticketId }: { ticketId: string }) {
  const files = useAttachments(ticketId);
  return <FileLinks files={(files.data ?? []).filter((f) => f.message_id === null)} />;
}
