import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, fieldErrorsOf } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/time.ts";
import { Dialog } from "../../ui/Dialog.tsx";
import { Field } from "../../ui/Field.tsx";
import { FormError } from "../../ui/form-errors.tsx";
import { Notice } from "../../ui/Notice.tsx";
import { AdminPage } from "./AdminPage.tsx";
import { FormButtons } from "./TiersPage.tsx";
import { useList, useRemove, useSave } from "./admin-api.ts";

type Tls = "implicit" | "starttls" | "none";
type ErrorCode = "auth_failed" | "unreachable" | "tls_failed" | "folder_missing" | "timeout" | "other";

interface Mailbox {
  id: string;
  name: string;
  host: string;
  port: number;
  tls: Tls;
  user: string;
  password_set: boolean;
  folder: string;
  group_id: string | null;
  after_import: "seen" | "move";
  move_to: string | null;
  enabled: boolean;
  status: {
    last_success_at: string | null;
    last_error: string | null;
    last_error_code: ErrorCode | null;
    last_error_at: string | null;
    next_retry_at: string | null;
    failures: number;
    imported_count: number;
  };
}
interface TestResult {
  ok: boolean;
  error_code: ErrorCode | null;
  message: string;
  messages: number | null;
}
interface Group {
  id: string;
  name: string;
}

const DEFAULT_PORT: Record<Tls, number> = { implicit: 993, starttls: 143, none: 143 };

/** What a mailbox's fetching is doing, as one sentence in the reader's language. */
function useStatusSentence() {
  const { t, i18n } = useTranslation();
  return (m: Mailbox): { text: string; kind: "ok" | "error" | "idle" } => {
    const s = m.status;
    if (!m.enabled) return { text: t("mailboxes.status.off"), kind: "idle" };
    if (s.last_error_code)
      return {
        text: t("mailboxes.status.failing", {
          why: t(`mailboxes.error.${s.last_error_code}`, { host: `${m.host}:${m.port}`, folder: m.folder }),
          count: s.failures,
          when: formatDateTime(s.next_retry_at, i18n.language),
        }),
        kind: "error",
      };
    if (s.last_success_at)
      return {
        text: t("mailboxes.status.working", {
          when: formatDateTime(s.last_success_at, i18n.language),
          count: s.imported_count,
        }),
        kind: "ok",
      };
    return { text: t("mailboxes.status.waiting"), kind: "idle" };
  };
}

/**
 * IMAP mailboxes Eskala fetches mail from (admins): where, how to sign in (the password is never
 * shown again), the group new tickets go to, what happens to imported mail, and how fetching goes.
 */
