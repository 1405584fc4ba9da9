import { useMemo, useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { api, ApiError } from "../../../lib/api.ts";
import { Dialog } from "../../../ui/Dialog.tsx";
import { Field } from "../../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../../ui/form-errors.tsx";
import { ErrorNote } from "../../../ui/Notice.tsx";
import { AdminPage } from "../AdminPage.tsx";
import { FormButtons } from "../TiersPage.tsx";
import { useList } from "../admin-api.ts";

interface MailTemplate {
  key: string;
  language: "id" | "en";
  subject: string;
  body: string;
  placeholders: string[];
  is_default: boolean;
  updated_at: string | null;
}

const KEY = ["kb-admin", "mail-templates"];
const PLACEHOLDER = /\{\{\s*([a-zA-Z0-9_.-]*)\s*\}\}/g;

/** A template's text with the sample values of the viewer's language in place of its placeholders. */
export function fillSample(text: string, t: TFunction, lang: string): string {
  return text.replace(PLACEHOLDER, (_m, name: string) =>
    t(`kbAdmin.templates.sample.${name}`, { lng: lang, defaultValue: "" }),
  );
}

/** A server field message about placeholders as a sentence in the viewer's language. */
function placeholderMessage(message: string | undefined, t: TFunction): string | undefined {
  if (!message) return message;
  const unknown = message.match(/^unknown placeholder \{\{(.*?)\}\}/);
  if (unknown) return t("kbAdmin.templates.error_unknown", { name: unknown[1] });
  if (/unbalanced/.test(message)) return t("kbAdmin.templates.error_braces");
  if (/one line/.test(message)) return t("kbAdmin.templates.error_one_line");
  return message;
}

/** The emails customers receive, per kind and language: wording, placeholders, a sample preview, back to the default. */
export function MailTemplatesPage() {
  const { t } = useTranslation();
  const list = useList<MailTemplate>(KEY, "/mail-templates");
  const [editing, setEditing] = useState<MailTemplate | null>(null);
  return (
    <AdminPage title={t("kbAdmin.nav.templates")} intro={t("kbAdmin.templates.intro")} query={list}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t("kbAdmin.templates.kind")}</th>
            <th scope="col">{t("kbAdmin.kb.language")}</th>
            <th scope="col">{t("kbAdmin.templates.subject")}</th>
            <th scope="col">{t("kbAdmin.templates.state")}</th>
            <th scope="col">
              <span className="sr-only">{t("admin.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data?.map((m) => {
            const name = `${t(`kbAdmin.templates.kinds.${m.key.replace(/\./g, "_")}`)} (${t(`kbAdmin.lang.${m.language}`)})`;
            return (
              <tr key={`${m.key}/${m.language}`}>
                <td>{t(`kbAdmin.templates.kinds.${m.key.replace(/\./g, "_")}`)}</td>
                <td>{t(`kbAdmin.lang.${m.language}`)}</td>
                <td>{m.subject}</td>
                <td>{m.is_default ? t("kbAdmin.templates.default") : t("kbAdmin.templates.custom")}</td>
                <td>
                  <button
                    type="button"
                    className="button small"
                    onClick={() => setEditing(m)}
                    aria-label={t("admin.edit_named", { name })}
                  >
                    {t("admin.edit")}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Dialog open={editing !== null} onClose={() => setEditing(null)} title={t("kbAdmin.templates.edit")}>
        {editing && <TemplateForm template={editing} onDone={() => setEditing(null)} />}
      </Dialog>
    </AdminPage>
  );
}

function TemplateForm({ template, onDone }: { template: MailTemplate; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const path = `/mail-templates/${template.key}/${template.language}`;
  const save = useMutation({
    mutationFn: (body: { subject: string; body: string }) => api.put<MailTemplate>(path, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: KEY }),
  });
  const reset = useMutation({
    mutationFn: () => api.del<MailTemplate>(path),
    onSuccess: () => void qc.invalidateQueries({ queryKey: KEY }),
  });
  const [subject, setSubject] = useState(template.subject);
  const [body, setBody] = useState(template.body);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const raw = useFieldErrors(save.error, clientErrors);
  const serverField = (path: string) =>
    save.error instanceof ApiError ? save.error.fieldErrors.find((e) => e.path.join(".") === path)?.message : undefined;
  const fieldError = (p: string) => clientErrors[p] ?? placeholderMessage(serverField(p), t) ?? raw(p);
  const lang = template.language;
  const sample = useMemo(
    () => ({ subject: fillSample(subject, t, lang), body: fillSample(body, t, lang) }),
    [subject, body, t, lang],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!subject.trim()) missing.subject = t("errors.field.required");
    if (!body.trim()) missing.body = t("errors.field.required");
    setClientErrors(missing);
    if (Object.keys(missing).length) return;
    save.mutate({ subject: subject.trim(), body }, { onSuccess: onDone });
  };
  const kind = t(`kbAdmin.templates.kinds.${template.key.replace(/\./g, "_")}`);
  return (
    <form onSubmit={submit} noValidate className="stack">
      <p>
        <strong>{kind}</strong> · {t(`kbAdmin.lang.${lang}`)} —{" "}
        {t(`kbAdmin.templates.when.${template.key.replace(/\./g, "_")}`)}
      </p>
      <Field label={t("kbAdmin.templates.subject")} error={fieldError("subject")} required>
        {(p) => <input {...p} value={subject} onChange={(e) => setSubject(e.target.value)} />}
      </Field>
      <Field label={t("kbAdmin.templates.body")} error={fieldError("body")} required>
        {(p) => <textarea {...p} rows={10} value={body} onChange={(e) => setBody(e.target.value)} />}
      </Field>
      <section aria-labelledby="tpl-placeholders" className="card">
        <h3 id="tpl-placeholders">{t("kbAdmin.templates.placeholders")}</h3>
        <dl className="placeholder-list">
          {template.placeholders.map((p) => (
            <div key={p}>
              <dt>
                <code>{`{{${p}}}`}</code>
              </dt>
              <dd>{t(`kbAdmin.templates.meaning.${p}`)}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="tpl-preview" className="card" data-testid="template-preview">
        <h3 id="tpl-preview">{t("kbAdmin.templates.preview")}</h3>
        <p className="muted small">{t("kbAdmin.templates.preview_hint")}</p>
        <p>
          <strong>{sample.subject}</strong>
        </p>
        <pre className="mail-preview">{sample.body}</pre>
      </section>
      <FormError error={save.error} shownPaths={["subject", "body"]} />
      {reset.error ? <ErrorNote error={reset.error} /> : null}
      {!template.is_default && (
        <div className="stack">
          <p className="muted small">{t("kbAdmin.templates.reset_hint")}</p>
          <button
            type="button"
            className="button"
            disabled={reset.isPending}
            onClick={() => reset.mutate(undefined, { onSuccess: onDone })}
          >
            {t("kbAdmin.templates.reset")}
          </button>
        </div>
      )}
      <FormButtons pending={save.isPending} onCancel={onDone} />
    </form>
  );
}
