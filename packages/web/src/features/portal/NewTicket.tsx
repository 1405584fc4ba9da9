import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { api } from "../../lib/api.ts";
import { currentLanguage } from "../../lib/i18n.ts";
import type { Category, CreateTicketBody, CustomerTicket, Items, KbArticle } from "../../lib/types.ts";
import { Field } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { Notice } from "../../ui/Notice.tsx";
import { AttachmentPicker, AttachmentProblem, isAttachmentProblem, toBody } from "../agent-tools/Attachments.tsx";
import type { UploadFile } from "../agent-tools/agent-tools-api.ts";
import { KbSuggestions } from "./KbSuggestions.tsx";

/** A new request, with help-center articles suggested while the customer types. */
export function NewTicket() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [subject, setSubject] = useState("");
  const [description, setDescription] = useState("");
  const [category, setCategory] = useState("");
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [solvedBy, setSolvedBy] = useState<KbArticle | null>(null);
  const categories = useQuery({
    queryKey: ["categories"],
    queryFn: () => api.get<Items<Category>>("/categories"),
    retry: false,
  });
  const create = useMutation({
    mutationFn: (body: CreateTicketBody) => api.post<CustomerTicket>("/tickets", body),
    onSuccess: (ticket) => {
      void qc.invalidateQueries({ queryKey: ["queue"] });
      navigate(`/portal/tickets/${ticket.id}`);
    },
  });
  const fieldError = useFieldErrors(create.error, clientErrors);

  if (solvedBy) {
    return (
      <div className="page narrow">
        <Notice kind="success" live>
          <h1>{t("portal.deflected_title")}</h1>
          <p>{t("portal.deflected_body", { title: solvedBy.title })}</p>
        </Notice>
        <Link to="/portal">{t("portal.back_to_tickets")}</Link>
      </div>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!subject.trim()) errs.subject = t("errors.field.required");
    if (!description.trim()) errs.description = t("errors.field.required");
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    create.mutate({
      subject: subject.trim(),
      description: description.trim(),
      channel: "web",
      language: currentLanguage(),
      ...(category ? { category } : {}),
      ...(files.length ? { attachments: toBody(files) } : {}),
    });
  };

  return (
    <div className="page new-ticket">
      <h1>{t("portal.new_ticket")}</h1>
      <div className="new-ticket-grid">
        <form onSubmit={submit} noValidate className="stack card" aria-label={t("portal.new_ticket")}>
          <Field label={t("portal.subject")} error={fieldError("subject")} required>
            {(p) => <input {...p} value={subject} maxLength={250} onChange={(e) => setSubject(e.target.value)} />}
          </Field>
          {categories.data && (
            <Field label={t("ticket.category")} error={fieldError("category")}>
              {(p) => (
                <select {...p} value={category} onChange={(e) => setCategory(e.target.value)}>
                  <option value="">{t("portal.category_unsure")}</option>
                  {categories.data.items.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <Field
            label={t("portal.description")}
            hint={t("portal.description_hint")}
            error={fieldError("description")}
            required
          >
            {(p) => <textarea {...p} rows={8} value={description} onChange={(e) => setDescription(e.target.value)} />}
          </Field>
          <AttachmentPicker files={files} onChange={setFiles} />
          {isAttachmentProblem(create.error) ? (
            <AttachmentProblem error={create.error} />
          ) : (
            <FormError error={create.error} shownPaths={["subject", "description", "category"]} />
          )}
          <button type="submit" className="button primary" disabled={create.isPending}>
            {t("portal.submit")}
          </button>
        </form>
        <KbSuggestions text={`${subject} ${description}`} onSolved={setSolvedBy} />
      </div>
    </div>
  );
}
