import { useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/time.ts";
import { WEBHOOK_EVENTS, type Items, type Webhook, type WebhookDelivery } from "../../lib/types.ts";
import { Dialog } from "../../ui/Dialog.tsx";
import { Field, FieldSet } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { Empty, ErrorNote, Loading, Notice } from "../../ui/Notice.tsx";
import { AdminPage } from "./AdminPage.tsx";
import { FormButtons } from "./TiersPage.tsx";
import { useList, useRemove, useSave } from "./admin-api.ts";

/** Signed webhooks for chat tools and trackers, with the log of each delivery and its retries. */
export function WebhooksPage() {
  const { t } = useTranslation();
  const hooks = useList<Webhook>(["admin", "webhooks"], "/webhooks");
  const remove = useRemove("/webhooks", [["admin", "webhooks"]]);
  const toggle = useSave<Webhook>("/webhooks", [["admin", "webhooks"]]);
  const [editing, setEditing] = useState<Webhook | "new" | null>(null);
  const [created, setCreated] = useState<Webhook | null>(null);
  const [log, setLog] = useState<Webhook | null>(null);
  return (
    <AdminPage
      title={t("admin.nav.webhooks")}
      intro={t("admin.webhooks.intro")}
      query={hooks}
      actions={
        <button type="button" className="button primary" onClick={() => setEditing("new")}>
          {t("admin.webhooks.add")}
        </button>
      }
    >
      {created?.secret && (
        <Notice kind="success" live>
          <p>{t("admin.webhooks.secret_once", { name: created.name })}</p>
          <div className="token-value">
            <code aria-label={t("admin.webhooks.secret")}>{created.secret}</code>
            <button
              type="button"
              className="button small"
              onClick={() => void navigator.clipboard?.writeText(created.secret ?? "")}
            >
              {t("admin.tokens.copy")}
            </button>
          </div>
        </Notice>
      )}
      <ErrorNote error={remove.error ?? toggle.error} />
      {hooks.data?.length === 0 && <Empty>{t("admin.webhooks.none")}</Empty>}
      {!!hooks.data?.length && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("admin.name")}</th>
              <th scope="col">URL</th>
              <th scope="col">{t("admin.webhooks.events")}</th>
              <th scope="col">{t("admin.webhooks.status")}</th>
              <th scope="col">
                <span className="sr-only">{t("admin.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {hooks.data.map((h) => (
              <tr key={h.id}>
                <td>{h.name}</td>
                <td className="break">{h.url}</td>
                <td>
                  {h.events.map((e) => (
                    <span key={e} className="tag">
                      {e}
                    </span>
                  ))}
                </td>
                <td>
                  <span className={`badge ${h.enabled ? "badge-on" : "subtle"}`}>
                    {h.enabled ? t("admin.enabled") : t("admin.disabled")}
                  </span>
                  {h.disabled_reason && <div className="muted small">{h.disabled_reason}</div>}
                  {!!h.consecutive_failures && (
                    <div className="muted small">{t("admin.webhooks.failures", { count: h.consecutive_failures })}</div>
                  )}
                </td>
                <td className="nowrap">
                  <button
                    type="button"
                    className="button small"
                    onClick={() => toggle.mutate({ id: h.id, body: { enabled: !h.enabled } })}
                  >
                    {h.enabled ? t("admin.disable") : t("admin.enable")}
                  </button>{" "}
                  <button type="button" className="button small" onClick={() => setLog(h)}>
                    {t("admin.webhooks.deliveries")}
                  </button>{" "}
                  <button
                    type="button"
                    className="button small"
                    onClick={() => setEditing(h)}
                    aria-label={t("admin.edit_named", { name: h.name })}
                  >
                    {t("admin.edit")}
                  </button>{" "}
                  <button
                    type="button"
                    className="button small danger"
                    onClick={() => {
                      if (confirm(t("admin.confirm_delete", { name: h.name }))) remove.mutate(h.id);
                    }}
                  >
                    {t("admin.delete")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Dialog
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === "new" ? t("admin.webhooks.add") : t("admin.webhooks.edit")}
      >
        {editing !== null && (
          <WebhookForm
            hook={editing === "new" ? null : editing}
            onDone={(saved) => {
              setEditing(null);
              if (saved?.secret) setCreated(saved);
            }}
          />
        )}
      </Dialog>
      <Dialog
        wide
        open={log !== null}
        onClose={() => setLog(null)}
        title={t("admin.webhooks.log_title", { name: log?.name ?? "" })}
      >
        {log && <Deliveries hook={log} />}
      </Dialog>
    </AdminPage>
  );
}

function WebhookForm({ hook, onDone }: { hook: Webhook | null; onDone: (saved?: Webhook) => void }) {
  const { t } = useTranslation();
  const save = useSave<Webhook>("/webhooks", [["admin", "webhooks"]]);
  const [name, setName] = useState(hook?.name ?? "");
  const [url, setUrl] = useState(hook?.url ?? "https://");
  const [events, setEvents] = useState<string[]>(hook?.events ?? ["ticket.escalated"]);
  const [secret, setSecret] = useState("");
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fieldError = useFieldErrors(save.error, clientErrors);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!name.trim()) errs.name = t("errors.field.required");
    if (!/^https?:\/\/\S+\.\S+/.test(url.trim())) errs.url = t("errors.field.url");
    if (events.length === 0) errs.events = t("errors.field.required");
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    save.mutate(
      { id: hook?.id, body: { name: name.trim(), url: url.trim(), events, ...(secret ? { secret } : {}) } },
      { onSuccess: (saved) => onDone(saved) },
    );
  };
  return (
    <form onSubmit={submit} noValidate className="stack">
      <Field label={t("admin.name")} error={fieldError("name")} required>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="URL" error={fieldError("url")} required>
        {(p) => <input {...p} type="url" value={url} onChange={(e) => setUrl(e.target.value)} />}
      </Field>
      <FieldSet legend={t("admin.webhooks.events")} error={fieldError("events")}>
        <div className="check-grid">
          {WEBHOOK_EVENTS.map((ev) => (
            <label key={ev} className="checkbox">
              <input
                type="checkbox"
                checked={events.includes(ev)}
                onChange={(e) => setEvents((xs) => (e.target.checked ? [...xs, ev] : xs.filter((x) => x !== ev)))}
              />{" "}
              <code>{ev}</code>
            </label>
          ))}
        </div>
      </FieldSet>
      <Field label={t("admin.webhooks.secret")} hint={t("admin.webhooks.secret_hint")} error={fieldError("secret")}>
        {(p) => (
          <input {...p} type="password" autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} />
        )}
      </Field>
      <FormError error={save.error} shownPaths={["name", "url", "events", "secret"]} />
      <FormButtons pending={save.isPending} onCancel={() => onDone()} />
    </form>
  );
}

