import type { Kysely, Selectable } from "kysely";
import type { SavedView, ViewBody, ViewFilters, ViewPatch } from "@eskala/contracts";
import type { Actor } from "../auth/actor.ts";
import type { DB } from "../db/schema.ts";
import type { SavedViewsTable } from "../db/schema-workspace.ts";
import { forbidden, notFound } from "../lib/app-error.ts";
import { assertStaff } from "../tickets/ticket-access.ts";
import { assertMayShare, canEditOwned } from "../macros/macro.service.ts";
import { countViews } from "./view-counts.ts";

type ViewRow = Selectable<SavedViewsTable> & { owner_name: string };

export type ViewService = ReturnType<typeof createViewService>;

/**
 * Saved views of the console's ticket list (queue, search, status and priority filters, sort):
 * personal (the owner's) or shared by supervisors and admins with every agent.
 */
export function createViewService(deps: { db: Kysely<DB> }) {
  const { db } = deps;
  const select = () =>
    db
      .selectFrom("saved_views as v")
      .innerJoin("users as u", "u.id", "v.owner_id")
      .selectAll("v")
      .select("u.name as owner_name");

  async function find(actor: Actor, id: string): Promise<ViewRow> {
    const row = await select().where("v.id", "=", id).executeTakeFirst();
    if (!row || (!row.shared && row.owner_id !== actor.userId)) throw notFound("view");
    return row;
  }

  const present = (actor: Actor, row: ViewRow): SavedView => ({
    id: row.id,
    name: row.name,
    filters: row.filters as ViewFilters,
    sort: row.sort as SavedView["sort"],
    shared: row.shared,
    owner: { id: row.owner_id, name: row.owner_name },
    can_edit: canEditOwned(actor, row),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  });

  async function list(actor: Actor) {
    assertStaff(actor, "Saved views");
    const rows = await select()
      .where((eb) => eb.or([eb("v.shared", "=", true), eb("v.owner_id", "=", actor.userId)]))
      .orderBy("v.shared")
      .orderBy("v.name")
      .orderBy("v.id")
      .execute();
    return rows.map((r) => present(actor, r));
  }

  /** Each of the caller's views with how many tickets it lists now. */
  async function counts(actor: Actor, now: Date) {
    return countViews(db, actor, await list(actor), now);
  }

  async function get(actor: Actor, id: string) {
    assertStaff(actor, "Saved views");
    return present(actor, await find(actor, id));
  }

  async function create(actor: Actor, body: ViewBody, now: Date) {
    assertStaff(actor, "Saved views");
    assertMayShare(actor, body.shared);
    const { id } = await db
      .insertInto("saved_views")
      .values({
        owner_id: actor.userId,
        shared: body.shared,
        name: body.name,
        filters: JSON.stringify(body.filters),
        sort: body.sort,
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return get(actor, id);
  }

  async function update(actor: Actor, id: string, patch: ViewPatch, now: Date) {
    assertStaff(actor, "Saved views");
    const row = await find(actor, id);
    if (!canEditOwned(actor, row)) throw forbidden("Shared views are changed by supervisors and admins");
    assertMayShare(actor, patch.shared);
    await db
      .updateTable("saved_views")
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.filters !== undefined ? { filters: JSON.stringify(patch.filters) } : {}),
        ...(patch.sort !== undefined ? { sort: patch.sort } : {}),
        ...(patch.shared !== undefined ? { shared: patch.shared } : {}),
        updated_at: now,
      })
      .where("id", "=", id)
      .execute();
    return get(actor, id);
  }

  async function remove(actor: Actor, id: string) {
    assertStaff(actor, "Saved views");
    const row = await find(actor, id);
    if (!canEditOwned(actor, row)) throw forbidden("Shared views are removed by supervisors and admins");
    await db.deleteFrom("saved_views").where("id", "=", id).execute();
  }

  return { list, counts, get, create, update, remove };
}
