import type { TFunction } from "i18next";
import type { RuleAction, RuleCondition, Webhook } from "../../../lib/types.ts";
import { useCategories, useGroups, useStaff, useTiers } from "../../console/reference.ts";
import { useList } from "../admin-api.ts";
import { valueKind } from "./rule-model.ts";

/** Names of the things a rule points at by id; a missing one reads "(no longer exists)". */
export type RuleNames = {
  group?: (id: string) => string | undefined;
  category?: (id: string) => string | undefined;
  agent?: (id: string) => string | undefined;
  webhook?: (id: string) => string | undefined;
  tier?: (level: number) => string | undefined;
};

/** Names of groups, categories, staff, webhooks and tiers from the app's shared reference data. */
export function useRuleNames(): RuleNames {
  const groups = useGroups().data;
  const categories = useCategories().data;
  const staff = useStaff().data;
  const tiers = useTiers().data;
  const webhooks = useList<Webhook>(["admin", "webhooks"], "/webhooks").data;
  return {
    group: (id) => groups?.find((g) => g.id === id)?.name,
    category: (id) => categories?.find((c) => c.id === id)?.name,
    agent: (id) => staff?.find((u) => u.id === id)?.name,
    webhook: (id) => webhooks?.find((w) => w.id === id)?.name,
    tier: (level) => tiers?.find((x) => x.level === level)?.name,
  };
}

/** "ticket.idle" → "ticket idle": the last resort for a value the app has no words for. */
export const humanize = (s: string) => s.replace(/[._]+/g, " ").trim();

const lower = (s: string) => s.toLocaleLowerCase();

/** A rule's event as a sentence ("The customer sounds upset"). */
export function describeEvent(event: string, t: TFunction): string {
  return t(`rules.events.${event}`, { defaultValue: humanize(event) });
}

/** One action as a sentence: "set priority to high", "add tag “vip”". */
export function describeAction(a: RuleAction, t: TFunction, names: RuleNames = {}): string {
  const gone = t("rules.says.unknown");
  switch (a.type) {
    case "escalate": {
      const to = a.to;
      const target =
        "supervisor" in to
          ? t("rules.target.supervisor")
          : "group_id" in to
            ? (names.group?.(to.group_id) ?? gone)
            : "department_id" in to
              ? (names.group?.(to.department_id) ?? gone)
              : to.tier === "next"
                ? t("rules.target.next")
                : (names.tier?.(to.tier) ?? t("rules.says.tier", { level: to.tier }));
      return t("rules.says.escalate", { to: target, reason: lower(t(`reason.${a.reason}`)) });
    }
    case "set_priority":
      return t("rules.says.set_priority", { priority: lower(t(`priority.${a.priority}`)) });
    case "assign":
      return t("rules.says.assign", {
        who: a.agent_id === "auto" ? lower(t("rules.assign_auto")) : (names.agent?.(a.agent_id) ?? gone),
      });
    case "add_tag":
    case "remove_tag":
      return t(`rules.says.${a.type}`, { tag: a.tag });
    case "internal_note":
      return t("rules.says.internal_note", { body: a.body.length > 80 ? `${a.body.slice(0, 80)}…` : a.body });
    case "notify": {
      const who =
        a.channel === "agent" && a.agent_id
          ? (names.agent?.(a.agent_id) ?? gone)
          : a.channel === "webhook" && a.webhook_id
            ? t("rules.says.webhook", { name: names.webhook?.(a.webhook_id) ?? gone })
            : t(`rules.notify.${a.channel}`);
      return a.template
        ? t("rules.says.notify_template", { who, template: a.template })
        : t("rules.says.notify", { who });
    }
    default:
      return humanize(String((a as { type?: unknown }).type ?? ""));
  }
}

/** All actions of a rule, in order: "set priority to high; add tag “sentimen-negatif”". */
export function describeActions(actions: RuleAction[], t: TFunction, names: RuleNames = {}): string {
  return actions.length ? actions.map((a) => describeAction(a, t, names)).join("; ") : t("rules.says.nothing");
}

function conditionValue(field: string, v: unknown, t: TFunction, names: RuleNames): string {
  const kind = valueKind(field);
  const s = String(v);
  if (kind.kind === "enum")
    return kind.labelPrefix === "language"
      ? t(`common.languages.${s}`, { defaultValue: s.toUpperCase() })
      : lower(t(`${kind.labelPrefix}.${s}`, { defaultValue: humanize(s) }));
  if (kind.kind === "ref") {
    const name =
      kind.ref === "group" ? names.group?.(s) : kind.ref === "category" ? names.category?.(s) : names.agent?.(s);
    return name ?? t("rules.says.unknown");
  }
  if (field === "event.threshold" && typeof v === "number") return `${Math.round(v * 100)}%`;
  if (field === "tier" && typeof v === "number") return names.tier?.(v) ?? t("rules.says.tier", { level: v });
  if (kind.kind === "number") return s;
  return `“${s}”`;
}

/** One condition: "priority is low or medium", "subject contains “refund”". */
export function describeCondition(c: RuleCondition, t: TFunction, names: RuleNames = {}): string {
  const field = lower(t(`rules.field.${c.field}`, { defaultValue: humanize(c.field) }));
  const values = Array.isArray(c.value) ? c.value : [c.value];
  const value = values.map((v) => conditionValue(c.field, v, t, names)).join(t("rules.says.or"));
  const op = c.op === "in" ? "is" : c.op;
  return t("rules.says.condition", { field, op: t(`rules.op.${op}`, { defaultValue: humanize(op) }), value });
}

/** A rule's conditions as one sentence; no conditions reads "always". */
export function describeConditions(
  conditions: { all?: RuleCondition[]; any?: RuleCondition[] } | null | undefined,
  t: TFunction,
  names: RuleNames = {},
): string {
  const all = (conditions?.all ?? []).map((c) => describeCondition(c, t, names));
  const any = (conditions?.any ?? []).map((c) => describeCondition(c, t, names));
  const parts = [
    ...(all.length ? [all.join(t("rules.says.and"))] : []),
    ...(any.length ? [any.length === 1 ? any[0]! : t("rules.says.any_of", { list: any.join("; ") })] : []),
  ];
  return parts.length ? parts.join(t("rules.says.and")) : t("rules.says.always");
}
