import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Calendar, CalendarDefinition } from "../../../lib/types.ts";
import { Field } from "../../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../../ui/form-errors.tsx";
import { Notice } from "../../../ui/Notice.tsx";
import { useRemove, useSave } from "../admin-api.ts";
import {
  cleanDefinition,
  defaultDefinition,
  normalizeDefinition,
  timezones,
  validateDefinition,
} from "./calendar-model.ts";
import { DuePreview } from "./DuePreview.tsx";
import { HolidaysEditor } from "./HolidaysEditor.tsx";
import { WeeklyEditor } from "./WeeklyEditor.tsx";

/** Name, zone, weekly hours and holidays of one business calendar, with a live deadline preview. */
export function CalendarEditor({
  calendar,
  onSaved,
  onDeleted,
}: {
  calendar: Calendar | null;
  onSaved: (c: Calendar) => void;
  onDeleted: () => void;
}) {
  const { t } = useTranslation();
  const save = useSave<Calendar>("/calendars", [["admin", "calendars"]]);
  const remove = useRemove("/calendars", [["admin", "calendars"]]);
  const [name, setName] = useState(calendar?.name ?? "");
  const [definition, setDefinition] = useState<CalendarDefinition>(
    () => normalizeDefinition(calendar?.definition) ?? defaultDefinition(),
  );
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fieldError = useFieldErrors(save.error, clientErrors);
  const zones = timezones();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateDefinition(definition, {
      required: t("errors.field.required"),
      time: t("calendar.time_format"),
      same: t("calendar.same_start_end"),
    });
    if (!name.trim()) errs.name = t("errors.field.required");
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    save.mutate(
      { id: calendar?.id, body: { name: name.trim(), definition: cleanDefinition(definition) } },
      { onSuccess: onSaved },
    );
  };

  return (
    <div className="calendar-editor">
      <form
        onSubmit={submit}
        noValidate
        className="stack card"
        aria-label={calendar ? t("calendar.edit") : t("calendar.add")}
      >
        <div className="form-grid">
          <Field label={t("admin.name")} error={fieldError("name")} required>
            {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field label={t("calendar.timezone")} error={fieldError("definition.timezone")} required>
            {(p) => (
              <select
                {...p}
                value={definition.timezone}
                onChange={(e) => setDefinition({ ...definition, timezone: e.target.value })}
              >
                {zones.map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={!!definition.always_open}
            onChange={(e) => setDefinition({ ...definition, always_open: e.target.checked })}
          />{" "}
          {t("calendar.always_open")}
        </label>
        {!definition.always_open && (
          <>
            <WeeklyEditor
              weekly={definition.weekly}
              onChange={(weekly) => setDefinition({ ...definition, weekly })}
              errorAt={fieldError}
            />
            <HolidaysEditor
              definition={definition}
              onChange={(patch) => setDefinition({ ...definition, ...patch })}
              errorAt={fieldError}
            />
          </>
        )}
        <FormError error={save.error} shownPaths={Object.keys(clientErrors)} />
        {save.isSuccess && (
          <Notice kind="success" live>
            {t("common.saved")}
          </Notice>
        )}
        <div className="button-row">
          {calendar && (
            <button
              type="button"
              className="button danger"
              onClick={() => {
                if (confirm(t("admin.confirm_delete", { name: calendar.name })))
                  remove.mutate(calendar.id, { onSuccess: onDeleted });
              }}
            >
              {t("admin.delete")}
            </button>
          )}
          <button type="submit" className="button primary" disabled={save.isPending}>
            {t("calendar.save")}
          </button>
        </div>
        <FormError error={remove.error} />
      </form>
      <DuePreview definition={definition} />
    </div>
  );
}
