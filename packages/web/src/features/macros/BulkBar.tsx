import { useState, type FormEvent } from "react";
import "../../styles/workspace.css";
import { useTranslation } from "react-i18next";
import { PRIORITIES, TICKET_STATUSES } from "@eskala/core";
import { ESCALATION_REASONS, type TicketSummary, type User } from "../../lib/types.ts";
import { errorMessage } from "../../lib/i18n.ts";
import { useStaff } from "../console/reference.ts";
import { useBulk, type BulkAction, type BulkResult } from "./workspace-api.ts";

type Kind = BulkAction["type"];
const KINDS: Kind[] = ["priority", "status", "assign", "tags_add", "tags_remove", "escalate"];
// The statuses a bulk change may set (solving needs a resolution code per ticket: done one by one).
const BULK_STATUSES = TICKET_STATUSES.filter((s) => s !== "new" && s !== "solved");

/** The sentence for one ticket that could not be changed, from its error code (never the raw code). */
function failureText(t: (k: string, o?: Record<string, unknown>) => string, item: BulkResult["items"][number]) {
  const number = item.number === null ? t("workspace.bulk.unknown_ticket") : `#${item.number}`;
  const known = ["invalid_transition", "not_found", "forbidden", "validation_failed", "version_conflict"];
  const why = t(`workspace.bulk.why.${known.includes(item.code ?? "") ? item.code : "other"}`);
  return t("workspace.bulk.failure", { number, why });
}

/** The summary of a bulk change: how many changed, and each ticket that could not be, with why. */
export function BulkSummary({ result, onClose }: { result: BulkResult; onClose: () => void }) {
  const { t } = useTranslation();
  const failures = result.items.filter((i) => !i.ok);
  return (
    <div className={`bulk-result notice ${failures.length ? "notice-warning" : "notice-success"}`} role="status">
      <p>
        {t("workspace.bulk.changed", { count: result.changed })}
        {failures.length > 0 && <> {t("workspace.bulk.failed", { count: failures.length })}</>}
      </p>
      {failures.length > 0 && (
        <ul>
          {failures.map((f) => (
            <li key={f.ticket_id}>{failureText(t, f)}</li>
          ))}
        </ul>
      )}
      <button type="button" className="button small" onClick={onClose}>
        {t("workspace.close")}
      </button>
    </div>
  );
}

/** The action bar over the list when tickets are selected: one action for all of them, then a result per ticket. */
export function BulkBar({
  selected,
  items,
  onSelectAll,
  onClear,
  user,
}: {
  selected: string[];
  items: TicketSummary[];
  onSelectAll: () => void;
  onClear: () => void;
  user: User;
}) {
  const { t } = useTranslation();
  const bulk = useBulk();
  const staff = useStaff();
  const [kind, setKind] = useState<Kind>("priority");
  const [value, setValue] = useState("");
  const [note, setNote] = useState("");
  const [reason, setReason] = useState<string>(ESCALATION_REASONS[0]);
  const [result, setResult] = useState<BulkResult | null>(null);
  const [missing, setMissing] = useState(false);

  const action = (): BulkAction | null => {
    const tags = value
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    switch (kind) {
      case "priority":
        return value ? { type: "priority", priority: value as never } : null;
      case "status":
        return value ? { type: "status", status: value as never } : null;
      case "assign":
        return value ? { type: "assign", assignee_id: value === "none" ? null : value } : null;
      case "tags_add":
      case "tags_remove":
        return tags.length ? { type: kind, tags } : null;
      case "escalate":
        return note.trim()
          ? { type: "escalate", to: { tier: "next" }, reason: reason as never, note: note.trim() }
          : null;
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const a = action();
    setMissing(!a);
    if (!a) return;
    bulk.mutate(
      { ticket_ids: selected, action: a },
      {
        onSuccess: (r) => {
          setResult(r);
          onClear();
        },
      },
    );
  };

  if (!selected.length) return result ? <BulkSummary result={result} onClose={() => setResult(null)} /> : null;
  return (
    <form className="bulk-bar" onSubmit={submit} noValidate aria-label={t("workspace.bulk.title")}>
      <p className="bulk-count">
        {t("workspace.bulk.selected", { count: selected.length })}{" "}
        {selected.length < items.length && (
          <button type="button" className="link-button small" onClick={onSelectAll}>
            {t("workspace.bulk.select_all", { count: Math.min(items.length, 100) })}
          </button>
        )}{" "}
        <button type="button" className="link-button small" onClick={onClear}>
          {t("workspace.bulk.clear")}
        </button>
      </p>
      <div className="bulk-controls">
        <select
          aria-label={t("workspace.bulk.action")}
          value={kind}
          onChange={(e) => {
            setKind(e.target.value as Kind);
            setValue("");
            setMissing(false);
          }}
        >
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`workspace.bulk.kind.${k}`)}
            </option>
          ))}
        </select>
        {kind === "priority" && (
          <select
            aria-label={t("workspace.bulk.kind.priority")}
            value={value}
            onChange={(e) => setValue(e.target.value)}
          >
            <option value="">{t("common.choose")}</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`priority.${p}`)}
              </option>
            ))}
          </select>
        )}
        {kind === "status" && (
          <select aria-label={t("workspace.bulk.kind.status")} value={value} onChange={(e) => setValue(e.target.value)}>
            <option value="">{t("common.choose")}</option>
            {BULK_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        )}
        {kind === "assign" && (
          <select aria-label={t("workspace.bulk.kind.assign")} value={value} onChange={(e) => setValue(e.target.value)}>
            <option value="">{t("common.choose")}</option>
            <option value={user.id}>{t("workspace.bulk.to_me")}</option>
            <option value="none">{t("workspace.bulk.unassign")}</option>
            {(staff.data ?? [])
              .filter((s) => s.id !== user.id)
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
          </select>
        )}
        {(kind === "tags_add" || kind === "tags_remove") && (
          <input
            aria-label={t("workspace.bulk.tags")}
            placeholder={t("workspace.bulk.tags")}
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
        )}
        {kind === "escalate" && (
          <>
            <select aria-label={t("escalate.reason")} value={reason} onChange={(e) => setReason(e.target.value)}>
              {ESCALATION_REASONS.map((r) => (
                <option key={r} value={r}>
                  {t(`reason.${r}`)}
                </option>
              ))}
            </select>
            <textarea
              aria-label={t("workspace.bulk.note")}
              placeholder={t("workspace.bulk.note")}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              rows={2}
            />
          </>
        )}
        <button type="submit" className="button small primary" disabled={bulk.isPending}>
          {t("workspace.bulk.apply", { count: selected.length })}
        </button>
      </div>
      {missing && (
        <p className="error small" role="alert">
          {t(kind === "escalate" ? "workspace.bulk.note_required" : "workspace.bulk.value_required")}
        </p>
      )}
      {bulk.error && (
        <p className="error small" role="alert">
          {errorMessage(bulk.error, t)}
        </p>
      )}
    </form>
  );
}
