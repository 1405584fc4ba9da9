import { useId } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { CHANNELS, PRIORITIES } from "@eskala/core";
import { api } from "../../lib/api.ts";
import type { Items, Organization } from "../../lib/types.ts";
import { tierName, useCategories, useGroups, useStaff, useTiers } from "../console/reference.ts";
import type { ReviewFilter, ReviewFilters } from "./review-api.ts";

function useOrganizations() {
  return useQuery({
    queryKey: ["organizations"],
    queryFn: () => api.get<Items<Organization>>("/organizations"),
    staleTime: 5 * 60_000,
    select: (d) => d.items,
  });
}

type Option = { value: string; label: string };

/** Tier, group, category, channel, priority, agent and organisation: names from the reference data. */
export function ReviewFiltersBar({
  filters,
  onChange,
  onClear,
  showAgent,
}: {
  filters: ReviewFilters;
  onChange: (name: ReviewFilter, value: string | undefined) => void;
  onClear: () => void;
  showAgent: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const tiers = useTiers().data;
  const groups = useGroups().data;
  const categories = useCategories().data;
  const staff = useStaff(showAgent).data;
  const orgs = useOrganizations().data;

  const fields: { name: ReviewFilter; options: Option[] }[] = [
    {
      name: "tier",
      options: (tiers ?? [])
        .slice()
        .sort((a, b) => a.level - b.level)
        .map((x) => ({ value: String(x.level), label: tierName(tiers, x.level) })),
    },
    { name: "group_id", options: (groups ?? []).map((g) => ({ value: g.id, label: g.name })) },
    { name: "category_id", options: (categories ?? []).map((c) => ({ value: c.id, label: c.name })) },
    { name: "channel", options: CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) })) },
    { name: "priority", options: PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) })) },
    ...(showAgent
      ? [
          {
            name: "agent_id" as const,
            options: (staff ?? []).filter((u) => u.agent).map((u) => ({ value: u.id, label: u.name })),
          },
        ]
      : []),
    { name: "organization_id", options: (orgs ?? []).map((o) => ({ value: o.id, label: o.name })) },
  ];
  const active = Object.values(filters).some((v) => v);

  return (
    <fieldset className="review-filters">
      <legend className="sr-only">{t("review.filters.title")}</legend>
      {fields.map(({ name, options }) => (
        <div key={name} className="review-field">
          <label htmlFor={`${id}-${name}`}>{t(`review.filters.${name}`)}</label>
          <select
            id={`${id}-${name}`}
            value={filters[name] ?? ""}
            onChange={(e) => onChange(name, e.target.value || undefined)}
          >
            <option value="">{t("review.filters.all")}</option>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      ))}
      {active && (
        <button type="button" className="button small" onClick={onClear}>
          {t("review.filters.clear")}
        </button>
      )}
    </fieldset>
  );
}
