import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../lib/i18n.ts";

type Kind = "info" | "success" | "warning" | "error";

export function Notice({ kind = "info", children, live }: { kind?: Kind; children: ReactNode; live?: boolean }) {
  const role = kind === "error" ? "alert" : live ? "status" : undefined;
  return (
    <div className={`notice notice-${kind}`} role={role}>
      {children}
    </div>
  );
}

/** A failed request said plainly, in the viewer's language. */
export function ErrorNote({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return <Notice kind="error">{errorMessage(error, t)}</Notice>;
}

/** Shown where a feature's endpoint is not on this server yet. */
export function NotAvailable({ what }: { what?: string }) {
  const { t } = useTranslation();
  return (
    <p className="not-available" role="note">
      {what ? t("common.not_available_named", { what }) : t("common.not_available")}
    </p>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t("common.loading")}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
