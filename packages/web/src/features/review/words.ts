import type { TFunction } from "i18next";

/** A report row's key in words: enum values through the shared sentences, ids by their names, "not set" said so. */
export function keyWords(
  t: TFunction,
  dimension: string,
  key: string | number | null | undefined,
  label?: string | null,
): string {
  if (key === null || key === undefined) return t(`review.none.${dimension}`, { defaultValue: t("review.none.any") });
  switch (dimension) {
    case "reason":
      return t(`reason.${key}`, { defaultValue: t("reason.other") });
    case "trigger":
    case "type":
      return t(`review.${dimension}.${key}`, { defaultValue: t("review.unknown") });
    case "channel":
    case "priority":
      return t(`${dimension}.${key}`, { defaultValue: t("review.unknown") });
    case "tier":
      return label ? t("review.tier_named", { level: key, name: label }) : t("review.tier_n", { level: key });
    default:
      return label ?? t("review.unknown");
  }
}

/** An SLA target of the attainment report: `first_response`, `tier_budget:2`… */
export function slaTargetWords(t: TFunction, target: string): string {
  const [name, level] = target.split(":");
  if (name === "tier_budget" && level !== undefined) return t("review.sla.tier_budget", { level });
  return t(`sla.target.${name}`, { defaultValue: t("review.unknown") });
}

/** A path of tiers (`1-2-1`) as words: "Tier 1 → Tier 2 → Tier 1". */
export function pathWords(t: TFunction, tiers: number[]): string {
  return tiers.map((level) => t("review.tier_n", { level })).join(" → ");
}
