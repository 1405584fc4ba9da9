import { useTranslation } from "react-i18next";
import { RULE_OPS, type RuleCondition, type RuleEvent, type RuleOp } from "../../../lib/types.ts";
import { useCategories, useGroups, useStaff } from "../../console/reference.ts";
import { EVENT_FIELDS_BY_EVENT, TICKET_FIELDS, coerceValue, opsFor, rawValue, valueKind } from "./rule-model.ts";

type Props = {
  cond: RuleCondition;
  event: RuleEvent;
  index: number;
  group: "all" | "any";
  onChange: (c: RuleCondition) => void;
  onRemove: () => void;
  error?: string | undefined;
};

/** One "field op value" line of a rule's conditions. */
export function ConditionRow({ cond, event, index, group, onChange, onRemove, error }: Props) {
  const { t } = useTranslation();
  const groups = useGroups().data ?? [];
  const categories = useCategories().data ?? [];
  const staff = useStaff().data ?? [];
  const fields = [...TICKET_FIELDS, ...EVENT_FIELDS_BY_EVENT[event]];
  const kind = valueKind(cond.field);
  const ops = opsFor(cond.field).filter((o) => (RULE_OPS as readonly string[]).includes(o));
  const n = index + 1;
  const prefix = t(`rules.group_${group}`);
  const raw = rawValue(cond.value);

  const options: { value: string; label: string }[] =
    kind.kind === "enum"
      ? kind.options.map((o) => ({
          value: o,
          label: kind.labelPrefix === "language" ? o.toUpperCase() : t(`${kind.labelPrefix}.${o}`),
        }))
      : kind.kind === "ref"
        ? kind.ref === "group"
          ? groups.map((g) => ({ value: g.id, label: g.name }))
          : kind.ref === "category"
            ? categories.map((c) => ({ value: c.id, label: c.name }))
            : staff.map((u) => ({ value: u.id, label: u.name }))
        : [];

  const setValue = (v: string | string[]) => onChange({ ...cond, value: coerceValue(cond.field, cond.op, v) });

  return (
    <li className="rule-row">
      <select
        aria-label={t("rules.cond_field", { group: prefix, n })}
        value={cond.field}
        onChange={(e) => onChange({ field: e.target.value, op: opsFor(e.target.value)[0]!, value: "" })}
      >
        {fields.map((f) => (
          <option key={f} value={f}>
            {t(`rules.field.${f}`, { defaultValue: f })}
          </option>
        ))}
      </select>
      <select
        aria-label={t("rules.cond_op", { group: prefix, n })}
        value={cond.op}
        onChange={(e) => {
          const op = e.target.value as RuleOp;
          onChange({ ...cond, op, value: coerceValue(cond.field, op, rawValue(cond.value)) });
        }}
      >
        {ops.map((o) => (
          <option key={o} value={o}>
            {t(`rules.op.${o}`)}
          </option>
        ))}
      </select>
      {options.length > 0 ? (
        <select
          aria-label={t("rules.cond_value", { group: prefix, n })}
          multiple={cond.op === "in"}
          value={
            cond.op === "in" ? (Array.isArray(raw) ? raw : raw ? [raw] : []) : Array.isArray(raw) ? (raw[0] ?? "") : raw
          }
          onChange={(e) =>
            setValue(cond.op === "in" ? Array.from(e.target.selectedOptions, (o) => o.value) : e.target.value)
          }
          aria-invalid={error ? true : undefined}
        >
          {cond.op !== "in" && <option value="">{t("common.choose")}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          aria-label={t("rules.cond_value", { group: prefix, n })}
          type={kind.kind === "number" && cond.op !== "in" ? "number" : "text"}
          step="any"
          placeholder={cond.op === "in" ? t("rules.comma_separated") : ""}
          value={Array.isArray(raw) ? raw.join(", ") : raw}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={error ? true : undefined}
        />
      )}
      <button
        type="button"
        className="icon-button"
        aria-label={t("rules.remove_condition", { group: prefix, n })}
        onClick={onRemove}
      >
        ×
      </button>
      {error && <span className="field-error">{error}</span>}
    </li>
  );
}
