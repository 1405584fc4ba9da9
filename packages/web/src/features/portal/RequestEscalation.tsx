import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, isNotAvailable } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/time.ts";
import {
  CUSTOMER_REQUEST_REASONS,
  type CustomerRequestReason,
  type CustomerTicket,
  type EscalationRequest,
} from "../../lib/types.ts";
import { Field, FieldSet } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { NotAvailable } from "../../ui/Notice.tsx";
import { ticketKey, useEscalationRequests } from "../ticket/ticket-api.ts";

/** The customer's "please escalate" with a reason; afterwards they see it sent, then acknowledged. */
export function RequestEscalation({ ticket }: { ticket: Pick<CustomerTicket, "id" | "status"> }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const requests = useEscalationRequests(ticket.id);
  const [reason, setReason] = useState<CustomerRequestReason | "">("");
  const [text, setText] = useState("");
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: (body: { reason: CustomerRequestReason; text?: string }) =>
      api.post<EscalationRequest>(`/tickets/${ticket.id}/escalation-requests`, body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ticketKey(ticket.id) });
      setReason("");
      setText("");
    },
  });
  const fieldError = useFieldErrors(create.error, clientErrors);

  if (isNotAvailable(requests.error)) {
    return (
      <section className="card" aria-labelledby="req-title">
        <h2 id="req-title">{t("portal.request_title")}</h2>
        <NotAvailable />
      </section>
    );
  }
  const items = requests.data ?? [];
  const pending = items.find((r) => r.status === "open" || r.status === "acknowledged");
  const open = ticket.status !== "solved" && ticket.status !== "closed";

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!reason) errs.reason = t("errors.field.required");
    if (reason === "other" && !text.trim()) errs.text = t("errors.field.required");
    setClientErrors(errs);
    if (Object.keys(errs).length || !reason) return;
    create.mutate({ reason, ...(text.trim() ? { text: text.trim() } : {}) });
  };

  return (
    <section className="card" aria-labelledby="req-title">
      <h2 id="req-title">{t("portal.request_title")}</h2>
      {items.length > 0 && (
        <ul className="plain-list" aria-label={t("portal.your_requests")}>
          {items.map((r) => (
            <li key={r.id} className={`request request-${r.status}`}>
              <span className={`badge request-${r.status}`}>{t(`request_status.${r.status}`)}</span>{" "}
              {t(`customer_reason.${r.reason}`)}
              <div className="muted small">
                {r.status === "open" && r.due_at
                  ? t("portal.request_due", { time: formatDateTime(r.due_at, i18n.language) })
                  : r.status === "acknowledged"
                    ? t(r.due_at ? "portal.request_acknowledged_by" : "portal.request_acknowledged", {
                        time: formatDateTime(r.due_at, i18n.language),
                      })
                    : formatDateTime(r.resolved_at ?? r.created_at, i18n.language)}
              </div>
              {r.status !== "resolved" && r.acknowledged_by && (
                <div className="request-taken">{t("requests.portal_taken", { name: r.acknowledged_by.name })}</div>
              )}
            </li>
          ))}
        </ul>
      )}
      {open && !pending && (
        <form onSubmit={submit} noValidate className="stack">
          <p className="muted small">{t("portal.request_intro")}</p>
          <FieldSet legend={t("portal.request_reason")} error={fieldError("reason")}>
            {CUSTOMER_REQUEST_REASONS.map((r) => (
              <label key={r} className="radio">
                <input
                  type="radio"
                  name="request-reason"
                  value={r}
                  checked={reason === r}
                  onChange={() => setReason(r)}
                />{" "}
                {t(`customer_reason.${r}`)}
              </label>
            ))}
          </FieldSet>
          <Field label={t("portal.request_text")} error={fieldError("text")} required={reason === "other"}>
            {(p) => (
              <textarea {...p} rows={3} value={text} maxLength={2000} onChange={(e) => setText(e.target.value)} />
            )}
          </Field>
          <FormError error={create.error} shownPaths={["reason", "text"]} />
          <button type="submit" className="button" disabled={create.isPending}>
            {t("portal.request_submit")}
          </button>
        </form>
      )}
    </section>
  );
}
