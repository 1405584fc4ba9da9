/**
 * People and structure of an import: organisations, users (agents and customers), groups,
 * categories and SLA policies. Each batch is one transaction with its mapping rows. A record whose
 * key was imported before updates its row; one whose natural key (an organisation's, group's or
 * category's name, a user's email) already exists here is joined to that row; the rest are created.
 */
import { randomUUID } from "node:crypto";
import { sql, type Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";
import type {
  TransferCategory,
  TransferGroup,
  TransferOrganization,
  TransferSlaPolicy,
  TransferUser,
} from "../format.ts";
import { mapKey, readMappings, writeMappings } from "./mappings.ts";

export interface Checked<T> {
  record: T;
  at: string;
}

export interface BatchResult {
  created: number;
  updated: number;
  skips: { at: string; key: string; reason: string }[];
  /** Records written without an optional reference not known here. */
  warnings?: { at: string; key: string; reason: string }[];
}

type Trx = Transaction<DB>;

/** Rows of `table` whose lower(name or email) is one of `names`: lower(name) → id. */
async function byNaturalKey(trx: Trx, table: string, column: string, names: string[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const { rows } = await sql<{ k: string; id: string }>`
    select lower(${sql.ref(column)}) as k, id from ${sql.table(table)}
    where lower(${sql.ref(column)}) = any(${names.map((n) => n.toLowerCase())}::text[])`.execute(trx);
  return new Map(rows.map((r) => [r.k, r.id]));
}

/**
 * The common shape: mapped → update, natural key found → join, else insert. `natural` gives a
 * record's natural key; `insert` and `update` write the rows (ids chosen here).
 */
async function upsertMapped<T extends { key: string }>(
  trx: Trx,
  kind: string,
  items: Checked<T>[],
  now: Date,
  opts: {
    table: string;
    column: string;
    natural: (r: T) => string;
    insert: (rows: { id: string; r: T }[]) => Promise<void>;
    update: (rows: { id: string; r: T }[]) => Promise<void>;
  },
): Promise<BatchResult & { ids: Map<string, string> }> {
  const mapped = await readMappings(
    trx,
    items.map((i) => ({ kind, key: i.record.key })),
  );
  const unmapped = items.filter((i) => !mapped.has(mapKey(kind, i.record.key)));
  const existing = await byNaturalKey(
    trx,
    opts.table,
    opts.column,
    unmapped.map((i) => opts.natural(i.record)),
  );
  const ids = new Map<string, string>();
  const toInsert: { id: string; r: T }[] = [];
  const toUpdate: { id: string; r: T }[] = [];
  const fresh = new Map<string, string>();
  for (const { record } of items) {
    const known = mapped.get(mapKey(kind, record.key));
    if (known) {
      toUpdate.push({ id: known, r: record });
      ids.set(record.key, known);
      continue;
    }
    const natural = opts.natural(record).toLowerCase();
    const id = existing.get(natural) ?? fresh.get(natural);
    if (id) {
      ids.set(record.key, id);
      continue;
    }
    const newId = randomUUID();
    fresh.set(natural, newId);
    toInsert.push({ id: newId, r: record });
    ids.set(record.key, newId);
  }
  if (toInsert.length) await opts.insert(toInsert);
  if (toUpdate.length) await opts.update(toUpdate);
  await writeMappings(
    trx,
    kind,
    [...ids].map(([key, id]) => ({ key, id })),
    now,
  );
  return { created: toInsert.length, updated: items.length - toInsert.length, skips: [], ids };
}

export async function writeOrganizations(trx: Trx, items: Checked<TransferOrganization>[], now: Date) {
  return upsertMapped(trx, "organizations", items, now, {
    table: "organizations",
    column: "name",
    natural: (r) => r.name,
    insert: async (rows) => {
      await trx
        .insertInto("organizations")
        .values(
          rows.map(({ id, r }) => ({
            id,
            name: r.name,
            domain: r.domain ?? null,
            segment: r.segment ?? null,
            shared_tickets: r.shared_tickets ?? false,
            created_at: r.created_at ? new Date(r.created_at) : now,
          })),
        )
        .execute();
    },
    update: async (rows) => {
      for (const { id, r } of rows)
        await trx
          .updateTable("organizations")
          .set({ domain: r.domain ?? null, segment: r.segment ?? null, shared_tickets: r.shared_tickets ?? false })
          .where("id", "=", id)
          .execute();
    },
  });
}

export async function writeGroups(trx: Trx, items: Checked<TransferGroup>[], now: Date) {
  const levels = [...new Set(items.flatMap((i) => (i.record.tier_level != null ? [i.record.tier_level] : [])))];
  await ensureTiers(trx, levels);
  return upsertMapped(trx, "groups", items, now, {
    table: "groups",
    column: "name",
    natural: (r) => r.name,
    insert: async (rows) => {
      await trx
        .insertInto("groups")
        .values(
          rows.map(({ id, r }) => ({
            id,
            name: r.name,
            kind: r.kind,
            tier_level: r.kind === "tier" ? (r.tier_level ?? 1) : (r.tier_level ?? null),
            email_address: r.email_address ?? null,
            created_at: r.created_at ? new Date(r.created_at) : now,
          })),
        )
        .execute();
    },
    update: async (rows) => {
      for (const { id, r } of rows)
        await trx
          .updateTable("groups")
          .set({ email_address: r.email_address ?? null })
          .where("id", "=", id)
          .execute();
    },
  });
}

export async function writeCategories(trx: Trx, items: Checked<TransferCategory>[], now: Date) {
  return upsertMapped(trx, "categories", items, now, {
    table: "categories",
    column: "name",
    natural: (r) => r.name,
    insert: async (rows) => {
      await trx
        .insertInto("categories")
        .values(rows.map(({ id, r }) => ({ id, name: r.name, skill: r.skill ?? null })))
        .execute();
    },
    update: async (rows) => {
      for (const { id, r } of rows)
        await trx
          .updateTable("categories")
          .set({ skill: r.skill ?? null })
          .where("id", "=", id)
          .execute();
    },
  });
}

const STAFF = new Set(["agent", "supervisor", "admin"]);

/** Users: references to organisations and groups are resolved first; an unknown one is left out, with a warning. */
export async function writeUsers(trx: Trx, items: Checked<TransferUser>[], now: Date): Promise<BatchResult> {
  const refs = await readMappings(trx, [
    ...items.flatMap((i) => (i.record.org_key ? [{ kind: "organizations", key: i.record.org_key }] : [])),
    ...items.flatMap((i) => (i.record.group_keys ?? []).map((key) => ({ kind: "groups", key }))),
  ]);
  const skips: BatchResult["skips"] = [];
  const warnings: NonNullable<BatchResult["warnings"]> = [];
  for (const { record: r, at } of items) {
    const missing = [
      ...(r.org_key && !refs.has(mapKey("organizations", r.org_key)) ? [`organisation ${r.org_key}`] : []),
      ...(r.group_keys ?? []).filter((g) => !refs.has(mapKey("groups", g))).map((g) => `group ${g}`),
    ];
    if (missing.length)
      warnings.push({ at, key: r.key, reason: `unknown reference: ${missing.join(", ")}; imported without it` });
  }
  const org = (r: TransferUser) => (r.org_key ? (refs.get(mapKey("organizations", r.org_key)) ?? null) : null);
  const tiers = [...new Set(items.flatMap((i) => (STAFF.has(i.record.role) ? [i.record.tier ?? 1] : [])))];
  await ensureTiers(trx, tiers);
  const result = await upsertMapped(trx, "users", items, now, {
    table: "users",
    column: "email",
    natural: (r) => r.email,
    insert: async (rows) => {
      await trx
        .insertInto("users")
        .values(
          rows.map(({ id, r }) => ({
            id,
            email: r.email,
            name: r.name,
            role: r.role,
            password_hash: null,
            language: r.language ?? "id",
            organization_id: org(r),
            disabled: r.disabled ?? false,
            created_at: r.created_at ? new Date(r.created_at) : now,
          })),
        )
        .execute();
    },
    update: async (rows) => {
      for (const { id, r } of rows)
        await trx
          .updateTable("users")
          .set({ name: r.name, language: r.language ?? "id", organization_id: org(r), disabled: r.disabled ?? false })
          .where("id", "=", id)
          .execute();
    },
  });
  const staff = items.filter((i) => STAFF.has(i.record.role));
  if (staff.length) {
    await trx
      .insertInto("agent_profiles")
      .values(
        staff.map(({ record: r }) => ({
          user_id: result.ids.get(r.key)!,
          tier: r.tier ?? 1,
          languages: [r.language ?? "id"],
        })),
      )
      .onConflict((oc) => oc.column("user_id").doNothing())
      .execute();
    const members = staff.flatMap(({ record: r }) =>
      (r.group_keys ?? []).flatMap((g) => {
        const group_id = refs.get(mapKey("groups", g));
        return group_id ? [{ group_id, user_id: result.ids.get(r.key)! }] : [];
      }),
    );
    if (members.length)
      await trx
        .insertInto("group_members")
        .values(members)
        .onConflict((oc) => oc.columns(["group_id", "user_id"]).doNothing())
        .execute();
  }
  return { created: result.created, updated: result.updated, skips, warnings };
}

/**
 * SLA policies: the targets per priority as given, on the instance's first business calendar when
 * the source counted business hours (24/7 otherwise); conditions' groups and categories by key.
 */
export async function writeSlaPolicies(trx: Trx, items: Checked<TransferSlaPolicy>[], now: Date) {
  const calendar = await trx.selectFrom("calendars").select("id").orderBy("name").executeTakeFirst();
  const refs = await readMappings(trx, [
    ...items.flatMap((i) => (i.record.conditions?.group_keys ?? []).map((key) => ({ kind: "groups", key }))),
    ...items.flatMap((i) => (i.record.conditions?.category_keys ?? []).map((key) => ({ kind: "categories", key }))),
  ]);
  const { max } = await trx
    .selectFrom("sla_policies")
    .select((eb) => eb.fn.max("position").as("max"))
    .executeTakeFirstOrThrow();
  let position = (max ?? 0) + 10;
  const definition = (r: TransferSlaPolicy) => {
    const c = r.conditions ?? {};
    const ids = (kind: string, keys?: string[]) => keys?.flatMap((k) => refs.get(mapKey(kind, k)) ?? []);
    return JSON.stringify({
      conditions: {
        ...(c.priorities ? { priorities: c.priorities } : {}),
        ...(c.channels ? { channels: c.channels } : {}),
        ...(c.segments ? { segments: c.segments } : {}),
        ...(c.group_keys ? { group_ids: ids("groups", c.group_keys) } : {}),
        ...(c.category_keys ? { category_ids: ids("categories", c.category_keys) } : {}),
      },
      pause_on_hold: r.pause_on_hold ?? true,
      targets: { low: {}, medium: {}, high: {}, urgent: {}, ...r.targets },
      tier_budgets: r.tier_budgets ?? {},
      ladder: r.ladder ?? [0.75],
    });
  };
  const calendarOf = (r: TransferSlaPolicy) => (r.business_hours ? (calendar?.id ?? null) : null);
  return upsertMapped(trx, "sla_policies", items, now, {
    table: "sla_policies",
    column: "name",
    natural: (r) => r.name,
    insert: async (rows) => {
      await trx
        .insertInto("sla_policies")
        .values(
          rows.map(({ id, r }) => ({
            id,
            name: r.name,
            position: r.position ?? (position += 10),
            enabled: r.enabled ?? true,
            calendar_id: calendarOf(r),
            definition: definition(r),
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
    },
    update: async (rows) => {
      for (const { id, r } of rows)
        await trx
          .updateTable("sla_policies")
          .set({
            enabled: r.enabled ?? true,
            calendar_id: calendarOf(r),
            definition: definition(r),
            updated_at: now,
            version: sql`version + 1`,
          })
          .where("id", "=", id)
          .execute();
    },
  });
}

/** Tiers 0–3 and any level named exist (a fresh instance has none until set up). */
export async function ensureTiers(trx: Trx, levels: number[]): Promise<void> {
  const all = [...new Set([0, 1, 2, 3, ...levels])];
  await trx
    .insertInto("tiers")
    .values(all.map((level) => ({ level, name: `Tier ${level}` })))
    .onConflict((oc) => oc.column("level").doNothing())
    .execute();
}
