import { sql } from "kysely";
import type { Executor } from "./ticket-events.ts";
import { AppError } from "../lib/app-error.ts";

/** Resolvers for the ids and names a ticket refers to; an unknown one is a 422 naming the field. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function resolveCategory(db: Executor, idOrName: string, field = "category"): Promise<string> {
  const row = await db
    .selectFrom("categories")
    .select("id")
    .where((eb) =>
      UUID.test(idOrName) ? eb("id", "=", idOrName) : eb(eb.fn("lower", ["name"]), "=", idOrName.toLowerCase()),
    )
    .executeTakeFirst();
  if (!row) throw AppError.field([field], `unknown category '${idOrName}'`);
  return row.id;
}

export async function resolveGroup(db: Executor, id: string, field = "group_id") {
  const row = await db.selectFrom("groups").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw AppError.field([field], "unknown group");
  return row;
}

export async function resolveStaff(db: Executor, id: string, field = "assignee_id") {
  const row = await db
    .selectFrom("users")
    .select(["id", "name", "role"])
    .where("id", "=", id)
    .where("role", "!=", "customer")
    .where("disabled", "=", false)
    .executeTakeFirst();
  if (!row) throw AppError.field([field], "unknown agent");
  return row;
}

/** The group a new ticket lands in when none is given: the default group of the lowest staffed tier above 0. */
export async function defaultEntryGroup(db: Executor) {
  return db
    .selectFrom("groups")
    .selectAll()
    .where("kind", "=", "tier")
    .where("is_default", "=", true)
    .where("tier_level", ">=", 1)
    .orderBy("tier_level")
    .executeTakeFirst();
}

/** Finds a customer by email or creates one, placing them in the organization whose domain matches. */
export async function findOrCreateCustomer(
  db: Executor,
  input: { email: string; name?: string | undefined; language?: "id" | "en" | undefined },
  now: Date,
) {
  const email = input.email.trim();
  const existing = await db
    .selectFrom("users")
    .select(["id", "organization_id", "language", "role"])
    .where(sql<boolean>`lower(email) = ${email.toLowerCase()}`)
    .executeTakeFirst();
  if (existing) return existing;
  const domain = email.split("@")[1]?.toLowerCase() ?? "";
  const org = await db
    .selectFrom("organizations")
    .select("id")
    .where(sql<boolean>`lower(domain) = ${domain}`)
    .executeTakeFirst();
  const created = await db
    .insertInto("users")
    .values({
      email,
      name: input.name ?? email.split("@")[0] ?? email,
      role: "customer",
      password_hash: null,
      language: input.language ?? "id",
      organization_id: org?.id ?? null,
      created_at: now,
    })
    .onConflict((oc) => oc.doNothing())
    .returning(["id", "organization_id", "language", "role"])
    .executeTakeFirst();
  // Another request created the same customer meanwhile (ON CONFLICT waited for it): use theirs.
  return (
    created ??
    db
      .selectFrom("users")
      .select(["id", "organization_id", "language", "role"])
      .where(sql<boolean>`lower(email) = ${email.toLowerCase()}`)
      .executeTakeFirstOrThrow()
  );
}

type Customer = Awaited<ReturnType<typeof findOrCreateCustomer>>;

/**
 * The requesters of a group of creations, by lower-cased email: the known ones in one query, each
 * new address created (as `findOrCreateCustomer`, once even if it appears twice).
 */
export async function findOrCreateCustomers(
  db: Executor,
  inputs: Parameters<typeof findOrCreateCustomer>[1][],
  now: Date,
): Promise<Map<string, Customer>> {
  const out = new Map<string, Customer>();
  const emails = [...new Set(inputs.map((i) => i.email.trim().toLowerCase()))];
  if (emails.length === 0) return out;
  const known = await db
    .selectFrom("users")
    .select(["id", "organization_id", "language", "role", sql<string>`lower(email)`.as("key")])
    .where(sql<boolean>`lower(email) = any(${emails}::text[])`)
    .execute();
  for (const { key, ...row } of known) out.set(key, row);
  for (const input of inputs) {
    const key = input.email.trim().toLowerCase();
    if (!out.has(key)) out.set(key, await findOrCreateCustomer(db, input, now));
  }
  return out;
}
