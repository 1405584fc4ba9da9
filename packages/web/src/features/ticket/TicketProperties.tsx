import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { PRIORITIES, RESOLUTION_CODES, nextStatuses } from "@eskala/core";
import { Field } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { formatDateTime } from "../../lib/time.ts";
import type { Priority, Ticket, TicketStatus, User } from "../../lib/types.ts";
import { TagEditor } from "../agent-tools/TagEditor.tsx";
import { useStaff } from "../console/reference.ts";
import { useUpdateTicket } from "./ticket-api.ts";

/** Status (a resolution code is required to solve), priority and assignee; each save names the version seen. */
export function TicketProperties({ ticket, user }: { ticket: Ticket; user: User }) {
  const { t, i18n } = useTranslation();
  const update = useUpdateTicket(ticket.id);
  const staff = useStaff();
  const agents = (staff.data ?? []).filter((u) => u.agent && !u.disabled);
  const fieldError = useFieldErrors(update.error);

  const save = (body: Parameters<typeof update.mutate>[0]) =>
    update.mutate({ ...body, expected_version: ticket.version });

  return (
    <aside className="ticket-properties" aria-label={t("ticket.properties")}>
      <StatusControl ticket={ticket} />
      <Field label={t("ticket.priority")} error={fieldError("priority")}>
        {(p) => (
          <select
            {...p}
            value={ticket.priority}
            disabled={update.isPending}
            onChange={(e) => save({ priority: e.target.value as Priority })}
          >
            {PRIORITIES.map((x) => (
              <option key={x} value={x}>
                {t(`priority.${x}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t("ticket.assignee")} error={fieldError("assignee_id")}>
        {(p) => (
          <select
            {...p}
            value={ticket.assignee?.id ?? ""}
            disabled={update.isPending}
            onChange={(e) => save({ assignee_id: e.target.value || null })}
          >
            <option value="">{t("ticket.unassigned")}</option>
            {ticket.assignee && !agents.some((a) => a.id === ticket.assignee?.id) && (
              <option value={ticket.assignee.id}>{ticket.assignee.name}</option>
            )}
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} · T{a.agent?.tier} ({a.agent?.open_tickets}/{a.agent?.capacity})
              </option>
            ))}
          </select>
        )}
      </Field>
      {ticket.assignee?.id !== user.id && user.agent && (
        <button
          type="button"
          className="button small"
          disabled={update.isPending}
          onClick={() => save({ assignee_id: user.id })}
        >
          {t("ticket.assign_me")}
        </button>
      )}
      <FormError error={update.error} shownPaths={["priority", "assignee_id"]} />
      <dl className="props">
        <dt>{t("ticket.requester")}</dt>
        <dd>
          {ticket.requester.name}
          <br />
          <span className="muted small">{ticket.requester.email}</span>
        </dd>
        {ticket.organization && (
          <>
            <dt>{t("ticket.organization")}</dt>
            <dd>{ticket.organization.name}</dd>
          </>
        )}
        <dt>{t("ticket.category")}</dt>
        <dd>{ticket.category?.name ?? "—"}</dd>
        <dt>{t("ticket.channel")}</dt>
        <dd>{t(`channel.${ticket.channel}`)}</dd>
        <dt>{t("ticket.language")}</dt>
        <dd>{ticket.language === "en" ? "English" : "Bahasa Indonesia"}</dd>
        <dt>{t("ticket.tags")}</dt>
        <dd>
          <TagEditor ticket={ticket} />
        </dd>
        <dt>{t("ticket.created")}</dt>
        <dd>{formatDateTime(ticket.created_at, i18n.language)}</dd>
        <dt>{t("ticket.escalations")}</dt>
        <dd>{ticket.escalation_count}</dd>
        {ticket.resolution_code && (
          <>
            <dt>{t("ticket.resolution_code")}</dt>
            <dd>
              {t(`resolution.${ticket.resolution_code}`)}
              {ticket.solved_tier !== null && ` · Tier ${ticket.solved_tier}`}
            </dd>
          </>
        )}
      </dl>
    </aside>
  );
}

function StatusControl({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const update = useUpdateTicket(ticket.id);
  const [status, setStatus] = useState<TicketStatus | "">("");
  const [resolution, setResolution] = useState("");
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fieldError = useFieldErrors(update.error, clientErrors);
  const options = nextStatuses(ticket.status);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!status) errs.status = t("errors.field.required");
    if (status === "solved" && !resolution) errs.resolution_code = t("composer.resolution_required");
    setClientErrors(errs);
    if (Object.keys(errs).length || !status) return;
    update.mutate(
      {
        status,
        ...(status === "solved" ? { resolution_code: resolution as (typeof RESOLUTION_CODES)[number] } : {}),
        expected_version: ticket.version,
      },
      {
        onSuccess: () => {
          setStatus("");
          setResolution("");
        },
      },
    );
  };

  if (options.length === 0) return null;
  return (
    <form className="status-control" onSubmit={submit} noValidate aria-label={t("ticket.change_status")}>
      <Field label={t("ticket.change_status")} error={fieldError("status")}>
        {(p) => (
          <select {...p} value={status} onChange={(e) => setStatus(e.target.value as TicketStatus)}>
            <option value="">{t("ticket.status_now", { status: t(`status.${ticket.status}`) })}</option>
            {options.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {status === "solved" && (
        <Field label={t("ticket.resolution_code")} error={fieldError("resolution_code")} required>
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
      {status && (
        <button type="submit" className="button small primary" disabled={update.isPending}>
          {t("ticket.apply_status")}
        </button>
      )}
      <FormError error={update.error} shownPaths={["status", "resolution_code"]} />
    </form>
  );
}
