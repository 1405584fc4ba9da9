import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError, api } from "../../lib/api.ts";
import type { CustomerTicket, Items, Satisfaction } from "../../lib/types.ts";
import { Field, FieldSet } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { Notice } from "../../ui/Notice.tsx";

export type RateInput = { rating: number; comment?: string };

/** 1-5 and a comment, offered once the ticket is solved; a rated ticket shows the rating given. */
export function RateHelp({ ticket }: { ticket: Pick<CustomerTicket, "id" | "status"> }) {
  const existing = useQuery({
    queryKey: ["ticket", ticket.id, "satisfaction"],
    queryFn: () => api.get<Items<Satisfaction>>(`/tickets/${ticket.id}/satisfaction`),
    retry: false,
  });
  const rate = useMutation({
    mutationFn: (body: RateInput) => api.post<Satisfaction>(`/tickets/${ticket.id}/satisfaction`, body),
    onSuccess: () => void existing.refetch(),
  });
  if (existing.isLoading) return null;
  const rated = rate.data ?? existing.data?.items.find((s) => s.rated_at);
  const alreadyRated = rate.error instanceof ApiError && rate.error.status === 409;
  if (rated || alreadyRated) return <RatingGiven rating={rated?.rating ?? null} comment={rated?.comment ?? null} />;
  return <RatingForm onRate={(body) => rate.mutate(body)} pending={rate.isPending} error={rate.error} />;
}

/** The rating the customer gave (it cannot be changed). */
export function RatingGiven({ rating, comment }: { rating: number | null; comment: string | null }) {
  const { t } = useTranslation();
  return (
    <Notice kind="success" live>
      {t("portal.rate_thanks")}
      {rating ? ` ${t("portal.rated_as", { n: rating, word: t(`portal.rate_word.${rating}`) })}` : ""}
      {comment ? ` ${t("portal.rated_comment", { comment })}` : ""}
    </Notice>
  );
}

/** The 1-5 stars and the comment. */
export function RatingForm({
  onRate,
  pending,
  error,
}: {
  onRate: (body: RateInput) => void;
  pending: boolean;
  error: unknown;
}) {
  const { t } = useTranslation();
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState("");
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fieldError = useFieldErrors(error, clientErrors);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (rating < 1) {
      setClientErrors({ rating: t("portal.rate_required") });
      return;
    }
    setClientErrors({});
    onRate({ rating, ...(comment.trim() ? { comment: comment.trim() } : {}) });
  };
  return (
    <section className="card" aria-labelledby="rate-title">
      <h2 id="rate-title">{t("portal.rate_title")}</h2>
      <form onSubmit={submit} noValidate className="stack">
        <FieldSet legend={t("portal.rate_legend")} error={fieldError("rating")} className="rating">
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} className={n <= rating ? "on" : ""}>
              <input type="radio" name="rating" value={n} checked={rating === n} onChange={() => setRating(n)} />
              <span aria-hidden="true">★</span>
              <span className="sr-only">{t("portal.rate_n", { n })}</span>
            </label>
          ))}
          <span className="muted small">{rating > 0 ? t(`portal.rate_word.${rating}`) : ""}</span>
        </FieldSet>
        <Field label={t("portal.rate_comment")} error={fieldError("comment")}>
          {(p) => (
            <textarea {...p} rows={3} value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} />
          )}
        </Field>
        <FormError error={error} shownPaths={["rating", "comment"]} />
        <button type="submit" className="button primary" disabled={pending}>
          {t("portal.rate_submit")}
        </button>
      </form>
    </section>
  );
}
