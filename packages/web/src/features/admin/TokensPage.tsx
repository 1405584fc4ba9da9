import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../lib/time.ts";
import type { ApiToken } from "../../lib/types.ts";
import { Dialog } from "../../ui/Dialog.tsx";
import { Field } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { ErrorNote, Notice } from "../../ui/Notice.tsx";
import { useStaff } from "../console/reference.ts";
import { AdminPage } from "./AdminPage.tsx";
import { FormButtons } from "./TiersPage.tsx";
import { useList, useRemove, useSave } from "./admin-api.ts";

/** API tokens for integrations; a new token's value is shown once and never again. */
export function TokensPage() {
  const { t, i18n } = useTranslation();
  const tokens = useList<ApiToken>(["admin", "tokens"], "/tokens");
  const staff = useStaff();
  const names = new Map((staff.data ?? []).map((u) => [u.id, u.name]));
  const remove = useRemove("/tokens", [["admin", "tokens"]]);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<ApiToken | null>(null);
  return (
    <AdminPage
      title={t("admin.nav.tokens")}
      intro={t("admin.tokens.intro")}
      query={tokens}
      actions={
        <button
          type="button"
          className="button primary"
          onClick={() => {
            setCreated(null);
            setCreating(true);
          }}
        >
          {t("admin.tokens.add")}
        </button>
      }
    >
      {created?.token && (
        <Notice kind="success" live>
          <p>{t("admin.tokens.shown_once", { name: created.name })}</p>
          <div className="token-value">
            <code aria-label={t("admin.tokens.value")}>{created.token}</code>
            <button
              type="button"
              className="button small"
              onClick={() => void navigator.clipboard?.writeText(created.token ?? "")}
            >
              {t("admin.tokens.copy")}
            </button>
          </div>
        </Notice>
      )}
      <ErrorNote error={remove.error} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t("admin.name")}</th>
            <th scope="col">{t("admin.tokens.user")}</th>
            <th scope="col">{t("admin.created")}</th>
            <th scope="col">{t("admin.tokens.last_used")}</th>
            <th scope="col">
              <span className="sr-only">{t("admin.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.data?.map((tok) => (
            <tr key={tok.id}>
              <td>{tok.name}</td>
              <td>{names.get(tok.user_id) ?? tok.user_id.slice(0, 8)}</td>
              <td>{formatDateTime(tok.created_at, i18n.language)}</td>
              <td>{tok.last_used_at ? formatDateTime(tok.last_used_at, i18n.language) : t("admin.tokens.never")}</td>
              <td>
                <button
                  type="button"
                  className="button small danger"
                  aria-label={t("admin.revoke_named", { name: tok.name })}
                  onClick={() => {
                    if (confirm(t("admin.tokens.confirm_revoke", { name: tok.name }))) remove.mutate(tok.id);
                  }}
                >
                  {t("admin.tokens.revoke")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Dialog open={creating} onClose={() => setCreating(false)} title={t("admin.tokens.add")}>
        <TokenForm
          onDone={(tok) => {
            setCreating(false);
            if (tok) setCreated(tok);
          }}
        />
      </Dialog>
    </AdminPage>
  );
}

function TokenForm({ onDone }: { onDone: (token: ApiToken | null) => void }) {
  const { t } = useTranslation();
  const save = useSave<ApiToken>("/tokens", [["admin", "tokens"]]);
  const staff = useStaff();
  const [name, setName] = useState("");
  const [userId, setUserId] = useState("");
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fieldError = useFieldErrors(save.error, clientErrors);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setClientErrors({ name: t("errors.field.required") });
      return;
    }
    setClientErrors({});
    save.mutate(
      { body: { name: name.trim(), ...(userId ? { user_id: userId } : {}) } },
      { onSuccess: (tok) => onDone(tok) },
    );
  };
  return (
    <form onSubmit={submit} noValidate className="stack">
      <Field label={t("admin.name")} error={fieldError("name")} required>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label={t("admin.tokens.user")} hint={t("admin.tokens.user_hint")} error={fieldError("user_id")}>
        {(p) => (
          <select {...p} value={userId} onChange={(e) => setUserId(e.target.value)}>
            <option value="">{t("admin.tokens.me")}</option>
            {(staff.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({t(`role.${u.role}`)})
              </option>
            ))}
          </select>
        )}
      </Field>
      <FormError error={save.error} shownPaths={["name", "user_id"]} />
      <FormButtons pending={save.isPending} onCancel={() => onDone(null)} label={t("admin.tokens.create")} />
    </form>
  );
}
