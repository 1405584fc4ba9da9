import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Dialog } from "../../ui/Dialog.tsx";
import { Field, FieldSet } from "../../ui/Field.tsx";
import { FormError, useFieldErrors } from "../../ui/form-errors.tsx";
import { ESCALATION_REASONS, type EscalateBody, type EscalationReason, type Ticket } from "../../lib/types.ts";
import { useGroups, useTiers } from "../console/reference.ts";
import { useEscalate } from "./ticket-api.ts";

type TargetKind = "tier" | "group" | "department" | "supervisor";
type Props = { ticket: Ticket; mode: "escalate" | "de_escalate"; open: boolean; onClose: () => void };

const NOTE_MAX = 5000;

/**
 * Escalate (up a tier, to a group or department, or to a supervisor) or de-escalate, always with a
 * handoff note for the next level. Checked here first; the server's field errors land beside the fields.
 */
export function EscalateDialog({ ticket, mode, open, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={
        mode === "escalate"
          ? t("escalate.title", { number: ticket.number })
          : t("escalate.de_title", { number: ticket.number })
      }
    >
      <EscalateForm ticket={ticket} mode={mode} onDone={onClose} />
    </Dialog>
  );
}

function EscalateForm({ ticket, mode, onDone }: { ticket: Ticket; mode: Props["mode"]; onDone: () => void }) {
  const { t } = useTranslation();
  const tiers = useTiers().data ?? [];
  const groups = useGroups().data ?? [];
  const escalate = useEscalate(ticket.id);
  const deEscalate = mode === "de_escalate";
  const [kind, setKind] = useState<TargetKind>("tier");
  const tierOptions = tiers.filter((x) => (deEscalate ? x.level < ticket.tier && x.level >= 1 : x.level > ticket.tier));
  const [chosenTier, setTier] = useState<string>("");
  // Tiers may arrive after the first render: default to the nearest one until the agent picks.
  const tier = chosenTier || String(tierOptions[0]?.level ?? "");
  const [groupId, setGroupId] = useState("");
  const [departmentId, setDepartmentId] = useState("");
  const [reason, setReason] = useState<EscalationReason | "">(deEscalate ? "other" : "");
  const [reasonText, setReasonText] = useState("");
  const [note, setNote] = useState("");
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const fieldError = useFieldErrors(escalate.error, clientErrors);

  const tierGroups = groups.filter(
    (g) => g.kind === "tier" && g.tier !== null && g.tier > ticket.tier && g.id !== ticket.group?.id,
  );
  const departments = groups.filter((g) => g.kind === "department" && g.id !== ticket.group?.id);
  const kinds: TargetKind[] = deEscalate ? ["tier"] : ["tier", "group", "department", "supervisor"];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    const required = t("errors.field.required");
    if (kind === "tier" && tier === "") errs["to.tier"] = required;
    if (kind === "group" && !groupId) errs["to.group_id"] = required;
    if (kind === "department" && !departmentId) errs["to.department_id"] = required;
    if (!reason) errs.reason = required;
    if (reason === "other" && !reasonText.trim()) errs.reason_text = required;
    if (!note.trim()) errs.note = t("escalate.note_required");
    if (note.length > NOTE_MAX) errs.note = t("errors.field.max_length", { n: NOTE_MAX });
    setClientErrors(errs);
    if (Object.keys(errs).length || !reason) return;
    const body: EscalateBody = {
      to:
        kind === "tier"
          ? { tier: Number(tier) }
          : kind === "group"
            ? { group_id: groupId }
            : kind === "department"
              ? { department_id: departmentId }
              : { supervisor: true },
      type: deEscalate
        ? "de_escalation"
        : kind === "department"
          ? "functional"
          : kind === "supervisor"
            ? "supervisor"
            : "hierarchical",
      reason,
      ...(reasonText.trim() ? { reason_text: reasonText.trim() } : {}),
      note: note.trim(),
    };
    escalate.mutate(body, { onSuccess: onDone });
  };

  return (
    <form onSubmit={submit} noValidate className="stack">
      {!deEscalate && (
        <FieldSet legend={t("escalate.target")}>
          <div className="radio-row">
            {kinds.map((k) => (
              <label key={k}>
                <input type="radio" name="target-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />{" "}
                {t(`escalate.kind.${k}`)}
              </label>
            ))}
          </div>
        </FieldSet>
      )}
      {kind === "tier" && (
        <Field label={t("escalate.to_tier")} error={fieldError("to.tier")} required>
          {(p) => (
            <select {...p} value={tier} onChange={(e) => setTier(e.target.value)}>
              {tierOptions.length === 0 && <option value="">{t("escalate.no_tier")}</option>}
              {tierOptions.map((x) => (
                <option key={x.level} value={x.level}>
                  {x.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {kind === "group" && (
        <Field label={t("escalate.to_group")} error={fieldError("to.group_id")} required>
          {(p) => (
            <select {...p} value={groupId} onChange={(e) => setGroupId(e.target.value)}>
              <option value="">{t("common.choose")}</option>
              {tierGroups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name} (Tier {g.tier})
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {kind === "department" && (
        <Field label={t("escalate.to_department")} error={fieldError("to.department_id")} required>
          {(p) => (
            <select {...p} value={departmentId} onChange={(e) => setDepartmentId(e.target.value)}>
              <option value="">{t("common.choose")}</option>
              {departments.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {kind === "supervisor" && <p className="muted small">{t("escalate.supervisor_hint")}</p>}
      <Field label={t("escalate.reason")} error={fieldError("reason")} required>
        {(p) => (
          <select {...p} value={reason} onChange={(e) => setReason(e.target.value as EscalationReason)}>
            <option value="">{t("common.choose")}</option>
            {ESCALATION_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`reason.${r}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {reason === "other" && (
        <Field label={t("escalate.reason_text")} error={fieldError("reason_text")} required>
          {(p) => <input {...p} value={reasonText} maxLength={500} onChange={(e) => setReasonText(e.target.value)} />}
        </Field>
      )}
      <Field label={t("escalate.note")} hint={t("escalate.note_hint")} error={fieldError("note")} required>
        {(p) => (
          <textarea {...p} rows={5} value={note} maxLength={NOTE_MAX} onChange={(e) => setNote(e.target.value)} />
        )}
      </Field>
      <FormError
        error={escalate.error}
        shownPaths={["to.tier", "to.group_id", "to.department_id", "reason", "reason_text", "note", "to"]}
      />
      <div className="button-row">
        <button type="button" className="button" onClick={onDone}>
          {t("common.cancel")}
        </button>
        <button type="submit" className="button primary" disabled={escalate.isPending}>
          {deEscalate ? t("escalate.de_submit") : t("escalate.submit")}
        </button>
      </div>
    </form>
  );
}
