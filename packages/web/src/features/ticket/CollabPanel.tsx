import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { TicketLink } from "@eskala/contracts";
import type { z } from "zod";
import type { TFunction } from "i18next";
import { api, fieldErrorsOf } from "../../lib/api.ts";
import { translateFieldMessage } from "../../lib/i18n.ts";
import { formatDateTime } from "../../lib/time.ts";
import type { Items, Ticket, User } from "../../lib/types.ts";
import { Field } from "../../ui/Field.tsx";
import { FormError } from "../../ui/form-errors.tsx";
import { ErrorNote } from "../../ui/Notice.tsx";
import { useStaff } from "../console/reference.ts";
import { ticketKey, useUpdateTicket } from "./ticket-api.ts";
import "../../styles/collab.css";

type Link = z.infer<typeof TicketLink>;

/**
 * The server's word on one field (or on any item of a list field, `collaborator_ids.0`) as a
 * sentence: its own messages for this panel first, then the app's usual translations.
 */
function serverFieldError(error: unknown, field: string, t: TFunction): string | undefined {
  const entry = Object.entries(fieldErrorsOf(error)).find(([path]) => path === field || path.startsWith(`${field}.`));
  if (!entry) return undefined;
  const msg = entry[1];
  if (msg === "unknown agent") return t("collab.unknown_person");
  if (msg === "already linked") return t("collab.already_linked");
  if (field === "key" && /only$/.test(msg)) return t("collab.key_invalid");
  return translateFieldMessage(msg, t);
}

/** Staff following the ticket (added and removed by name) and the engineering issues it waits on. */
export function CollabPanel({ ticket, user }: { ticket: Ticket; user: User }) {
  return (
    <>
      <Collaborators ticket={ticket} user={user} />
      <EngineeringLinks ticketId={ticket.id} />
    </>
  );
}

