import { useState, type FormEvent } from "react";
import "../../styles/workspace.css";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import type { User } from "../../lib/types.ts";
import { canSupervise } from "../auth/session.ts";
import { FormError } from "../../ui/form-errors.tsx";
import { usePollInterval } from "../../lib/live.ts";
import { useDeleteView, useSaveView, useSavedViews, useViewCounts, viewHref, type SavedView } from "./workspace-api.ts";

const VIEW_QUEUES = ["all", "mine", "group", "breaching", "escalated-to-me"] as const;

/** A view's total beside its name, like a queue's, read out as a sentence ("10000+" past the cap). */
function ViewCount({ count, capped }: { count: number; capped: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <span className="nav-count" aria-hidden="true">
        {count}
        {capped ? "+" : ""}
      </span>
      <span className="sr-only">
        {" "}
        · {capped ? t("workspace.views.count_capped", { count }) : t("console.count", { count })}
      </span>
    </>
  );
}

/** The saved views in the console's navigation, under the queues, each with its count; choosing one applies its filters and sort. */
export function SavedViewsNav() {
  const { t } = useTranslation();
  const views = useSavedViews();
  const counts = useViewCounts(usePollInterval(30_000), Boolean(views.data?.length)).data;
  const [params] = useSearchParams();
  const remove = useDeleteView();
  const current = params.get("view");
  if (!views.data?.length) return null;
  return (
    <>
      <h2 className="nav-heading">{t("workspace.views.title")}</h2>
      <ul aria-label={t("workspace.views.title")}>
        {views.data.map((v: SavedView) => (
          <li key={v.id} className="saved-view">
            <Link
              to={viewHref(v)}
              className={current === v.id ? "active" : ""}
              aria-current={current === v.id ? "page" : undefined}
            >
              {v.name}
              {v.shared && <span className="muted small"> · {t("workspace.shared")}</span>}
              {counts?.get(v.id) && <ViewCount {...counts.get(v.id)!} />}
            </Link>
            {v.can_edit && (
              <button
                type="button"
                className="link-button small"
                aria-label={t("workspace.views.delete", { name: v.name })}
                title={t("workspace.views.delete", { name: v.name })}
                onClick={() => {
                  if (window.confirm(t("workspace.views.delete_confirm", { name: v.name }))) remove.mutate(v.id);
                }}
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

/** "Save view": keeps the list's queue, search, filters and sort under a name (shared: supervisors and admins). */
export function SaveView({ user }: { user: User }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const save = useSaveView();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [shared, setShared] = useState(false);
  const [nameError, setNameError] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setNameError(true);
    setNameError(false);
    const queue = params.get("queue") ?? "mine";
    const status = params.get("status");
    const priority = params.get("priority");
    const q = params.get("q");
    const sort = params.get("sort");
    save.mutate(
      {
        name: name.trim(),
        shared,
        filters: {
          queue: (VIEW_QUEUES as readonly string[]).includes(queue) ? (queue as SavedView["filters"]["queue"]) : "all",
          ...(q ? { q } : {}),
          ...(status ? { status: status as NonNullable<SavedView["filters"]["status"]> } : {}),
          ...(priority ? { priority: priority as NonNullable<SavedView["filters"]["priority"]> } : {}),
        },
        sort: (sort || "-number") as SavedView["sort"],
      },
      {
        onSuccess: (view) => {
          setOpen(false);
          setName("");
          setShared(false);
          const next = new URLSearchParams(params);
          next.set("view", view.id);
          setParams(next, { replace: true });
        },
      },
    );
  };

  if (!open)
    return (
      <button type="button" className="button small" onClick={() => setOpen(true)}>
        {t("workspace.views.save")}
      </button>
    );
  return (
    <form className="save-view" onSubmit={submit} noValidate aria-label={t("workspace.views.save")}>
      <label>
        <span>{t("workspace.views.name")}</span>{" "}
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={120}
          aria-invalid={nameError || undefined}
          autoFocus
        />
      </label>
      {canSupervise(user) && (
        <label>
          <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />{" "}
          {t("workspace.views.share")}
        </label>
      )}
      <button type="submit" className="button small primary" disabled={save.isPending}>
        {t("workspace.views.save_button")}
      </button>
      <button type="button" className="button small" onClick={() => setOpen(false)}>
        {t("workspace.cancel")}
      </button>
      {nameError && (
        <p className="error small" role="alert">
          {t("workspace.views.name_required")}
        </p>
      )}
      <FormError error={save.error} shownPaths={[]} />
    </form>
  );
}
