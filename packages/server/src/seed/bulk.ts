import { sql, type Kysely } from "kysely";
import type { DB } from "../db/schema.ts";

/**
 * Inserts N synthetic open tickets with generate_series, in batches, for benchmarks: spread over
 * the last 90 days, every status and priority, a pool of 1,000 requesters in 50 organisations,
 * the demo's groups. Search has something of every kind to find (bench/lib/search.ts): subjects
 * and descriptions in the ticket's language (Indonesian, or English one in three) with an order
 * number of its own (`INV<n>`), requesters' names and emails, organisations' names, and a tag on one
 * ticket in four (one of eight, Indonesian and English) and a rare one (`vip-emas`) on one in 5,000.
 * Needs the structure (tiers, a default tier-1 group) to exist: run `seed --demo` first or let it.
 */
export async function seedBulkTickets(
  db: Kysely<DB>,
  count: number,
  opts: { batch?: number; onProgress?: (done: number) => void } = {},
): Promise<number> {
  const batch = opts.batch ?? 100_000;
  await sql`
    insert into organizations (name, segment)
    select case when g % 2 = 0 then 'Acme Trading ' || g else 'Toko Makmur ' || g end, 'standard'
    from generate_series(1, 50) g
    on conflict do nothing`.execute(db);
  await sql`
    insert into users (email, name, role, language, organization_id, created_at)
    select 'bulk' || g || '@customers.example', 'Bulk Customer ' || g, 'customer', case when g % 3 = 0 then 'en' else 'id' end,
      (select id from organizations where lower(name) = lower(case when (1 + g % 50) % 2 = 0 then 'Acme Trading ' else 'Toko Makmur ' end || (1 + g % 50))),
      now()
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
          select array_agg(id order by email) ids, array_agg(organization_id order by email) orgs
          from users where email like 'bulk%@customers.example'
        )
        insert into tickets (subject, description, requester_id, organization_id, tags, channel, status, priority, priority_rank, language, tier, group_id, created_at, updated_at)
        select
          'Bulk ticket ' || g || case
            when g % 3 = 0 then case when g % 7 = 0 then ' payment failed' when g % 5 = 0 then ' parcel delayed' else ' cannot sign in' end
            else case when g % 7 = 0 then ' pembayaran gagal' when g % 5 = 0 then ' paket terlambat' else ' login bermasalah' end
          end,
          case when g % 3 = 0 then 'Charged twice but order INV' || g || ' was not processed'
            else 'Saldo terpotong tapi pesanan INV' || g || ' belum diproses' end,
          (select ids[1 + (g % 1000)] from requesters),
          (select orgs[1 + (g % 1000)] from requesters),
          case when g % 5000 = 3 then array['vip-emas']
            when g % 4 = 0 then array[(array['tagihan','pengiriman','akun','garansi','billing','shipping','account','warranty'])[1 + (g / 4) % 8]]
            else '{}'::text[] end,
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
