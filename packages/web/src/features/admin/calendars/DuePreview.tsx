import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../../lib/api.ts";
import { localized } from "../../../lib/i18n.ts";
import { formatDateTime, localeOf, toLocalInput } from "../../../lib/time.ts";
import type { CalendarDefinition, DuePreview as Preview } from "../../../lib/types.ts";
import { Field } from "../../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../../ui/form-errors.tsx";
import { cleanDefinition, type StoredDefinition } from "./calendar-model.ts";

function inZone(iso: string, zone: string, lang: string): string {
  try {
    return new Intl.DateTimeFormat(localeOf(lang), { dateStyle: "medium", timeStyle: "short", timeZone: zone }).format(
      new Date(iso),
    );
  } catch {
    return formatDateTime(iso, lang);
  }
}

/** "A ticket created at … is due at …, because …", computed by the server on the calendar being edited. */
export function DuePreview({ definition }: { definition: CalendarDefinition }) {
  const { t, i18n } = useTranslation();
  const [start, setStart] = useState(() => toLocalInput(new Date()));
  const [minutes, setMinutes] = useState("240");
  const [asked, setAsked] = useState<{ start: string; minutes: number } | null>(null);
  const preview = useMutation({
    mutationFn: (body: { calendar: StoredDefinition; start: string; business_minutes: number }) =>
      api.post<Preview>("/sla/preview/due", body),
  });
  const fieldError = useFieldErrors(preview.error);
  const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const startDate = new Date(start);
    const n = Number(minutes);
    if (Number.isNaN(startDate.getTime()) || !Number.isInteger(n) || n < 1) return;
    setAsked({ start: startDate.toISOString(), minutes: n });
    preview.mutate({ calendar: cleanDefinition(definition), start: startDate.toISOString(), business_minutes: n });
  };

  return (
    <section className="card due-preview" aria-labelledby="preview-title">
      <h2 id="preview-title">{t("calendar.preview_title")}</h2>
      <form onSubmit={submit} noValidate className="inline-form">
        <Field label={t("calendar.preview_start")} error={fieldError("start")}>
          {(p) => <input {...p} type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} />}
        </Field>
        <Field label={t("calendar.preview_minutes")} error={fieldError("business_minutes")}>
          {(p) => (
            <input {...p} type="number" min={1} step={1} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
          )}
        </Field>
        <button type="submit" className="button" disabled={preview.isPending}>
          {t("calendar.preview_button")}
        </button>
      </form>
      <FormError error={preview.error} shownPaths={["start", "business_minutes"]} />
      {preview.data && asked && (
        <p className="preview-result" role="status">
          {t("calendar.preview_sentence", {
            start: formatDateTime(asked.start, i18n.language),
            minutes: asked.minutes,
            due: formatDateTime(preview.data.due_at, i18n.language),
          })}{" "}
          {definition.timezone !== viewerZone && (
            <span className="muted">
              (
              {t("calendar.in_zone", {
                time: inZone(preview.data.due_at, definition.timezone, i18n.language),
                zone: definition.timezone,
              })}
              ){" "}
            </span>
          )}
          <span className="because">
            {t("calendar.because")} {localized(preview.data.explanation, i18n.language)}
          </span>
        </p>
      )}
    </section>
  );
}
