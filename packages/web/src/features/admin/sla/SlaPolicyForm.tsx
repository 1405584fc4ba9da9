import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { CHANNELS, PRIORITIES } from "@eskala/core";
import type { Calendar, Priority, PriorityTargets, SlaPolicy } from "../../../lib/types.ts";
import { Field, FieldSet } from "../../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../../ui/form-errors.tsx";
import { useCategories, useGroups, useTiers } from "../../console/reference.ts";
import { FormButtons } from "../TiersPage.tsx";
import { useList, useSave } from "../admin-api.ts";
import { CheckList } from "./CheckList.tsx";

const TARGETS = ["first_response", "next_response", "periodic_update", "resolution"] as const;
type Grid = Record<Priority, Record<(typeof TARGETS)[number], string>>;

const toGrid = (targets: SlaPolicy["targets"]): Grid =>
  Object.fromEntries(
    PRIORITIES.map((p) => [p, Object.fromEntries(TARGETS.map((k) => [k, targets[p]?.[k]?.toString() ?? ""]))]),
  ) as Grid;

/** One SLA policy: when it applies, its targets per priority, tier budgets and the warning ladder. */
export function SlaPolicyForm({ policy, onDone }: { policy: SlaPolicy | null; onDone: () => void }) {
  const { t } = useTranslation();
  const save = useSave<SlaPolicy>("/sla-policies", [["admin", "sla-policies"]]);
  const calendars = useList<Calendar>(["admin", "calendars"], "/calendars");
  const tiers = useTiers().data ?? [];
  const categories = useCategories().data ?? [];
  const groups = useGroups().data ?? [];
  const c = policy?.conditions ?? {};
  const [name, setName] = useState(policy?.name ?? "");
  const [enabled, setEnabled] = useState(policy?.enabled ?? true);
  const [calendarId, setCalendarId] = useState(policy?.calendar_id ?? "");
  const [pauseOnHold, setPauseOnHold] = useState(policy?.pause_on_hold ?? true);
  const [priorities, setPriorities] = useState<string[]>(c.priorities ?? []);
  const [channels, setChannels] = useState<string[]>(c.channels ?? []);
  const [categoryIds, setCategoryIds] = useState<string[]>(c.category_ids ?? []);
  const [groupIds, setGroupIds] = useState<string[]>(c.group_ids ?? []);
  const [segments, setSegments] = useState((c.segments ?? []).join(", "));
  const [grid, setGrid] = useState<Grid>(() => toGrid(policy?.targets ?? {}));
  const [budgets, setBudgets] = useState<Record<string, string>>(() =>
    Object.fromEntries(Object.entries(policy?.tier_budgets ?? {}).map(([k, v]) => [k, String(v)])),
  );
  const [ladder, setLadder] = useState((policy?.ladder ?? [0.5, 0.75]).join(", "));
  const [requestResponse, setRequestResponse] = useState(policy?.customer_request_response?.toString() ?? "");
  const [idleMinutes, setIdleMinutes] = useState(policy?.idle_minutes?.toString() ?? "");
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fieldError = useFieldErrors(save.error, clientErrors);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!name.trim()) errs.name = t("errors.field.required");
    const targets: SlaPolicy["targets"] = {};
    for (const p of PRIORITIES) {
      const row: PriorityTargets = {};
      for (const k of TARGETS) {
        const v = grid[p][k].trim();
        if (!v) continue;
        if (!/^\d+$/.test(v) || Number(v) < 1) errs[`targets.${p}.${k}`] = t("sla_admin.minutes_invalid");
        else row[k] = Number(v);
      }
      if (Object.keys(row).length) targets[p] = row;
    }
    const tierBudgets: Record<string, number> = {};
    for (const [level, v] of Object.entries(budgets)) {
      if (!v.trim()) continue;
      if (!/^\d+$/.test(v.trim())) errs[`tier_budgets.${level}`] = t("sla_admin.minutes_invalid");
      else tierBudgets[level] = Number(v);
    }
    const steps = ladder
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)
      .map(Number);
    if (steps.some((s) => !(s > 0 && s < 1))) errs.ladder = t("sla_admin.ladder_invalid");
    if (requestResponse.trim() && !/^\d+$/.test(requestResponse.trim()))
      errs.customer_request_response = t("sla_admin.minutes_invalid");
    if (idleMinutes.trim() && !/^\d+$/.test(idleMinutes.trim())) errs.idle_minutes = t("sla_admin.minutes_invalid");
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    const segmentList = segments
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const body = {
      name: name.trim(),
      enabled,
      calendar_id: calendarId || null,
      pause_on_hold: pauseOnHold,
      conditions: {
        ...(priorities.length ? { priorities } : {}),
        ...(channels.length ? { channels } : {}),
        ...(categoryIds.length ? { category_ids: categoryIds } : {}),
        ...(groupIds.length ? { group_ids: groupIds } : {}),
        ...(segmentList.length ? { segments: segmentList } : {}),
      },
      targets,
      tier_budgets: tierBudgets,
      ladder: [...steps].sort((a, b) => a - b),
      customer_request_response: requestResponse.trim() ? Number(requestResponse) : null,
      idle_minutes: idleMinutes.trim() ? Number(idleMinutes) : null,
    };
    save.mutate({ id: policy?.id, body }, { onSuccess: onDone });
  };

  return (
    <form onSubmit={submit} noValidate className="stack">
      <div className="form-grid">
        <Field label={t("admin.name")} error={fieldError("name")} required>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label={t("sla_admin.calendar")} hint={t("sla_admin.calendar_hint")} error={fieldError("calendar_id")}>
          {(p) => (
            <select {...p} value={calendarId} onChange={(e) => setCalendarId(e.target.value)}>
              <option value="">{t("sla_admin.always_open")}</option>
              {(calendars.data ?? []).map((cal) => (
                <option key={cal.id} value={cal.id}>
                  {cal.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="radio-row">
        <label className="checkbox">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />{" "}
          {t("admin.enabled")}
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={pauseOnHold} onChange={(e) => setPauseOnHold(e.target.checked)} />{" "}
          {t("sla_admin.pause_on_hold")}
        </label>
      </div>
      <FieldSet legend={t("sla_admin.conditions")} className="conditions">
        <p className="muted small">{t("sla_admin.conditions_hint")}</p>
        <CheckList
          legend={t("ticket.priority")}
          options={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
          value={priorities}
          onChange={setPriorities}
        />
        <CheckList
          legend={t("ticket.channel")}
          options={CHANNELS.map((ch) => ({ value: ch, label: t(`channel.${ch}`) }))}
          value={channels}
          onChange={setChannels}
        />
        <CheckList
          legend={t("ticket.category")}
          options={categories.map((x) => ({ value: x.id, label: x.name }))}
          value={categoryIds}
          onChange={setCategoryIds}
        />
        <CheckList
          legend={t("ticket.group")}
          options={groups.map((x) => ({ value: x.id, label: x.name }))}
          value={groupIds}
          onChange={setGroupIds}
        />
        <Field
          label={t("sla_admin.segments")}
          hint={t("sla_admin.segments_hint")}
          error={fieldError("conditions.segments")}
        >
          {(p) => <input {...p} value={segments} onChange={(e) => setSegments(e.target.value)} />}
        </Field>
      </FieldSet>
      <fieldset className="fieldset">
        <legend>{t("sla_admin.targets")}</legend>
        <p className="muted small">{t("sla_admin.targets_hint")}</p>
        <div className="table-scroll">
          <table className="target-grid">
            <thead>
              <tr>
                <th scope="col">{t("ticket.priority")}</th>
                {TARGETS.map((k) => (
                  <th key={k} scope="col">
                    {t(`sla.target.${k}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {PRIORITIES.map((p) => (
                <tr key={p}>
                  <th scope="row">{t(`priority.${p}`)}</th>
                  {TARGETS.map((k) => {
                    const err = fieldError(`targets.${p}.${k}`);
                    return (
                      <td key={k}>
                        <input
                          type="number"
                          min={1}
                          aria-label={t("sla_admin.target_cell", {
                            priority: t(`priority.${p}`),
                            target: t(`sla.target.${k}`),
                          })}
                          aria-invalid={err ? true : undefined}
                          value={grid[p][k]}
                          onChange={(e) => setGrid({ ...grid, [p]: { ...grid[p], [k]: e.target.value } })}
                        />
                        {err && <span className="field-error">{err}</span>}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </fieldset>
      <div className="form-grid">
        <FieldSet legend={t("sla_admin.tier_budgets")}>
          <p className="muted small">{t("sla_admin.tier_budgets_hint")}</p>
          {tiers
            .filter((x) => x.level > 0)
            .map((x) => (
              <Field
                key={x.level}
                label={x.name}
                error={fieldError(`tier_budgets.${x.level}`)}
                className="inline-field"
              >
                {(p) => (
                  <input
                    {...p}
                    type="number"
                    min={1}
                    value={budgets[String(x.level)] ?? ""}
                    onChange={(e) => setBudgets({ ...budgets, [x.level]: e.target.value })}
                  />
                )}
              </Field>
            ))}
        </FieldSet>
        <div className="stack">
          <Field label={t("sla_admin.ladder")} hint={t("sla_admin.ladder_hint")} error={fieldError("ladder")}>
            {(p) => <input {...p} value={ladder} onChange={(e) => setLadder(e.target.value)} />}
          </Field>
          <Field
            label={t("sla_admin.request_response")}
            hint={t("sla_admin.request_response_hint")}
            error={fieldError("customer_request_response")}
          >
            {(p) => (
              <input
                {...p}
                type="number"
                min={1}
                value={requestResponse}
                onChange={(e) => setRequestResponse(e.target.value)}
              />
            )}
          </Field>
          <Field
            label={t("sla_admin.idle_minutes")}
            hint={t("sla_admin.idle_minutes_hint")}
            error={fieldError("idle_minutes")}
          >
            {(p) => (
              <input
                {...p}
                type="number"
                min={1}
                value={idleMinutes}
                onChange={(e) => setIdleMinutes(e.target.value)}
              />
            )}
          </Field>
        </div>
      </div>
      <FormError
        error={save.error}
        shownPaths={[
          "name",
          "calendar_id",
          "ladder",
          "customer_request_response",
          "idle_minutes",
          "conditions.segments",
          ...Object.keys(clientErrors),
        ]}
      />
      <FormButtons pending={save.isPending} onCancel={onDone} />
    </form>
  );
}
