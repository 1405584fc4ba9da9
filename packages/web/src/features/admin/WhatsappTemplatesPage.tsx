import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, ApiError } from "../../lib/api.ts";
import { AdminPage } from "./AdminPage.tsx";
import { useList } from "./admin-api.ts";

interface WhatsappTemplate {
  kind: string;
  language: "id" | "en";
  name: string;
  custom: boolean;
}

const KEY = ["admin", "whatsapp-templates"];
const NAME = /^[a-z0-9_]{1,512}$/;

/** One kind and language: the approved template's name, saved or set back to the built-in name. */
function TemplateRow({ template }: { template: WhatsappTemplate }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [name, setName] = useState(template.name);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const path = `/channels/whatsapp/templates/${template.kind}/${template.language}`;
  const label = `${t(`whatsapp.admin.kinds.${template.kind.replace(/\./g, "_")}`)} (${t(`whatsapp.admin.languages.${template.language}`)})`;
  const done = (saved: WhatsappTemplate) => {
    setName(saved.name);
    setNote({ ok: true, text: t("whatsapp.admin.saved") });
    void qc.invalidateQueries({ queryKey: KEY });
  };
  const failed = (err: unknown) =>
    setNote({
      ok: false,
      text: t("whatsapp.admin.error", {
        error:
          err instanceof ApiError && err.status === 422 ? t("whatsapp.admin.invalid") : String((err as Error).message),
      }),
    });
  const save = useMutation({
    mutationFn: (value: string) => api.put<WhatsappTemplate>(path, { name: value }),
    onSuccess: done,
    onError: failed,
  });
  const reset = useMutation({ mutationFn: () => api.del<WhatsappTemplate>(path), onSuccess: done, onError: failed });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = name.trim();
    if (!NAME.test(value)) return setNote({ ok: false, text: t("whatsapp.admin.invalid") });
    save.mutate(value);
  };
  const id = `wa-template-${template.kind}-${template.language}`.replace(/\./g, "-");
  return (
    <tr>
      <td>{t(`whatsapp.admin.kinds.${template.kind.replace(/\./g, "_")}`)}</td>
      <td>{t(`whatsapp.admin.languages.${template.language}`)}</td>
      <td>
        <form onSubmit={submit} className="inline-form">
          <label htmlFor={id} className="sr-only">
            {`${t("whatsapp.admin.name")}: ${label}`}
          </label>
          <input
            id={id}
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={note?.ok === false || undefined}
            aria-describedby={note ? `${id}-note` : undefined}
          />{" "}
          <button type="submit" className="button small" disabled={save.isPending}>
            {t("whatsapp.admin.save")}
          </button>{" "}
          {template.custom && (
            <button type="button" className="button small" onClick={() => reset.mutate()} disabled={reset.isPending}>
              {t("whatsapp.admin.reset")}
            </button>
          )}
          {note && (
            <span
              id={`${id}-note`}
              role={note.ok ? "status" : "alert"}
              className={note.ok ? "muted small" : "error small"}
            >
              {" "}
              {note.text}
            </span>
          )}
        </form>
      </td>
      <td className="muted">{template.custom ? "" : t("whatsapp.admin.builtin")}</td>
    </tr>
  );
}

/** Admin → WhatsApp templates: the approved template sent outside the 24-hour window, per message kind and language. */
export function WhatsappTemplatesPage() {
  const { t } = useTranslation();
  const list = useList<WhatsappTemplate>(KEY, "/channels/whatsapp/templates");
  return (
    <AdminPage title={t("whatsapp.admin.title")} intro={t("whatsapp.admin.intro")} query={list}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t("whatsapp.admin.kind")}</th>
            <th scope="col">{t("whatsapp.admin.language")}</th>
            <th scope="col">{t("whatsapp.admin.name")}</th>
            <th scope="col">
              <span className="sr-only">{t("whatsapp.admin.builtin")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data?.map((m) => (
            <TemplateRow key={`${m.kind}/${m.language}/${m.name}`} template={m} />
          ))}
        </tbody>
      </table>
    </AdminPage>
  );
}
