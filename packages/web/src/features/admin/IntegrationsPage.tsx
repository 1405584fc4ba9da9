import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../lib/time.ts";
import { Dialog } from "../../ui/Dialog.tsx";
import { Field } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { AdminPage } from "./AdminPage.tsx";
import { FormButtons } from "./TiersPage.tsx";
import { useList, useRemove, useSave } from "./admin-api.ts";

interface Integration {
  id: string;
  name: string;
  enabled: boolean;
  created_at: string;
  secret?: string;
}

/**
 * Inbound integrations: an issue tracker (Jira, GitHub, GitLab…) tells Eskala when an engineering
 * issue linked to tickets changes status, signing each call with the integration's secret.
 */
export function IntegrationsPage() {
  const { t, i18n } = useTranslation();
  const list = useList<Integration>(["integrations"], "/integrations");
  const remove = useRemove("/integrations", [["integrations"]]);
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<Integration | null>(null);
  return (
    <AdminPage
      title={t("adminScreens.nav.integrations")}
      intro={t("adminScreens.integrations.intro")}
      query={list}
      actions={
        <button type="button" className="button primary" onClick={() => setAdding(true)}>
          {t("adminScreens.integrations.add")}
        </button>
      }
    >
      {created?.secret && (
        <div className="notice" role="status">
          <p>{t("adminScreens.integrations.secret_once", { name: created.name })}</p>
          <p>
            <code aria-label={t("adminScreens.integrations.secret")}>{created.secret}</code>
          </p>
          <p className="muted">{t("adminScreens.integrations.how")}</p>
        </div>
      )}
      {list.data?.length === 0 ? (
        <p className="muted">{t("adminScreens.integrations.none")}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("adminScreens.integrations.name")}</th>
              <th scope="col">{t("adminScreens.integrations.state")}</th>
              <th scope="col">{t("adminScreens.integrations.created")}</th>
              <th scope="col">
                <span className="sr-only">{t("admin.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data?.map((it) => (
              <tr key={it.id}>
                <td>{it.name}</td>
                <td>{it.enabled ? t("adminScreens.integrations.enabled") : t("adminScreens.integrations.disabled")}</td>
                <td>{formatDateTime(it.created_at, i18n.language)}</td>
                <td>
                  <button
                    type="button"
                    className="button small"
                    disabled={remove.isPending}
                    onClick={() => {
                      if (window.confirm(t("adminScreens.integrations.remove_confirm", { name: it.name })))
                        remove.mutate(it.id);
                    }}
                    aria-label={t("adminScreens.integrations.remove_named", { name: it.name })}
                  >
                    {t("adminScreens.integrations.remove")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Dialog open={adding} onClose={() => setAdding(false)} title={t("adminScreens.integrations.add")}>
        {adding && (
          <IntegrationForm
            onDone={(it) => {
              setAdding(false);
              if (it) setCreated(it);
            }}
          />
        )}
      </Dialog>
    </AdminPage>
  );
}

function IntegrationForm({ onDone }: { onDone: (created: Integration | null) => void }) {
  const { t } = useTranslation();
  const save = useSave<Integration>("/integrations", [["integrations"]]);
  const [name, setName] = useState("");
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fieldError = useFieldErrors(save.error, clientErrors);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setClientErrors({ name: t("errors.field.required") });
      return;
    }
    setClientErrors({});
    save.mutate({ body: { name: name.trim() } }, { onSuccess: (it) => onDone(it) });
  };
  return (
    <form onSubmit={submit} noValidate className="stack">
      <Field
        label={t("adminScreens.integrations.name")}
        hint={t("adminScreens.integrations.name_hint")}
        error={fieldError("name")}
        required
      >
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <FormError error={save.error} shownPaths={["name"]} />
      <FormButtons pending={save.isPending} onCancel={() => onDone(null)} />
    </form>
  );
}
