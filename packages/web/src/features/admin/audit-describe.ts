import type { TFunction } from "i18next";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { PRIORITIES } from "@eskala/core";
import { api } from "../../lib/api.ts";
import { formatDate, formatDateTime, formatMinutes } from "../../lib/time.ts";
import type {
  Calendar,
  HolidaySet,
  Items,
  Organization,
  RuleAction,
  RuleCondition,
  SlaPolicy,
  SlaTarget,
} from "../../lib/types.ts";
import { useList } from "./admin-api.ts";
import {
  describeActions,
  describeConditions,
  describeEvent,
  humanize,
  useRuleNames,
  type RuleNames,
} from "./rules/rule-sentences.ts";

type Json = unknown;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const TARGET_ORDER: readonly SlaTarget[] = ["first_response", "next_response", "periodic_update", "resolution"];
const SWITCHES = new Set(["definition.always_open", "definition.pause_on_hold"]);
const isObject = (v: Json): v is Record<string, Json> => !!v && typeof v === "object" && !Array.isArray(v);
const lower = (s: string) => s.toLocaleLowerCase();

type Names = RuleNames & {
  calendar: (id: string) => string | undefined;
  organization: (id: string) => string | undefined;
  holidaySet: (id: string) => string | undefined;
};

/**
 * Labels and values of the audit log as sentences in the reader's language: a part of a row
 * (`definition.actions`, `role`, `calendar_id`) gets the app's own words for it, ids become names.
 */