function Deliveries({ hook }: { hook: Webhook }) {
  const { t, i18n } = useTranslation();
  const log = useQuery({
    queryKey: ["admin", "webhooks", hook.id, "deliveries"],
    queryFn: () => api.get<Items<WebhookDelivery>>(`/webhooks/${hook.id}/deliveries`),
    refetchInterval: 10_000,
  });
  if (log.isLoading) return <Loading />;
  if (log.error) return <ErrorNote error={log.error} />;
  if (!log.data?.items.length) return <Empty>{t("admin.webhooks.no_deliveries")}</Empty>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">{t("admin.webhooks.at")}</th>
          <th scope="col">{t("admin.webhooks.event")}</th>
          <th scope="col">{t("admin.webhooks.status")}</th>
          <th scope="col">HTTP</th>
          <th scope="col">{t("admin.webhooks.attempts")}</th>
          <th scope="col">{t("admin.webhooks.next_attempt")}</th>
        </tr>
      </thead>
      <tbody>
        {log.data.items.map((d) => (
          <tr key={d.id}>
            <td className="nowrap">{formatDateTime(d.at, i18n.language)}</td>
            <td>
              <code>{d.event}</code>
            </td>
            <td>
              <span className={`badge ${d.ok ? "badge-on" : "delivery-failed"}`}>
                {t(`admin.webhooks.delivery_status.${d.ok ? "delivered" : "failed"}`)}
              </span>
              {d.delivery_status === "dead" && (
                <span className="badge subtle">{t("admin.webhooks.delivery_status.dead")}</span>
              )}
              {d.error && <div className="muted small">{d.error}</div>}
            </td>
            <td>
              {d.status_code ?? "—"}
              {d.duration_ms !== null && <div className="muted small">{d.duration_ms} ms</div>}
            </td>
            <td>{d.attempt}</td>
            <td>{d.next_attempt_at ? formatDateTime(d.next_attempt_at, i18n.language) : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