function Collaborators({ ticket, user }: { ticket: Ticket; user: User }) {
  const { t } = useTranslation();
  const update = useUpdateTicket(ticket.id);
  const staff = useStaff();
  const [choice, setChoice] = useState("");
  const people = (staff.data ?? []).filter((u) => !u.disabled);
  const nameOf = (id: string) => people.find((u) => u.id === id)?.name ?? t("timeline.someone");
  const ids = ticket.collaborator_ids;
  const save = (next: string[]) => update.mutate({ collaborator_ids: next, expected_version: ticket.version });
  const following = ids.includes(user.id);

  const add = (e: FormEvent) => {
    e.preventDefault();
    if (!choice || ids.includes(choice)) return;
    save([...ids, choice]);
    setChoice("");
  };

  return (
    <section className="collab-panel card" aria-labelledby="collab-title">
      <h2 id="collab-title">{t("collab.collaborators")}</h2>
      <p className="muted small">{t("collab.collaborators_help")}</p>
      {ids.length === 0 ? (
        <p className="muted small">{t("collab.none")}</p>
      ) : (
        <ul className="collab-list" aria-label={t("collab.collaborators")}>
          {ids.map((id) => (
            <li key={id}>
              <span>{nameOf(id)}</span>
              <button
                type="button"
                className="button small"
                aria-label={t("collab.remove", { name: nameOf(id) })}
                title={t("collab.remove", { name: nameOf(id) })}
                disabled={update.isPending}
                onClick={() => save(ids.filter((x) => x !== id))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="collab-add" onSubmit={add} noValidate>
        <Field label={t("collab.add_label")} error={serverFieldError(update.error, "collaborator_ids", t)}>
          {(p) => (
            <select {...p} value={choice} onChange={(e) => setChoice(e.target.value)}>
              <option value="">{t("collab.choose")}</option>
              {people
                .filter((u) => !ids.includes(u.id))
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <button type="submit" className="button small" disabled={!choice || update.isPending}>
          {t("collab.add")}
        </button>
      </form>
      <button
        type="button"
        className="button small"
        disabled={update.isPending}
        onClick={() => save(following ? ids.filter((x) => x !== user.id) : [...ids, user.id])}
      >
        {following ? t("collab.unfollow") : t("collab.follow")}
      </button>
      <FormError
        error={update.error}
        shownPaths={[...Array.from({ length: 21 }, (_, i) => `collaborator_ids.${i}`), "collaborator_ids"]}
      />
    </section>
  );
}

const linksKey = (id: string) => [...ticketKey(id), "links"] as const;

function EngineeringLinks({ ticketId }: { ticketId: string }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const links = useQuery({
    queryKey: linksKey(ticketId),
    queryFn: () => api.get<Items<Link>>(`/tickets/${ticketId}/links`),
    select: (d) => d.items,
  });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: linksKey(ticketId) });
    void qc.invalidateQueries({ queryKey: [...ticketKey(ticketId), "events"] });
  };
  const [url, setUrl] = useState("");
  const [key, setKey] = useState("");
  const [title, setTitle] = useState("");
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: (body: { url: string; key: string; title?: string }) =>
      api.post<Link>(`/tickets/${ticketId}/links`, body),
    onSuccess: () => {
      setUrl("");
      setKey("");
      setTitle("");
    },
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (linkId: string) => api.del(`/tickets/${ticketId}/links/${linkId}`),
    onSettled: refresh,
  });
  const fieldError = (field: string) => clientErrors[field] ?? serverFieldError(create.error, field, t);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!url.trim()) errs.url = t("errors.field.required");
    if (!key.trim()) errs.key = t("errors.field.required");
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    create.mutate({ url: url.trim(), key: key.trim(), ...(title.trim() ? { title: title.trim() } : {}) });
  };

  return (
    <section className="collab-panel card" aria-labelledby="links-title">
      <h2 id="links-title">{t("collab.links")}</h2>
      <p className="muted small">{t("collab.links_help")}</p>
      {links.error ? (
        <ErrorNote error={links.error} />
      ) : (links.data ?? []).length === 0 ? (
        <p className="muted small">{t("collab.no_links")}</p>
      ) : (
        <ul className="collab-list" aria-label={t("collab.links")}>
          {(links.data ?? []).map((l) => (
            <li key={l.id}>
              <span className="collab-link">
                <a href={l.url} target="_blank" rel="noreferrer noopener">
                  {l.key}
                </a>
                {l.title && <span> · {l.title}</span>}
                <br />
                <span className="muted small">
                  {l.status ? t("collab.status", { status: l.status }) : t("collab.no_status")} ·{" "}
                  {t("collab.linked", { when: formatDateTime(l.created_at, i18n.language) })}
                </span>
              </span>
              <button
                type="button"
                className="button small"
                aria-label={t("collab.unlink", { key: l.key })}
                title={t("collab.unlink", { key: l.key })}
                disabled={remove.isPending}
                onClick={() => remove.mutate(l.id)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {remove.error ? <ErrorNote error={remove.error} /> : null}
      <form className="collab-link-form" onSubmit={submit} noValidate>
        <Field label={t("collab.url")} error={fieldError("url")} required>
          {(p) => (
            <input {...p} type="url" value={url} placeholder="https://" onChange={(e) => setUrl(e.target.value)} />
          )}
        </Field>
        <Field label={t("collab.key")} error={fieldError("key")} required>
          {(p) => (
            <input
              {...p}
              value={key}
              placeholder={t("collab.key_placeholder")}
              onChange={(e) => setKey(e.target.value)}
            />
          )}
        </Field>
        <Field label={t("collab.title")} error={fieldError("title")}>
          {(p) => <input {...p} value={title} onChange={(e) => setTitle(e.target.value)} />}
        </Field>
        <button type="submit" className="button small" disabled={create.isPending}>
          {t("collab.link")}
        </button>
        <FormError error={create.error} shownPaths={["url", "key", "title"]} />
      </form>
    </section>
  );
}
