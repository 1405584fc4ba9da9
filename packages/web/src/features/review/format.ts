import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { localeOf } from "../../lib/time.ts";
import type { TFunction } from "i18next";

/** Numbers as the viewer reads them: "1.234" and "12,5 %" in Indonesian, "1,234" and "12.5%" in English. */
export type Formats = {
  count: (n: number) => string;
  share: (s: number | null) => string;
  /** A share on a chart's scale: "50%". */
  shareTick: (s: number) => string;
  /** A duration in minutes: "45 min", "3 h 20 min", "2 d 4 h". */
  minutes: (m: number | null) => string;
  rating: (r: number | null) => string;
  date: (d: string) => string;
};

export function makeFormats(lang: string, t: TFunction): Formats {
  const locale = localeOf(lang);
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const pct = new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const pct0 = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const one = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  return {
    count: (n) => count.format(n),
    share: (s) => (s === null ? "—" : pct.format(s)),
    shareTick: (s) => pct0.format(s),
    minutes: (m) => {
      if (m === null) return "—";
      const total = Math.round(m);
      const d = Math.floor(total / 1440);
      const h = Math.floor((total % 1440) / 60);
      const min = total % 60;
      if (d > 0) return t("review.duration.dh", { d, h });
      if (h > 0) return t("review.duration.hm", { h, m: min });
      return t("review.duration.m", { m: min });
    },
    rating: (r) => (r === null ? "—" : one.format(r)),
    date: (d) => date.format(new Date(`${d}T00:00:00Z`)),
  };
}

export function useFormats(): Formats {
  const { t, i18n } = useTranslation();
  return useMemo(() => makeFormats(i18n.language, t), [i18n.language, t]);
}
