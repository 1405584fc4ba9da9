import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { PRIORITIES } from "@eskala/core";
import {
  ESCALATION_REASONS,
  type EscalationReason,
  type Priority,
  type RuleAction,
  type RuleTarget,
  type Webhook,
} from "../../../lib/types.ts";
import { useGroups, useStaff, useTiers } from "../../console/reference.ts";
import { useList } from "../admin-api.ts";

export const ACTION_TYPES = [
  "escalate",
  "set_priority",
  "assign",
  "add_tag",
  "remove_tag",
  "internal_note",
  "notify",
] as const;
const NOTIFY_CHANNELS = ["customer", "group", "supervisor", "assignee", "agent", "webhook"] as const;

export function defaultAction(type: RuleAction["type"]): RuleAction {
  switch (type) {
    case "escalate":
      return { type, to: { tier: "next" }, reason: "sla_breach" };
    case "set_priority":
      return { type, priority: "high" };
    case "assign":
      return { type, agent_id: "auto" };
    case "add_tag":
    case "remove_tag":
      return { type, tag: "" };
    case "internal_note":
      return { type, body: "" };
    case "notify":
      return { type, channel: "supervisor" };
  }
}

type TargetKind = "tier" | "next" | "group" | "department" | "supervisor";
const targetKind = (to: RuleTarget): TargetKind =>
  "supervisor" in to
    ? "supervisor"
    : "group_id" in to
      ? "group"
      : "department_id" in to
        ? "department"
        : to.tier === "next"
          ? "next"
          : "tier";

type Props = {
  action: RuleAction;
  index: number;
  onChange: (a: RuleAction) => void;
  onRemove: () => void;
  error?: string | undefined;
};

/** One action of a rule, with the inputs its type needs. */
export function ActionRow({ action, index, onChange, onRemove, error }: Props) {
  const { t } = useTranslation();
  const tiers = useTiers().data ?? [];
  const groups = useGroups().data ?? [];
  const staff = (useStaff().data ?? []).filter((u) => u.agent);
  const webhooks = useList<Webhook>(["admin", "webhooks"], "/webhooks").data ?? [];
  const n = index + 1;
  const label = (what: string) => t("rules.action_part", { what, n });

  let params: ReactNode = null;
  if (action.type === "escalate") {
    const kind = targetKind(action.to);
    const setKind = (k: TargetKind) => {
      const to: RuleTarget =
        k === "next"
          ? { tier: "next" }
          : k === "tier"
            ? { tier: tiers[1]?.level ?? 2 }
            : k === "group"
              ? { group_id: "" }
              : k === "department"
                ? { department_id: "" }
                : { supervisor: true };
      onChange({ ...action, to });
    };
    params = (
      <>
        <select
          aria-label={label(t("rules.escalate_to"))}
          value={kind}
          onChange={(e) => setKind(e.target.value as TargetKind)}
        >
          {(["next", "tier", "group", "department", "supervisor"] as const).map((k) => (
            <option key={k} value={k}>
              {t(`rules.target.${k}`)}
            </option>
          ))}
        </select>
        {kind === "tier" && "tier" in action.to && (
          <select
            aria-label={label(t("ticket.tier"))}
            value={String(action.to.tier)}
            onChange={(e) => onChange({ ...action, to: { tier: Number(e.target.value) } })}
          >
            {tiers.map((x) => (
              <option key={x.level} value={x.level}>
                {x.name}
              </option>
            ))}
          </select>
        )}
        {(kind === "group" || kind === "department") && (
          <select
            aria-label={label(kind === "group" ? t("ticket.group") : t("escalate.kind.department"))}
            value={
              "group_id" in action.to ? action.to.group_id : "department_id" in action.to ? action.to.department_id : ""
            }
            onChange={(e) =>
              onChange({
                ...action,
                to: kind === "group" ? { group_id: e.target.value } : { department_id: e.target.value },
              })
            }
          >
            <option value="">{t("common.choose")}</option>
            {groups
              .filter((g) => g.kind === (kind === "group" ? "tier" : "department"))
              .map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
          </select>
        )}
        <select
          aria-label={label(t("escalate.reason"))}
          value={action.reason}
          onChange={(e) => onChange({ ...action, reason: e.target.value as EscalationReason })}
        >
          {ESCALATION_REASONS.map((r) => (
            <option key={r} value={r}>
              {t(`reason.${r}`)}
            </option>
          ))}
        </select>
      </>
    );
  } else if (action.type === "set_priority") {
    params = (
      <select
        aria-label={label(t("ticket.priority"))}
        value={action.priority}
        onChange={(e) => onChange({ ...action, priority: e.target.value as Priority })}
      >
        {PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {t(`priority.${p}`)}
          </option>
        ))}
      </select>
    );
  } else if (action.type === "assign") {
    params = (
      <select
        aria-label={label(t("ticket.assignee"))}
        value={action.agent_id}
        onChange={(e) => onChange({ ...action, agent_id: e.target.value })}
      >
        <option value="auto">{t("rules.assign_auto")}</option>
        {staff.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name}
          </option>
        ))}
      </select>
    );
  } else if (action.type === "add_tag" || action.type === "remove_tag") {
    params = (
      <input
        aria-label={label(t("rules.tag"))}
        value={action.tag}
        onChange={(e) => onChange({ ...action, tag: e.target.value })}
      />
    );
  } else if (action.type === "internal_note") {
    params = (
      <textarea
        aria-label={label(t("rules.note_body"))}
        rows={2}
        value={action.body}
        onChange={(e) => onChange({ ...action, body: e.target.value })}
      />
    );
  } else if (action.type === "notify") {
    params = (
      <>
        <select
          aria-label={label(t("rules.notify_channel"))}
          value={action.channel}
          onChange={(e) => onChange({ type: "notify", channel: e.target.value as (typeof NOTIFY_CHANNELS)[number] })}
        >
          {NOTIFY_CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`rules.notify.${c}`)}
            </option>
          ))}
        </select>
        {action.channel === "agent" && (
          <select
            aria-label={label(t("rules.notify.agent"))}
            value={action.agent_id ?? ""}
            onChange={(e) => onChange({ ...action, agent_id: e.target.value })}
          >
            <option value="">{t("common.choose")}</option>
            {staff.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        )}
        {action.channel === "webhook" && (
          <select
            aria-label={label(t("rules.notify.webhook"))}
            value={action.webhook_id ?? ""}
            onChange={(e) => onChange({ ...action, webhook_id: e.target.value })}
          >
            <option value="">{t("common.choose")}</option>
            {webhooks.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        )}
        <input
          aria-label={label(t("rules.template"))}
          placeholder={t("rules.template_placeholder")}
          value={action.template ?? ""}
          onChange={(e) =>
            onChange({ ...action, ...(e.target.value ? { template: e.target.value } : { template: undefined }) })
          }
        />
      </>
    );
  }

  return (
    <li className="rule-row">
      <select
        aria-label={label(t("rules.action_type"))}
        value={action.type}
        onChange={(e) => onChange(defaultAction(e.target.value as RuleAction["type"]))}
      >
        {ACTION_TYPES.map((a) => (
          <option key={a} value={a}>
            {t(`rules.action.${a}`)}
          </option>
        ))}
      </select>
      {params}
      <button type="button" className="icon-button" aria-label={t("rules.remove_action", { n })} onClick={onRemove}>
        ×
      </button>
      {error && <span className="field-error">{error}</span>}
    </li>
  );
}
