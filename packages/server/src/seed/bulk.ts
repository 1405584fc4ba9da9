import { sql, type Kysely } from "kysely";
import type { DB } from "../db/schema.ts";

/**
 * Inserts N synthetic open tickets with generate_series, in batches, for benchmarks: spread over
 * the last 90 days, every status and priority, a pool of 1,000 requesters, the demo's groups.
 * Needs the structure (tiers, a default tier-1 group) to exist: run `seed --demo` first or let it.
 */
export async function seedBulkTickets(
  db: Kysely<DB>,
  count: number,
  opts: { batch?: number; onProgress?: (done: number) => void } = {},
): Promise<number> {
  const batch = opts.batch ?? 100_000;
  await sql`
    insert into users (email, name, role, language, created_at)
    select 'bulk' || g || '@customers.example', 'Bulk Customer ' || g, 'customer', case when g % 3 = 0 then 'en' else 'id' end, now()
    from generate_series(1, 1000) g
    on conflict do nothing`.execute(db);
  const group = await db
    .selectFrom("groups")
    .select(["id", "tier_level"])
    .where("is_default", "=", true)
    .orderBy("tier_level")
    .executeTakeFirst();
  if (!group) throw new Error("no default group: seed the demo structure first");
  let done = 0;
  while (done < count) {
    const n = Math.min(batch, count - done);
    await db.transaction().execute(async (trx) => {
      await sql`
        with requesters as (
          select array_agg(id order by email) ids from users where email like 'bulk%@customers.example'
        )
        insert into tickets (subject, description, requester_id, channel, status, priority, priority_rank, language, tier, group_id, created_at, updated_at)
        select
          'Bulk ticket ' || g || case when g % 7 = 0 then ' pembayaran gagal' when g % 5 = 0 then ' paket terlambat' else ' login bermasalah' end,
          'Synthetic ticket for benchmarks',
          (select ids[1 + (g % 1000)] from requesters),
          (array['email','web','chat','phone','api'])[1 + g % 5],
          (array['new','open','open','pending','on_hold','open'])[1 + g % 6],
          (array['low','medium','high','urgent'])[1 + g % 4],
          g % 4,
          case when g % 3 = 0 then 'en' else 'id' end,
          ${group.tier_level},
          ${group.id}::uuid,
          now() - ((g % 129600) || ' minutes')::interval,
          now() - ((g % 129600) || ' minutes')::interval
        from generate_series(${done + 1}::bigint, ${done + n}::bigint) g`.execute(trx);
    });
    done += n;
    opts.onProgress?.(done);
  }
  await sql`analyze tickets`.execute(db);
  return done;
}
