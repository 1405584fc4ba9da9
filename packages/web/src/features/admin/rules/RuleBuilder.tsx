import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { RULE_EVENTS, type Rule, type RuleAction, type RuleCondition, type RuleEvent } from "../../../lib/types.ts";
import { Field, FieldSet } from "../../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../../ui/form-errors.tsx";
import { useSave } from "../admin-api.ts";
import { ActionRow, defaultAction } from "./ActionRow.tsx";
import { ConditionRow } from "./ConditionRow.tsx";
import { DryRunPanel } from "./DryRunPanel.tsx";

type Props = { rule: Rule | null; onDone: () => void };

/**
 * Event → conditions (all of / any of) → actions. A rule is saved disabled; the dry run of the
 * saved version is shown next, and only then can it be enabled.
 */
export function RuleBuilder({ rule, onDone }: Props) {
  const { t } = useTranslation();
  const save = useSave<Rule>("/escalation-rules", [["admin", "rules"]]);
  const [name, setName] = useState(rule?.name ?? "");
  const [event, setEvent] = useState<RuleEvent>(rule?.event ?? "sla.warning");
  const [all, setAll] = useState<RuleCondition[]>(rule?.conditions.all ?? []);
  const [any, setAny] = useState<RuleCondition[]>(rule?.conditions.any ?? []);
  const [actions, setActions] = useState<RuleAction[]>(rule?.actions ?? [defaultAction("notify")]);
  const [saved, setSaved] = useState<Rule | null>(null);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fieldError = useFieldErrors(save.error, clientErrors);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    const required = t("errors.field.required");
    if (!name.trim()) errs.name = required;
    if (actions.length === 0) errs.actions = t("rules.need_action");
    const checkConds = (list: RuleCondition[], key: "all" | "any") =>
      list.forEach((c, i) => {
        const empty = c.value === "" || (Array.isArray(c.value) && c.value.length === 0);
        if (empty) errs[`conditions.${key}.${i}`] = required;
      });
    checkConds(all, "all");
    checkConds(any, "any");
    actions.forEach((a, i) => {
      const missing =
        (a.type === "escalate" &&
          (("group_id" in a.to && !a.to.group_id) || ("department_id" in a.to && !a.to.department_id))) ||
        ((a.type === "add_tag" || a.type === "remove_tag") && !a.tag.trim()) ||
        (a.type === "internal_note" && !a.body.trim()) ||
        (a.type === "notify" && ((a.channel === "agent" && !a.agent_id) || (a.channel === "webhook" && !a.webhook_id)));
      if (missing) errs[`actions.${i}`] = required;
    });
    setClientErrors(errs);
    if (Object.keys(errs).length) return;
    const body = {
      name: name.trim(),
      event,
      enabled: false,
      conditions: { ...(all.length ? { all } : {}), ...(any.length ? { any } : {}) },
      actions,
    };
    save.mutate({ id: saved?.id ?? rule?.id, body }, { onSuccess: (r) => setSaved(r) });
  };

  const condList = (key: "all" | "any", list: RuleCondition[], set: (l: RuleCondition[]) => void) => (
    <FieldSet legend={t(`rules.group_${key}`)}>
      <ul className="rule-rows">
        {list.map((c, i) => (
          <ConditionRow
            key={i}
            cond={c}
            event={event}
            index={i}
            group={key}
            error={fieldError(`conditions.${key}.${i}`) ?? fieldError(`conditions.${key}.${i}.value`)}
            onChange={(nc) => set(list.map((x, j) => (j === i ? nc : x)))}
            onRemove={() => set(list.filter((_, j) => j !== i))}
          />
        ))}
      </ul>
      <button
        type="button"
        className="link-button small"
        onClick={() => set([...list, { field: "priority", op: "is", value: "" }])}
      >
        + {t("rules.add_condition")}
      </button>
    </FieldSet>
  );

  return (
    <div className="stack">
      <form onSubmit={submit} noValidate className="stack rule-builder">
        <div className="form-grid">
          <Field label={t("admin.name")} error={fieldError("name")} required>
            {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field label={t("rules.event")} error={fieldError("event")} required>
            {(p) => (
              <select {...p} value={event} onChange={(e) => setEvent(e.target.value as RuleEvent)}>
                {RULE_EVENTS.map((ev) => (
                  <option key={ev} value={ev}>
                    {t(`rules.events.${ev}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        {condList("all", all, setAll)}
        {condList("any", any, setAny)}
        <FieldSet legend={t("rules.actions")} error={fieldError("actions")}>
          <ul className="rule-rows">
            {actions.map((a, i) => (
              <ActionRow
                key={i}
                action={a}
                index={i}
                error={fieldError(`actions.${i}`)}
                onChange={(na) => setActions(actions.map((x, j) => (j === i ? na : x)))}
                onRemove={() => setActions(actions.filter((_, j) => j !== i))}
              />
            ))}
          </ul>
          <button
            type="button"
            className="link-button small"
            onClick={() => setActions([...actions, defaultAction("add_tag")])}
          >
            + {t("rules.add_action")}
          </button>
        </FieldSet>
        <p className="muted small">{t("rules.saved_disabled_hint")}</p>
        <FormError error={save.error} shownPaths={Object.keys(clientErrors).concat(["name", "event", "actions"])} />
        <div className="button-row">
          <button type="button" className="button" onClick={onDone}>
            {saved ? t("common.close") : t("common.cancel")}
          </button>
          <button type="submit" className="button primary" disabled={save.isPending}>
            {t("rules.save_and_dry_run")}
          </button>
        </div>
      </form>
      {saved && <DryRunPanel key={JSON.stringify(saved)} rule={saved} onEnabled={onDone} />}
    </div>
  );
}