export function useAuditDescriber() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const ruleNames = useRuleNames();
  const calendars = useList<Calendar>(["admin", "calendars"], "/calendars").data;
  const orgs = useList<Organization>(["admin", "organizations"], "/organizations").data;
  const sets = useQuery({
    queryKey: ["holiday-sets"],
    queryFn: () => api.get<Items<HolidaySet>>("/holiday-sets"),
    retry: false,
  }).data?.items;
  const names: Names = {
    ...ruleNames,
    calendar: (id) => calendars?.find((c) => c.id === id)?.name,
    organization: (id) => orgs?.find((o) => o.id === id)?.name,
    holidaySet: (id) => {
      const s = sets?.find((x) => x.id === id);
      return s ? (lang === "en" ? s.name.en : s.name.id) : undefined;
    },
  };
  const minutes = (m: Json) =>
    typeof m === "number" ? formatMinutes(m, { d: t("units.d"), h: t("units.h"), m: t("units.m") }) : t("audit.none");

  /** The label of a part: entity-specific words first, then the shared ones, then a humanised name. */
  function label(entity: string, field: string): string {
    const key = field.replace(/\./g, "_");
    for (const k of [`audit.entity_fields.${entity}.${key}`, `audit.fields.${key}`]) if (i18n.exists(k)) return t(k);
    return humanize(field.replace(/^definition\./, ""));
  }

  /** One value as words: an enum by its translation, an id by its name, a structure as a sentence. */
  function value(entity: string, field: string, v: Json): string {
    // Switches a definition may leave out are off.
    if ((v === null || v === undefined) && SWITCHES.has(field)) return t("audit.no");
    if (v === null || v === undefined || v === "") return t("audit.none");
    if (typeof v === "boolean") return v ? t("audit.yes") : t("audit.no");
    const id = typeof v === "string" ? v : "";
    switch (field) {
      case "event":
        if (entity === "rule") return describeEvent(id, t);
        break;
      case "events":
        if (Array.isArray(v)) return v.length ? v.map((e) => webhookEvent(String(e), t)).join(", ") : t("audit.none");
        break;
      case "definition.conditions":
        return entity === "rule"
          ? describeConditions(v as { all?: RuleCondition[]; any?: RuleCondition[] }, t, names)
          : policyConditions(v as SlaPolicy["conditions"]);
      case "definition.actions":
        return describeActions(Array.isArray(v) ? (v as RuleAction[]) : [], t, names);
      case "definition.targets":
        return targets(v);
      case "definition.tier_budgets":
        return isObject(v)
          ? Object.entries(v)
              .map(([lvl, m]) => t("audit.per", { label: tierLabel(Number(lvl)), value: minutes(m) }))
              .join("; ")
          : show(v);
      case "definition.ladder":
        return Array.isArray(v)
          ? v.map((x) => (typeof x === "number" ? `${Math.round(x * 100)}%` : show(x))).join(", ")
          : show(v);
      case "definition.customer_request_response":
      case "definition.idle_minutes":
        return minutes(v);
      case "definition.weekly":
        return weekly(v);
      case "definition.holidays":
        return Array.isArray(v) ? v.map((d) => formatDate(String(d), lang)).join(", ") : show(v);
      case "definition.holiday_sets":
        return Array.isArray(v) ? v.map((s) => names.holidaySet(String(s)) ?? humanize(String(s))).join(", ") : show(v);
      case "role":
        return t(`role.${id}`, { defaultValue: humanize(id) });
      case "language":
        return t(`common.languages.${id}`, { defaultValue: id.toUpperCase() });
      case "organization_id":
        return names.organization(id) ?? t("audit.unknown");
      case "user_id":
        return names.agent?.(id) ?? t("audit.unknown");
      case "calendar_id":
        return names.calendar(id) ?? t("audit.unknown");
      case "kind":
        if (entity === "group") return t(`admin.groups.kind_${id}`, { defaultValue: humanize(id) });
        break;
      case "tier_level":
      case "tier":
        if (typeof v === "number") return tierLabel(v);
        break;
      case "key":
        if (entity === "mail_template") return humanize(id);
        break;
    }
    return show(v);
  }

  /** The name in the entry's sentence; a mail template's "ticket.received / en" reads as words. */
  function entityName(entity: string, name: string): string {
    if (entity !== "mail_template") return name;
    const [key = "", language = ""] = name.split(" / ");
    return t("audit.mail_template_name", {
      template: humanize(key),
      language: t(`common.languages.${language}`, { defaultValue: language.toUpperCase() }),
    });
  }

  function show(v: Json): string {
    if (v === null || v === undefined || v === "") return t("audit.none");
    if (typeof v === "boolean") return v ? t("audit.yes") : t("audit.no");
    if (Array.isArray(v)) return v.length ? v.map(show).join(", ") : t("audit.none");
    if (isObject(v))
      return Object.entries(v)
        .map(([k, x]) => t("audit.per", { label: humanize(k), value: show(x) }))
        .join("; ");
    if (typeof v === "string" && ISO.test(v)) return formatDateTime(v, lang);
    if (typeof v === "string" && DATE.test(v)) return formatDate(v, lang);
    return String(v);
  }

  function tierLabel(level: number): string {
    return names.tier?.(level) ?? t("rules.says.tier", { level });
  }

  function targets(v: Json): string {
    if (!isObject(v)) return show(v);
    const lines = PRIORITIES.filter((p) => p in v).map((p) => {
      if (!isObject(v[p]) || Object.keys(v[p]).length === 0)
        return t("audit.target_line", { priority: t(`priority.${p}`), targets: t("audit.none") });
      const set = v[p];
      const parts = TARGET_ORDER.filter((k) => set[k] !== undefined && set[k] !== null).map((k) =>
        t("audit.pair", { label: lower(t(`sla.target.${k}`)), value: minutes(set[k]) }),
      );
      return t("audit.target_line", { priority: t(`priority.${p}`), targets: parts.join(", ") });
    });
    return lines.length ? lines.join("; ") : t("audit.none");
  }

  function policyConditions(c: SlaPolicy["conditions"] | null): string {
    if (!isObject(c)) return t("sla_admin.all_tickets");
    const list = (items: string[] | undefined, word: (x: string) => string) =>
      items && items.length ? items.map(word).join(t("rules.says.or")) : null;
    const parts = [
      [t("rules.field.priority"), list(c.priorities, (p) => lower(t(`priority.${p}`)))],
      [t("rules.field.channel"), list(c.channels, (ch) => lower(t(`channel.${ch}`, { defaultValue: humanize(ch) })))],
      [t("rules.field.group_id"), list(c.group_ids, (g) => names.group?.(g) ?? t("audit.unknown"))],
      [t("rules.field.category_id"), list(c.category_ids, (g) => names.category?.(g) ?? t("audit.unknown"))],
      [t("sla_admin.segments"), list(c.segments, (s) => `“${s}”`)],
    ].filter((p): p is [string, string] => p[1] !== null);
    return parts.length
      ? parts.map(([l, x]) => t("audit.per", { label: l, value: x })).join("; ")
      : t("sla_admin.all_tickets");
  }

  function weekly(v: Json): string {
    if (!isObject(v)) return show(v);
    const days = WEEK.filter((d) => d in v).map((d) => {
      const intervals = Array.isArray(v[d]) ? (v[d] as unknown[]) : [];
      return t("audit.per", {
        label: t(`weekday.${d}`),
        value: intervals.length
          ? intervals.map((iv) => (Array.isArray(iv) ? iv.join("–") : show(iv))).join(", ")
          : lower(t("calendar.closed")),
      });
    });
    return days.length ? days.join("; ") : t("audit.closed_all_week");
  }

  return { label, value, entityName, narrow };
}

/** Maps whose keys are read one by one: a change shows only the priorities, tiers or days that changed. */
const KEYED = new Set(["definition.targets", "definition.tier_budgets", "definition.weekly"]);

/** Before and after of an updated keyed part, cut down to the keys that differ (a missing one is null). */
function narrow(field: string, before: Json, after: Json): [Json, Json] {
  if (!KEYED.has(field) || !isObject(before) || !isObject(after)) return [before, after];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
  const pick = (o: Record<string, Json>) => Object.fromEntries(keys.map((k) => [k, o[k] ?? null]));
  return [pick(before), pick(after)];
}

/** A webhook's event ("ticket.escalated") in words; unknown ones humanised. */
function webhookEvent(e: string, t: TFunction): string {
  return t(`admin.webhooks.event_names.${e}`, { defaultValue: humanize(e) });
}
