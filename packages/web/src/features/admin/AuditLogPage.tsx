import { useState } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import type * as C from "@eskala/contracts";
import { api } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/time.ts";
import { AdminPage } from "./AdminPage.tsx";

type AuditEntry = z.infer<typeof C.AuditEntry>;
type AuditPage = z.infer<typeof C.AuditLogPage>;
type FieldChange = AuditEntry["changes"][number];
type Value = FieldChange["before"];

const ENTITIES = [
  "rule",
  "sla_policy",
  "calendar",
  "user",
  "api_token",
  "webhook",
  "mail_template",
  "group",
  "tier",
  "category",
] as const;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Who changed which configuration, when, before and after: sentences and a field list, newest first. */
export function AuditLogPage() {
  const { t } = useTranslation();
  const [entity, setEntity] = useState("");
  const log = useInfiniteQuery({
    queryKey: ["admin", "audit-log", entity],
    queryFn: ({ pageParam }) =>
      api.get<AuditPage>("/audit-log", { limit: "50", entity, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    retry: false,
  });
  const entries = log.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <AdminPage title={t("admin.nav.audit")} intro={t("audit.intro")} query={log}>
      <div className="stack">
        <label className="inline-field audit-filter">
          {t("audit.filter")}{" "}
          <select value={entity} onChange={(e) => setEntity(e.target.value)}>
            <option value="">{t("audit.all")}</option>
            {ENTITIES.map((k) => (
              <option key={k} value={k}>
                {t(`audit.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        {entries.length === 0 ? (
          <p className="muted">{t("audit.empty")}</p>
        ) : (
          <ol className="audit-log">
            {entries.map((e) => (
              <AuditItem key={e.id} entry={e} />
            ))}
          </ol>
        )}
        {log.hasNextPage && (
          <button
            type="button"
            className="button"
            disabled={log.isFetchingNextPage}
            onClick={() => void log.fetchNextPage()}
          >
            {t("audit.more")}
          </button>
        )}
      </div>
    </AdminPage>
  );
}

function AuditItem({ entry }: { entry: AuditEntry }) {
  const { t, i18n } = useTranslation();
  const actor = entry.actor.id ? entry.actor.name : t("audit.system");
  const sentence = t(`audit.sentence.${entry.action}`, {
    actor,
    kind: t(`audit.kinds.${entry.entity}`),
    name: entry.entity_name,
  });
  return (
    <li className="audit-entry">
      <p>
        <strong>{sentence}</strong>{" "}
        <time className="muted small" dateTime={entry.at}>
          {formatDateTime(entry.at, i18n.language)}
        </time>
      </p>
      {entry.changes.length > 0 && (
        <ul className="audit-changes small">
          {entry.changes.map((c) => (
            <li key={c.field}>{changeText(entry.action, c)}</li>
          ))}
        </ul>
      )}
    </li>
  );

  function changeText(action: AuditEntry["action"], c: FieldChange): string {
    const label = fieldLabel(c.field);
    if (c.redacted) return t(action === "updated" ? "audit.redacted_changed" : "audit.redacted", { field: label });
    if (action === "created") return t("audit.value", { field: label, value: show(c.after) });
    if (action === "deleted") return t("audit.value", { field: label, value: show(c.before) });
    return t("audit.change", { field: label, before: show(c.before), after: show(c.after) });
  }

  function fieldLabel(field: string): string {
    const key = `audit.fields.${field.replace(/\./g, "_")}`;
    if (i18n.exists(key)) return t(key);
    // Nested settings read as a path: "targets › medium › first response".
    return field
      .replace(/^definition\./, "")
      .split(".")
      .map((part) => part.replace(/_/g, " "))
      .join(" › ");
  }

  function show(v: Value): string {
    if (v === null || v === "") return t("audit.none");
    if (typeof v === "boolean") return v ? t("audit.yes") : t("audit.no");
    if (Array.isArray(v)) return v.length ? v.map((x) => show(x)).join(", ") : t("audit.none");
    if (typeof v === "string" && ISO.test(v)) return formatDateTime(v, i18n.language);
    return String(v);
  }
}
