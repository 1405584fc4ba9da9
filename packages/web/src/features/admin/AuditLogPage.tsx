import { useState } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import type * as C from "@eskala/contracts";
import { api } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/time.ts";
import { AdminPage } from "./AdminPage.tsx";
import { useAuditDescriber } from "./audit-describe.ts";

type AuditEntry = z.infer<typeof C.AuditEntry>;
type AuditPage = z.infer<typeof C.AuditLogPage>;
type AuditPart = AuditEntry["parts"][number];

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

/** Who changed which configuration, when, before and after: sentences, one line per changed part, newest first. */
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
  const describe = useAuditDescriber();
  const actor = entry.actor.id ? entry.actor.name : t("audit.system");
  const sentence = t(`audit.sentence.${entry.action}`, {
    actor,
    kind: t(`audit.kinds.${entry.entity}`),
    name: describe.entityName(entry.entity, entry.entity_name),
  });
  const lines = entry.parts.flatMap((p) => {
    const text = partText(p);
    return text === null ? [] : [[p.field, text] as const];
  });
  return (
    <li className="audit-entry">
      <p>
        <strong>{sentence}</strong>{" "}
        <time className="muted small" dateTime={entry.at}>
          {formatDateTime(entry.at, i18n.language)}
        </time>
      </p>
      {lines.length > 0 && (
        <ul className="audit-changes small">
          {lines.map(([field, text]) => (
            <li key={field}>{text}</li>
          ))}
        </ul>
      )}
    </li>
  );

  /** One changed part as a line: "actions: set priority to high → set priority to high; add tag “vip”". */
  function partText(p: AuditPart): string | null {
    const field = describe.label(entry.entity, p.field);
    const show = (v: unknown) => describe.value(entry.entity, p.field, v);
    if (p.redacted) return t(entry.action === "updated" ? "audit.redacted_changed" : "audit.redacted", { field });
    if (entry.action === "created") return t("audit.value", { field, value: show(p.after) });
    if (entry.action === "deleted") return t("audit.value", { field, value: show(p.before) });
    const [before, after] = describe.narrow(p.field, p.before, p.after);
    // A setting left out and the same setting written out (absent → off) read alike: not a change.
    if (show(before) === show(after)) return null;
    return t("audit.change", { field, before: show(before), after: show(after) });
  }
}
