import { useState } from "react";
import "../../styles/workspace.css";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../lib/api.ts";
import { renderMacro, useMacros, type Macro, type RenderedMacro } from "./workspace-api.ts";

/** What a picked macro will change besides the text, as a sentence list in the viewer's language. */
export function MacroChangesText({ changes }: { changes: RenderedMacro["changes"] }) {
  const { t } = useTranslation();
  const parts: string[] = [];
  if (changes.status) parts.push(t("workspace.macro.change_status", { status: t(`status.${changes.status}`) }));
  if (changes.priority)
    parts.push(t("workspace.macro.change_priority", { priority: t(`priority.${changes.priority}`) }));
  if (changes.tags_add?.length) parts.push(t("workspace.macro.change_tags_add", { tags: changes.tags_add.join(", ") }));
  if (changes.tags_remove?.length)
    parts.push(t("workspace.macro.change_tags_remove", { tags: changes.tags_remove.join(", ") }));
  if (changes.group_id) parts.push(t("workspace.macro.change_group"));
  if (!parts.length) return null;
  return <>{t("workspace.macro.also", { changes: parts.join("; ") })}</>;
}

/**
 * The composer's "Macro" picker: choosing one fills the text (rendered for this ticket, in the
 * customer's language) for the agent to edit; its field changes are applied when the reply is sent.
 */
export function MacroPicker({
  ticketId,
  picked,
  onPick,
}: {
  ticketId: string;
  picked: { macro: Macro; rendered: RenderedMacro } | null;
  onPick: (p: { macro: Macro; rendered: RenderedMacro } | null) => void;
}) {
  const { t } = useTranslation();
  const macros = useMacros();
  const [error, setError] = useState(false);
  if (!macros.data?.length) return null;
  return (
    <div className="macro-picker">
      <label>
        <span aria-hidden="true">{t("workspace.macro.label")}</span>{" "}
        <select
          aria-label={t("workspace.macro.label")}
          value={picked?.macro.id ?? ""}
          onChange={async (e) => {
            setError(false);
            const macro = macros.data.find((m) => m.id === e.target.value);
            if (!macro) return onPick(null);
            try {
              onPick({ macro, rendered: await renderMacro(ticketId, macro.id) });
            } catch (err) {
              if (!(err instanceof ApiError)) throw err;
              setError(true);
            }
          }}
        >
          <option value="">{t("workspace.macro.none")}</option>
          {macros.data.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
              {m.shared ? "" : ` · ${t("workspace.personal")}`}
            </option>
          ))}
        </select>
      </label>
      {picked && (
        <p className="muted small" role="status">
          <MacroChangesText changes={picked.rendered.changes} />
        </p>
      )}
      {error && (
        <p className="error small" role="alert">
          {t("workspace.macro.render_failed")}
        </p>
      )}
    </div>
  );
}
