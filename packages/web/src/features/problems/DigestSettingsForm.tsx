import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../lib/time.ts";
import { Field } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { ErrorNote, Notice } from "../../ui/Notice.tsx";
import { useDigestSettings, useSaveDigestSettings } from "./problems-api.ts";

const DAYS = [1, 2, 3, 4, 5, 6, 7];
const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** Admins choose the weekly review digest's day and hour (in the organisation's zone) or turn it off. */
export function DigestSettingsForm() {
  const { t, i18n } = useTranslation();
  const settings = useDigestSettings(true);
  const save = useSaveDigestSettings();
  const fieldError = useFieldErrors(save.error);
  const [form, setForm] = useState({ enabled: true, weekday: 1, hour: 8 });
  useEffect(() => {
    if (settings.data)
      setForm({ enabled: settings.data.enabled, weekday: settings.data.weekday, hour: settings.data.hour });
  }, [settings.data]);
  if (settings.error) return <ErrorNote error={settings.error} />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(form);
  };
  return (
    <section className="card digest-settings" aria-labelledby="digest-title">
      <h2 id="digest-title">{t("problems.digest.title")}</h2>
      <p className="muted">{t("problems.digest.intro")}</p>
      <form onSubmit={submit} className="digest-form">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.enabled}
            onChange={(e) => setForm({ ...form, enabled: e.target.checked })}
          />{" "}
          {t("problems.digest.enabled")}
        </label>
        <Field label={t("problems.digest.weekday")} error={fieldError("weekday")}>
          {(p) => (
            <select {...p} value={form.weekday} onChange={(e) => setForm({ ...form, weekday: Number(e.target.value) })}>
              {DAYS.map((d) => (
                <option key={d} value={d}>
                  {t(`problems.digest.day.${d}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={t("problems.digest.hour")}
          error={fieldError("hour")}
          hint={settings.data ? `${t("problems.digest.time_zone")}: ${settings.data.time_zone}` : undefined}
        >
          {(p) => (
            <select {...p} value={form.hour} onChange={(e) => setForm({ ...form, hour: Number(e.target.value) })}>
              {HOURS.map((h) => (
                <option key={h} value={h}>
                  {String(h).padStart(2, "0")}:00
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" className="button primary" disabled={save.isPending}>
          {t("problems.save")}
        </button>
        <FormError error={save.error} shownPaths={["weekday", "hour"]} />
        {save.isSuccess && <Notice live>{t("problems.digest.saved")}</Notice>}
        {settings.data?.next_at && form.enabled && (
          <p className="muted">
            {t("problems.digest.next", { at: formatDateTime(settings.data.next_at, i18n.language) })}
          </p>
        )}
      </form>
    </section>
  );
}
