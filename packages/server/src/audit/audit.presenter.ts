import type { AuditEntity, AuditEntry, AuditFieldChange, AuditPart, AuditValue } from "@eskala/contracts";
import type { AuditRow } from "./audit.repo.ts";

// Bookkeeping columns a reader does not need in a list of changes.
const HIDDEN_FIELDS = new Set(["id", "created_at", "updated_at", "version"]);

type Flat = Map<string, AuditValue | { redacted: true; changed: boolean }>;

const isRedacted = (v: unknown): v is { redacted: true; changed?: boolean } =>
  !!v && typeof v === "object" && !Array.isArray(v) && (v as { redacted?: unknown }).redacted === true;
const isScalar = (v: unknown) => v === null || ["string", "number", "boolean"].includes(typeof v);

/** Nested objects become dotted fields (`definition.conditions.priority`); lists of values stay lists. */
function flatten(value: unknown, prefix: string, out: Flat): Flat {
  if (isRedacted(value)) out.set(prefix, { redacted: true, changed: value.changed === true });
  else if (isScalar(value)) out.set(prefix, value as AuditValue);
  else if (Array.isArray(value) && value.every(isScalar)) out.set(prefix, value as AuditValue);
  else if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${prefix}.${i + 1}`, out));
  else
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      flatten(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What differs between two maps of a row's values (`before`/`after` null on creation and deletion:
 * then every value): redacted values only as "changed", when they did.
 */
function diff<V>(before: Map<string, unknown> | null, after: Map<string, unknown> | null) {
  const out: { field: string; before: V | null; after: V | null; redacted: boolean }[] = [];
  const b = before ?? new Map<string, unknown>();
  const a = after ?? new Map<string, unknown>();
  for (const field of new Set([...b.keys(), ...a.keys()])) {
    if (HIDDEN_FIELDS.has(field)) continue;
    const was = b.get(field);
    const now = a.get(field);
    if (isRedacted(was) || isRedacted(now)) {
      if (before && after && !(isRedacted(now) && now.changed)) continue;
      out.push({ field, before: null, after: null, redacted: true });
      continue;
    }
    if (before && after && same(was, now)) continue;
    out.push({ field, before: (was ?? null) as V | null, after: (now ?? null) as V | null, redacted: false });
  }
  return out;
}

/** The fields that differ between the row before and after (all of them on creation and deletion). */
export function fieldChanges(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  const flat = (row: Record<string, unknown> | null) => (row ? flatten(row, "", new Map()) : null);
  return diff<AuditValue>(flat(before), flat(after)) satisfies AuditFieldChange[];
}

/** Columns, with a JSON `definition` split into its keys (`definition.actions`), values whole. */
function splitParts(row: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(row)) {
    if (k === "definition" && v && typeof v === "object" && !Array.isArray(v) && !isRedacted(v))
      for (const [dk, dv] of Object.entries(v)) out.set(`${k}.${dk}`, dv);
    else out.set(k, v);
  }
  return out;
}

/** The parts that differ, each whole, so a rule's actions read as one list rather than one line per path. */
export function partChanges(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  const split = (row: Record<string, unknown> | null) => (row ? splitParts(row) : null);
  return diff<AuditPart["before"]>(split(before), split(after)) satisfies AuditPart[];
}

export function presentAuditEntry(r: AuditRow): AuditEntry {
  return {
    id: String(r.id),
    at: r.at.toISOString(),
    actor: { id: r.actor_id, name: r.actor_name },
    action: r.action,
    entity: r.entity as AuditEntity,
    entity_id: r.entity_id,
    entity_name: r.entity_name,
    changes: fieldChanges(r.before, r.after),
    parts: partChanges(r.before, r.after),
  };
}
