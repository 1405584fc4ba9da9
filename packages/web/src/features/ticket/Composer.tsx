import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { RESOLUTION_CODES } from "@eskala/core";
import { Field } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import type { Ticket, TicketStatus } from "../../lib/types.ts";
import { AttachmentPicker, AttachmentProblem, isAttachmentProblem, toBody } from "../agent-tools/Attachments.tsx";
import type { UploadFile } from "../agent-tools/agent-tools-api.ts";
import { setComposing } from "../agent-tools/presence.ts";
import { useStaff } from "../console/reference.ts";
import { MentionTextarea } from "./MentionTextarea.tsx";
import { useAddMessage } from "./ticket-api.ts";
import { MacroPicker } from "../macros/MacroPicker.tsx";
import { useApplyMacro, type Macro, type RenderedMacro } from "../macros/workspace-api.ts";

const STATUS_WITH_REPLY: TicketStatus[] = ["open", "pending", "on_hold", "solved"];

/** Reply to the customer or leave an internal note (with @mentions), optionally setting the status. */
export function Composer({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const staff = useStaff();
  const add = useAddMessage(ticket.id);
  const applyMacro = useApplyMacro(ticket.id);
  // A picked macro: its text fills the box; its field changes go with the reply (one change).
  const [picked, setPicked] = useState<{ macro: Macro; rendered: RenderedMacro } | null>(null);
  const [kind, setKind] = useState<"reply" | "note">("reply");
  const [body, setBody] = useState("");
  const [status, setStatus] = useState<TicketStatus | "">("");
  const [resolution, setResolution] = useState("");
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fieldError = useFieldErrors(add.error ?? applyMacro.error, clientErrors);
  const [sent, setSent] = useState(false);
  const [files, setFiles] = useState<UploadFile[]>([]);
  // Others see "… is replying" while there is text in the box (collision detection).
  const composing = body.trim().length > 0;
  useEffect(() => {
    setComposing(ticket.id, composing);
    return () => setComposing(ticket.id, false);
  }, [ticket.id, composing]);

  if (ticket.status === "closed") return <p className="muted">{t("composer.closed")}</p>;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!body.trim()) errs.body = t("errors.field.required");
    if (status === "solved" && !resolution) errs.resolution_code = t("composer.resolution_required");
    setClientErrors(errs);
    setSent(false);
    if (Object.keys(errs).length) return;
    const done = () => {
      setBody("");
      setStatus("");
      setResolution("");
      setFiles([]);
      setPicked(null);
      setSent(true);
    };
    if (picked && !files.length) {
      // Sent as the composer says (reply or note), whatever the macro's own kind.
      applyMacro.mutate({ macroId: picked.macro.id, body: body.trim(), kind }, { onSuccess: done });
      return;
    }
    add.mutate(
      {
        body: body.trim(),
        kind,
        ...(status && status !== ticket.status ? { status } : {}),
        ...(status === "solved" ? { resolution_code: resolution } : {}),
        ...(files.length ? { attachments: toBody(files) } : {}),
      },
      {
        onSuccess: () => {
          // With files the reply goes first; the macro's field changes follow (no second message).
          if (picked) applyMacro.mutate({ macroId: picked.macro.id, body: "" }, { onSuccess: done });
          else done();
        },
      },
    );
  };

  return (
    <form className={`composer composer-${kind}`} onSubmit={submit} noValidate aria-label={t("composer.title")}>
      <div role="radiogroup" aria-label={t("composer.kind")} className="segmented">
        {(["reply", "note"] as const).map((k) => (
          <label key={k} className={kind === k ? "active" : ""}>
            <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
            {t(`composer.${k}`)}
          </label>
        ))}
      </div>
      <MacroPicker
        ticketId={ticket.id}
        picked={picked}
        onPick={(p) => {
          setPicked(p);
          if (!p) return;
          setBody(p.rendered.body);
          setKind(p.rendered.kind);
        }}
      />
      <Field label={kind === "reply" ? t("composer.reply_label") : t("composer.note_label")} error={fieldError("body")}>
        {(p) => (
          <MentionTextarea
            {...p}
            value={body}
            onChange={setBody}
            staff={staff.data ?? []}
            placeholder={kind === "note" ? t("composer.note_placeholder") : t("composer.reply_placeholder")}
          />
        )}
      </Field>
      <AttachmentPicker files={files} onChange={setFiles} />
      <div className="composer-actions">
        {kind === "reply" && !picked?.rendered.changes.status && (
          <Field label={t("composer.set_status")} className="inline-field">
            {(p) => (
              <select {...p} value={status} onChange={(e) => setStatus(e.target.value as TicketStatus | "")}>
                <option value="">{t("composer.keep_status", { status: t(`status.${ticket.status}`) })}</option>
                {STATUS_WITH_REPLY.filter((s) => s !== ticket.status).map((s) => (
                  <option key={s} value={s}>
                    {t(`status.${s}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {kind === "reply" && status === "solved" && (
          <Field
            label={t("ticket.resolution_code")}
            error={fieldError("resolution_code")}
            required
            className="inline-field"
          >
            {(p) => (
              <select {...p} value={resolution} onChange={(e) => setResolution(e.target.value)}>
                <option value="">{t("common.choose")}</option>
                {RESOLUTION_CODES.map((c) => (
                  <option key={c} value={c}>
                    {t(`resolution.${c}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <button type="submit" className="button primary" disabled={add.isPending || applyMacro.isPending}>
          {kind === "reply" ? t("composer.send_reply") : t("composer.add_note")}
        </button>
      </div>
      {isAttachmentProblem(add.error) ? (
        <AttachmentProblem error={add.error} />
      ) : (
        <FormError error={add.error ?? applyMacro.error} shownPaths={["body", "resolution_code", "status"]} />
      )}
      {sent && (
        <p role="status" className="sr-only">
          {t("composer.sent")}
        </p>
      )}
    </form>
  );
}
