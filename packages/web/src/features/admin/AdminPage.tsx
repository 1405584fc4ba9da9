import type { ReactNode } from "react";
import { isNotAvailable } from "../../lib/api.ts";
import { ErrorNote, Loading, NotAvailable } from "../../ui/Notice.tsx";

type Props = {
  title: string;
  intro?: string;
  actions?: ReactNode;
  query: { isLoading: boolean; error: unknown };
  children: ReactNode;
};

/** The frame of an admin screen: heading, intro, primary action, and the loading/missing/error states. */
export function AdminPage({ title, intro, actions, query, children }: Props) {
  const missing = isNotAvailable(query.error);
  return (
    <div className="page admin-page">
      <div className="page-head">
        <h1>{title}</h1>
        {!missing && actions}
      </div>
      {intro && <p className="muted intro">{intro}</p>}
      {query.isLoading ? (
        <Loading />
      ) : missing ? (
        <NotAvailable what={title} />
      ) : query.error ? (
        <ErrorNote error={query.error} />
      ) : (
        children
      )}
    </div>
  );
}
