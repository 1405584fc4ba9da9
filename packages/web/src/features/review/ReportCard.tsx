import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { isNotAvailable } from "../../lib/api.ts";
import { ErrorNote, Loading, NotAvailable } from "../../ui/Notice.tsx";

/** One report on the page: its title, a "Download CSV" link, and its body once loaded. */
export function ReportCard({
  id,
  title,
  csv,
  query,
  controls,
  children,
  wide,
}: {
  id: string;
  title: string;
  csv?: string | undefined;
  query: { isLoading: boolean; error: unknown; data?: unknown };
  controls?: ReactNode;
  children: ReactNode;
  wide?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <section className={`card review-card${wide ? " review-wide" : ""}`} aria-labelledby={`${id}-title`}>
      <header className="review-card-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <div className="review-card-actions">
          {controls}
          {csv && !isNotAvailable(query.error) && (
            <a className="button small" href={csv} download>
              {t("review.csv")}
              <span className="sr-only"> · {title}</span>
            </a>
          )}
        </div>
      </header>
      {isNotAvailable(query.error) ? (
        <NotAvailable what={title} />
      ) : query.error ? (
        <ErrorNote error={query.error} />
      ) : query.isLoading || query.data === undefined ? (
        <Loading />
      ) : (
        children
      )}
    </section>
  );
}