export function MailboxesPage() {
  const { t } = useTranslation();
  // Read again every few seconds: the status follows the fetcher's work.
  const list = useQuery({
    queryKey: ["mailboxes"],
    queryFn: () => api.get<{ items: Mailbox[] }>("/mailboxes"),
    select: (d) => d.items,
    retry: false,
    refetchInterval: 5_000,
  });
  const groups = useList<Group>(["groups"], "/groups");
  const remove = useRemove("/mailboxes", [["mailboxes"]]);
  const [editing, setEditing] = useState<Mailbox | "new" | null>(null);
  const [tested, setTested] = useState<Record<string, TestResult>>({});
  const test = useMutation({
    mutationFn: (id: string) => api.post<TestResult>(`/mailboxes/${id}/test`),
    onSuccess: (r, id) => setTested((prev) => ({ ...prev, [id]: r })),
  });
  const statusOf = useStatusSentence();
  const groupName = (id: string | null) => groups.data?.find((g) => g.id === id)?.name;
  return (
    <AdminPage
      title={t("mailboxes.title")}
      intro={t("mailboxes.intro")}
      query={list}
      actions={
        <button type="button" className="button primary" onClick={() => setEditing("new")}>
          {t("mailboxes.add")}
        </button>
      }
    >
      {list.data?.length === 0 ? (
        <p className="muted">{t("mailboxes.none")}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("mailboxes.name")}</th>
              <th scope="col">{t("mailboxes.server")}</th>
              <th scope="col">{t("mailboxes.group")}</th>
              <th scope="col">{t("mailboxes.status_heading")}</th>
              <th scope="col">
                <span className="sr-only">{t("admin.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data?.map((m) => {
              const status = statusOf(m);
              const result = tested[m.id];
              return (
                <tr key={m.id}>
                  <td>{m.name}</td>
                  <td>
                    {t("mailboxes.where", { user: m.user, host: m.host, port: m.port, folder: m.folder })}
                    <div className="muted">
                      {t(`mailboxes.tls_${m.tls}`)} ·{" "}
                      {m.after_import === "move"
                        ? t("mailboxes.after_move", { folder: m.move_to })
                        : t("mailboxes.after_seen")}
                    </div>
                  </td>
                  <td>{groupName(m.group_id) ?? <span className="muted">{t("mailboxes.group_default")}</span>}</td>
                  <td>
                    <span className={status.kind === "error" ? "field-error" : undefined} data-status={status.kind}>
                      {status.text}
                    </span>
                    {result && (
                      <div role="status" className={result.ok ? "muted" : "field-error"}>
                        {result.ok
                          ? t("mailboxes.test_ok", { count: result.messages ?? 0, folder: m.folder })
                          : t("mailboxes.test_failed", {
                              why: t(`mailboxes.error.${result.error_code ?? "other"}`, {
                                host: `${m.host}:${m.port}`,
                                folder: m.folder,
                              }),
                            })}
                      </div>
                    )}
                  </td>
                  <td>
                    <div className="button-row">
                      <button
                        type="button"
                        className="button small"
                        disabled={test.isPending && test.variables === m.id}
                        onClick={() => test.mutate(m.id)}
                        aria-label={t("mailboxes.test_named", { name: m.name })}
                      >
                        {test.isPending && test.variables === m.id ? t("mailboxes.testing") : t("mailboxes.test")}
                      </button>
                      <button
                        type="button"
                        className="button small"
                        onClick={() => setEditing(m)}
                        aria-label={t("admin.edit_named", { name: m.name })}
                      >
                        {t("admin.edit")}
                      </button>
                      <button
                        type="button"
                        className="button small"
                        disabled={remove.isPending}
                        onClick={() => {
                          if (window.confirm(t("mailboxes.remove_confirm", { name: m.name }))) remove.mutate(m.id);
                        }}
                        aria-label={t("mailboxes.remove_named", { name: m.name })}
                      >
                        {t("mailboxes.remove")}
                      </button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {test.error && <Notice kind="error">{t("mailboxes.test_unavailable")}</Notice>}
      <Dialog
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === "new" ? t("mailboxes.add") : t("mailboxes.edit")}
      >
        {editing !== null && (
          <MailboxForm
            mailbox={editing === "new" ? null : editing}
            groups={groups.data ?? []}
            onDone={() => setEditing(null)}
          />
        )}
      </Dialog>
    </AdminPage>
  );
}

function MailboxForm({ mailbox, groups, onDone }: { mailbox: Mailbox | null; groups: Group[]; onDone: () => void }) {
  const { t } = useTranslation();
  const save = useSave<Mailbox>("/mailboxes", [["mailboxes"]]);
  const [name, setName] = useState(mailbox?.name ?? "");
  const [host, setHost] = useState(mailbox?.host ?? "");
  const [tls, setTls] = useState<Tls>(mailbox?.tls ?? "implicit");
  const [port, setPort] = useState(String(mailbox?.port ?? 993));
  const [user, setUser] = useState(mailbox?.user ?? "");
  const [password, setPassword] = useState("");
  const [folder, setFolder] = useState(mailbox?.folder ?? "INBOX");
  const [groupId, setGroupId] = useState(mailbox?.group_id ?? "");
  const [after, setAfter] = useState<"seen" | "move">(mailbox?.after_import ?? "seen");
  const [moveTo, setMoveTo] = useState(mailbox?.move_to ?? "");
  const [enabled, setEnabled] = useState(mailbox?.enabled ?? true);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const server = fieldErrorsOf(save.error);
  // The server's field errors, worded here per field (its own words are English).
  const fieldError = (path: string) =>
    clientErrors[path] ??
    (server[path]
      ? server[path] === "taken"
        ? t("errors.field.taken")
        : path === "host" && server[path].includes("ESKALA_WEBHOOK_ALLOW")
          ? t("mailboxes.invalid.host_private")
          : t(`mailboxes.invalid.${path}`, { defaultValue: t("errors.check_fields") })
      : undefined);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    const portNumber = Number(port);
    if (!name.trim()) errs.name = t("errors.field.required");
    if (!host.trim()) errs.host = t("errors.field.required");
    else if (!/^[A-Za-z0-9.:[\]_-]+$/.test(host.trim())) errs.host = t("mailboxes.invalid.host");
    if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) errs.port = t("mailboxes.invalid.port");
    if (!user.trim()) errs.user = t("errors.field.required");
    if (!mailbox && !password) errs.password = t("errors.field.required");
    if (!folder.trim()) errs.folder = t("errors.field.required");
    if (after === "move" && !moveTo.trim()) errs.move_to = t("mailboxes.invalid.move_to");
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    const body = {
      name: name.trim(),
      host: host.trim(),
      port: portNumber,
      tls,
      user: user.trim(),
      ...(password ? { password } : {}),
      folder: folder.trim(),
      group_id: groupId || null,
      after_import: after,
      move_to: after === "move" ? moveTo.trim() : null,
      enabled,
    };
    save.mutate({ id: mailbox?.id, body }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit} noValidate className="stack">
      <Field label={t("mailboxes.name")} hint={t("mailboxes.name_hint")} error={fieldError("name")} required>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label={t("mailboxes.host")} hint={t("mailboxes.host_hint")} error={fieldError("host")} required>
        {(p) => <input {...p} value={host} onChange={(e) => setHost(e.target.value)} autoComplete="off" />}
      </Field>
      <Field label={t("mailboxes.tls")} error={fieldError("tls")}>
        {(p) => (
          <select
            {...p}
            value={tls}
            onChange={(e) => {
              const next = e.target.value as Tls;
              // The usual port of the new mode, unless the admin typed another one.
              if (Number(port) === DEFAULT_PORT[tls]) setPort(String(DEFAULT_PORT[next]));
              setTls(next);
            }}
          >
            <option value="implicit">{t("mailboxes.tls_implicit")}</option>
            <option value="starttls">{t("mailboxes.tls_starttls")}</option>
            <option value="none">{t("mailboxes.tls_none")}</option>
          </select>
        )}
      </Field>
      <Field label={t("mailboxes.port")} error={fieldError("port")} required>
        {(p) => <input {...p} inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} />}
      </Field>
      <Field label={t("mailboxes.user")} hint={t("mailboxes.user_hint")} error={fieldError("user")} required>
        {(p) => <input {...p} value={user} onChange={(e) => setUser(e.target.value)} autoComplete="off" />}
      </Field>
      <Field
        label={t("mailboxes.password")}
        hint={mailbox?.password_set ? t("mailboxes.password_keep") : t("mailboxes.password_hint")}
        error={fieldError("password")}
        required={!mailbox}
      >
        {(p) => (
          <input
            {...p}
            type="password"
            value={password}
            autoComplete="new-password"
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <Field label={t("mailboxes.folder")} error={fieldError("folder")} required>
        {(p) => <input {...p} value={folder} onChange={(e) => setFolder(e.target.value)} />}
      </Field>
      <Field label={t("mailboxes.group")} hint={t("mailboxes.group_hint")} error={fieldError("group_id")}>
        {(p) => (
          <select {...p} value={groupId} onChange={(e) => setGroupId(e.target.value)}>
            <option value="">{t("mailboxes.group_default")}</option>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t("mailboxes.after")} error={fieldError("after_import")}>
        {(p) => (
          <select {...p} value={after} onChange={(e) => setAfter(e.target.value as "seen" | "move")}>
            <option value="seen">{t("mailboxes.after_seen")}</option>
            <option value="move">{t("mailboxes.after_move_option")}</option>
          </select>
        )}
      </Field>
      {after === "move" && (
        <Field label={t("mailboxes.move_to")} error={fieldError("move_to")} required>
          {(p) => <input {...p} value={moveTo} onChange={(e) => setMoveTo(e.target.value)} />}
        </Field>
      )}
      <label className="checkbox">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />{" "}
        {t("mailboxes.enabled")}
      </label>
      <FormError
        error={save.error}
        shownPaths={[
          "name",
          "host",
          "port",
          "tls",
          "user",
          "password",
          "folder",
          "group_id",
          "after_import",
          "move_to",
        ]}
      />
      <FormButtons pending={save.isPending} onCancel={onDone} />
    </form>
  );
}
