import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { User } from "../../lib/types.ts";
import { PresenceDot } from "../../ui/Badges.tsx";
import { Dialog } from "../../ui/Dialog.tsx";
import { useGroups, useStaff } from "../console/reference.ts";
import { AdminPage } from "./AdminPage.tsx";
import { AgentForm } from "./AgentForm.tsx";

/** Staff with their tier, groups, skills, languages and capacity, which routing uses to pick an agent. */
export function AgentsPage() {
  const { t } = useTranslation();
  const staff = useStaff();
  const groups = useGroups();
  const groupNames = new Map((groups.data ?? []).map((g) => [g.id, g.name]));
  const [editing, setEditing] = useState<User | "new" | null>(null);
  return (
    <AdminPage
      title={t("admin.nav.agents")}
      intro={t("admin.agents.intro")}
      query={staff}
      actions={
        <button type="button" className="button primary" onClick={() => setEditing("new")}>
          {t("admin.agents.add")}
        </button>
      }
    >
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("admin.name")}</th>
              <th scope="col">{t("admin.agents.role")}</th>
              <th scope="col">{t("ticket.tier")}</th>
              <th scope="col">{t("admin.agents.groups")}</th>
              <th scope="col">{t("admin.agents.skills")}</th>
              <th scope="col">{t("admin.agents.languages")}</th>
              <th scope="col">{t("board.load")}</th>
              <th scope="col">{t("header.presence")}</th>
              <th scope="col">
                <span className="sr-only">{t("admin.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {staff.data?.map((u) => (
              <tr key={u.id} className={u.disabled ? "disabled-row" : ""}>
                <td>
                  {u.name}
                  <div className="muted small">{u.email}</div>
                  {u.disabled && <span className="badge subtle">{t("admin.agents.disabled")}</span>}
                </td>
                <td>{t(`role.${u.role}`)}</td>
                <td>{u.agent?.tier ?? "—"}</td>
                <td>{u.agent?.group_ids.map((id) => groupNames.get(id) ?? "?").join(", ") || "—"}</td>
                <td>
                  {u.agent?.skills.map((s) => (
                    <span key={s.skill} className="tag">
                      {s.skill} {s.level}
                    </span>
                  ))}
                </td>
                <td>{u.agent?.languages.join(", ").toUpperCase() ?? "—"}</td>
                <td>{u.agent ? `${u.agent.open_tickets}/${u.agent.capacity}` : "—"}</td>
                <td>{u.agent ? <PresenceDot presence={u.agent.presence} /> : "—"}</td>
                <td>
                  <button
                    type="button"
                    className="button small"
                    onClick={() => setEditing(u)}
                    aria-label={t("admin.edit_named", { name: u.name })}
                  >
                    {t("admin.edit")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Dialog
        wide
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === "new" ? t("admin.agents.add") : t("admin.agents.edit")}
      >
        {editing !== null && <AgentForm user={editing === "new" ? null : editing} onDone={() => setEditing(null)} />}
      </Dialog>
    </AdminPage>
  );
}
