import { useEffect } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ApiError, api } from "../../lib/api.ts";
import { changeLanguage } from "../../lib/i18n.ts";
import type { Language } from "../../lib/types.ts";
import { ErrorNote, Loading, Notice } from "../../ui/Notice.tsx";
import { RatingForm, RatingGiven, type RateInput } from "./RateHelp.tsx";

type SurveyView = {
  ticket: { number: number; subject: string; status: string };
  language: Language;
  rating: number | null;
  comment: string | null;
  rated_at: string | null;
};

/** The survey link of the solved email (/portal/survey/:token), signed in or not: the form, or the rating given. */
export function SurveyPage({ signedIn }: { signedIn: boolean }) {
  const { t } = useTranslation();
  const { token = "" } = useParams();
  const path = `/surveys/${encodeURIComponent(token)}`;
  const survey = useQuery({ queryKey: ["survey", token], queryFn: () => api.get<SurveyView>(path), retry: false });
  const rate = useMutation({ mutationFn: (body: RateInput) => api.post<SurveyView>(path, body) });
  const language = survey.data?.language;
  useEffect(() => {
    // Signed out, the page speaks the ticket's language; a signed-in customer keeps their own.
    if (language && !signedIn) void changeLanguage(language);
  }, [language, signedIn]);

  if (survey.isLoading) return <Loading />;
  if (survey.error instanceof ApiError && (survey.error.status === 410 || survey.error.status === 404))
    return (
      <section className="card">
        <h1>{t("portal.survey_unavailable_title")}</h1>
        <Notice kind="warning">
          {t(survey.error.status === 410 ? "portal.survey_expired" : "portal.survey_invalid")}
        </Notice>
        <Link to="/portal">{t("portal.survey_to_tickets")}</Link>
      </section>
    );
  if (!survey.data) return <ErrorNote error={survey.error} />;
  const { ticket } = survey.data;
  const given = rate.data ?? (survey.data.rated_at ? survey.data : null);
  const alreadyRated = rate.error instanceof ApiError && rate.error.status === 409;
  return (
    <div className="stack">
      <h1>{t("portal.survey_title", { number: ticket.number, subject: ticket.subject })}</h1>
      {given || alreadyRated ? (
        <>
          <RatingGiven rating={given?.rating ?? null} comment={given?.comment ?? null} />
          <Link to="/portal">{t("portal.survey_to_tickets")}</Link>
        </>
      ) : (
        <RatingForm onRate={(body) => rate.mutate(body)} pending={rate.isPending} error={rate.error} />
      )}
    </div>
  );
}
