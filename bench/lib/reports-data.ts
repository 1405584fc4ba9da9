/**
 * A year of help-desk history for the reports benchmark, written with set-based SQL in a migrated
 * database: the demo's tiers, groups and categories, agents in the tier groups, customers and organisations, N tickets over 12 months
 * (Indonesian and English subjects from problem templates with variations, and a long tail of
 * one-off subjects), about 0.3·N escalation records (up, across, back down), SLA ledgers and
 * satisfaction surveys. The tickets' secondary indexes are dropped during the load and built again
 * after it (much faster than keeping them up to date row by row). Seeded: every run is the same.
 */
import type pg from "pg";
import { CATEGORIES, GROUPS, TIERS } from "../../packages/server/src/seed/demo-data.ts";

const TEMPLATES: Record<"id" | "en", [subject: string, description: string][]> = {
  id: [
    ["Tidak bisa login ke aplikasi", "Kode OTP selalu dianggap salah saat saya masuk ke aplikasi."],
    ["Pembayaran gagal tapi saldo terpotong", "Transaksi gagal namun saldo rekening saya sudah berkurang."],
    ["Paket belum sampai", "Pesanan saya belum diterima padahal estimasi sudah lewat, kurir tidak bisa dihubungi."],
    ["Refund belum masuk ke rekening", "Pengembalian dana sudah disetujui tetapi belum masuk ke rekening saya."],
    ["Aplikasi keluar sendiri saat dibuka", "Setelah pembaruan terakhir aplikasi menutup sendiri setiap kali dibuka."],
    ["Webhook API tidak terkirim", "Sistem kami tidak menerima notifikasi webhook dari API sejak kemarin."],
    ["Akun diblokir tanpa pemberitahuan", "Akun saya terkunci dan saya tidak menerima email pemberitahuan apa pun."],
    ["Tagihan ganda bulan ini", "Saya ditagih dua kali untuk langganan bulan ini."],
    ["Voucher diskon tidak bisa dipakai", "Kode voucher ditolak saat checkout padahal masih berlaku."],
    [
      "Alamat pengiriman tidak bisa diubah",
      "Saya ingin mengubah alamat pengiriman pesanan tetapi tombolnya tidak aktif.",
    ],
  ],
  en: [
    ["Cannot log in to the app", "The app says my OTP code is wrong every time I try to log in."],
    ["Payment failed but balance was deducted", "The transaction failed but the money left my account."],
    ["Parcel has not arrived", "My order is past its delivery estimate and the courier does not answer."],
    ["Refund not received", "The refund was approved but has not reached my bank account."],
    ["App crashes on launch", "Since the last update the app closes itself every time I open it."],
    ["API webhooks not delivered", "Our system has not received webhook notifications from the API since yesterday."],
    ["Account locked without notice", "My account is locked and I never received an email about it."],
    ["Charged twice this month", "I was billed twice for this month's subscription."],
  ],
};
const VARIATIONS = {
  id: ["", "", " lagi", " sejak kemarin", " mohon dibantu", " (urgent)", " hari ini", " berulang kali"],
  en: ["", "", " again", " since yesterday", " please help", " (urgent)", " today", " repeatedly"],
};
const WORDS =
  "akun kata sandi otp kartu saldo transfer dompet paket kurir resi alamat pesanan promo voucher faktur pajak ponsel email notifikasi aplikasi galat lambat rusak hilang garansi toko penjual ulasan poin cicilan bank rekening identitas blokir perangkat laporan ekspor keranjang stok ukuran warna retur ongkir asuransi account password card balance wallet parcel courier tracking order invoice phone device report export cart stock size colour insurance fee".split(
    " ",
  );
/** A long tail of made-up words, so one-off subjects are as varied as real ones. */
const TAIL = (() => {
  const syllables =
    "ka ki ku ma mi mu na ni nu ra ri ru sa si su ta ti tu la li lu pa pi pu ba bi bu da di du ga gi gu ja ya wa".split(
      " ",
    );
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: 2000 }, () =>
    Array.from({ length: 2 + Math.floor(next() * 3) }, () => syllables[Math.floor(next() * syllables.length)]!).join(
      "",
    ),
  );
})();
const TAGS = ["vip", "mobile", "web", "android", "ios", "promo", "refund", "otp", "kurir", "tagihan", "bug", "api"];
const sqlArray = (xs: string[]) => `array[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(",")}]`;

export async function generateReportData(c: pg.Client, tickets: number, log: (s: string) => void): Promise<void> {
  const t0 = performance.now();
  const step = async (what: string, text: string) => {
    const s = performance.now();
    await c.query(text);
    log(`${what}: ${((performance.now() - s) / 1000).toFixed(1)} s`);
  };
  await c.query("set maintenance_work_mem = '512MB'; set work_mem = '128MB'; select setseed(0.17)");
  await c.query("set session_replication_role = replica");
  await c.query(
    `insert into tiers (level, name, description) select * from jsonb_to_recordset($1::jsonb) as x(level int, name text, description text)`,
    [JSON.stringify(TIERS)],
  );
  await c.query(
    `insert into groups (name, kind, tier_level, is_default) select name, kind, tier, is_default from jsonb_to_recordset($1::jsonb) as x(name text, kind text, tier int, is_default boolean)`,
    [JSON.stringify(GROUPS)],
  );
  await c.query(
    `insert into categories (name, skill, skill_level) select name, skill, level from jsonb_to_recordset($1::jsonb) as x(name text, skill text, level int)`,
    [JSON.stringify(CATEGORIES)],
  );

  await step(
    "agents",
    `with g as (select id, tier_level from groups where kind = 'tier' and is_default),
     new_agents as (
       insert into users (email, name, role, language)
       select 'bench.agent' || i || '@eskala.local', 'Agen ' || i, 'agent', 'id' from generate_series(1, 60) i
       on conflict do nothing returning id, email
     ), profiled as (
       insert into agent_profiles (user_id, tier, languages, capacity, presence)
       select id, case when split_part(email, '@', 1)::text ~ 'agent([1-9]|[1-3][0-9]|40)$' then 1
                       when split_part(email, '@', 1)::text ~ 'agent(4[1-9]|5[0-5])$' then 2 else 3 end,
         '{id,en}', 20, 'offline' from new_agents returning user_id, tier
     )
     insert into group_members (group_id, user_id) select g.id, p.user_id from profiled p join g on g.tier_level = p.tier`,
  );
  await step(
    "customers",
    `insert into organizations (name, segment, domain)
       select 'Bench Org ' || i, (array['vip','smb','standard'])[1 + i % 3], 'org' || i || '.example' from generate_series(1, 300) i
       on conflict do nothing;
     insert into users (email, name, role, language, organization_id)
       select 'bench.customer' || i || '@example.com', 'Pelanggan ' || i, 'customer', case when i % 3 = 0 then 'en' else 'id' end,
         case when i % 4 = 0 then (select id from organizations where name = 'Bench Org ' || (1 + i % 300)) end
       from generate_series(1, 20000) i on conflict do nothing`,
  );

  // Drop the loaded tables' secondary indexes for the load and build them again afterwards; no
  // triggers (ticket_search is filled in one statement at the end) and no key checks meanwhile.
  const indexes = (
    await c.query<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes i where tablename in ('tickets', 'ticket_search', 'escalations', 'ticket_sla', 'csat_surveys')
        and schemaname = 'public' and not exists (select 1 from pg_constraint k where k.conname = i.indexname)`,
    )
  ).rows;
  for (const i of indexes) await c.query(`drop index ${i.indexname}`);

  const subjectsId = sqlArray(TEMPLATES.id.map((t) => t[0]));
  const descsId = sqlArray(TEMPLATES.id.map((t) => t[1]));
  const subjectsEn = sqlArray(TEMPLATES.en.map((t) => t[0]));
  const descsEn = sqlArray(TEMPLATES.en.map((t) => t[1]));
  await step(
    `${tickets} tickets`,
    `create temp table bench_ctx as select
       (select array_agg(id order by id) from categories) categories,
       (select array_agg(u.id order by u.email) from users u join agent_profiles a on a.user_id = u.id where a.tier = 1) t1,
       (select array_agg(u.id order by u.email) from users u join agent_profiles a on a.user_id = u.id where a.tier = 2) t2,
       (select array_agg(u.id order by u.email) from users u join agent_profiles a on a.user_id = u.id where a.tier = 3) t3,
       (select id from groups where kind = 'tier' and is_default and tier_level = 1) g1,
       (select id from groups where kind = 'tier' and is_default and tier_level = 2) g2,
       (select id from groups where kind = 'tier' and is_default and tier_level = 3) g3;
     create temp table bench_customers as
       select row_number() over (order by email)::int i, id from users where email like 'bench.customer%';
     alter table bench_customers add primary key (i);
     insert into tickets (subject, description, requester_id, channel, status, priority, priority_rank,
       language, category_id, tags, tier, group_id, assignee_id, escalation_count, solved_tier, escalated_at,
       tier_entered_at, first_response_at, solved_at, created_at, updated_at)
     select subject, description, requester_id, channel, status, priority, priority_rank, language, category_id, tags,
       tier, group_id, assignee_id, moves,
       case when solved then (case when moves = 0 and g % 20 = 0 then 0 else tier end) end,
       esc_at, coalesce(esc_at, created), created + interval '20 minutes',
       case when solved then least(now(), coalesce(esc_at, created) + interval '1 day' + (g % 4000) * interval '1 minute') end,
       created, created
     from (
       select s.*, s.status in ('solved', 'closed') solved,
         case when moves > 0 then least(now(), created + moves * (interval '3 hours' + (g % 2000) * interval '1 minute')) end esc_at
       from (
         select r.g, r.moves, r.created,
           case when r.templ < 0.45 then
             (case when r.en then (${subjectsEn})[1 + r.k % ${TEMPLATES.en.length}] else (${subjectsId})[1 + r.k % ${TEMPLATES.id.length}] end)
             || (case when r.en then ${sqlArray(VARIATIONS.en)} else ${sqlArray(VARIATIONS.id)} end)[1 + (r.k / 10) % 8]
           else (${sqlArray(WORDS)})[1 + (r.k % ${WORDS.length})] || ' ' || (${sqlArray(TAIL)})[1 + ((r.k / 7) % ${TAIL.length})]
             || ' ' || (${sqlArray(WORDS)})[1 + ((r.k / 53) % ${WORDS.length})] || ' ' || (${sqlArray(TAIL)})[1 + (((r.g::bigint * 7919) % ${TAIL.length})::int)]
             || ' ' || (${sqlArray(TAIL)})[1 + ((r.k / 331) % ${TAIL.length})] || ' #' || r.g end subject,
           case when r.templ < 0.45 then
             (case when r.en then (${descsEn})[1 + r.k % ${TEMPLATES.en.length}] else (${descsId})[1 + r.k % ${TEMPLATES.id.length}] end)
             || ' Ref ' || r.g
           else 'Pelanggan melaporkan kendala ' || (${sqlArray(WORDS)})[1 + ((r.k / 11) % ${WORDS.length})] || ' pada tiket ' || r.g end description,
           (select c.id from bench_customers c where c.i = 1 + r.g % 20000) requester_id,
           (array['email','web','chat','phone','api'])[1 + r.g % 5] channel,
           case when r.age_days < 3 then (array['new','open','pending','open'])[1 + r.g % 4]
                when r.age_days < 14 then (array['open','pending','solved','solved','closed'])[1 + r.g % 5]
                else (array['solved','closed','closed','closed','closed','closed','open'])[1 + r.g % 7] end status,
           (array['low','medium','medium','high','urgent'])[1 + (r.g / 3) % 5] priority,
           (array[0,1,1,2,3])[1 + (r.g / 3) % 5] priority_rank,
           case when r.en then 'en' else 'id' end language,
           ctx.categories[1 + r.k % array_length(ctx.categories, 1)] category_id,
           case when r.g % 4 = 0 then array[(${sqlArray(TAGS)})[1 + r.g % ${TAGS.length}]]
                when r.g % 9 = 0 then array[(${sqlArray(TAGS)})[1 + r.g % ${TAGS.length}], (${sqlArray(TAGS)})[1 + (r.g / 9) % ${TAGS.length}]]
                else '{}' end tags,
           case r.moves when 0 then 1 when 1 then 2 else case when r.g % 3 = 0 then 1 else 3 end end tier,
           case r.moves when 0 then ctx.g1 when 1 then ctx.g2 else case when r.g % 3 = 0 then ctx.g1 else ctx.g3 end end group_id,
           case when r.g % 10 = 0 then null
                when r.moves = 0 or (r.moves = 2 and r.g % 3 = 0) then ctx.t1[1 + r.g % array_length(ctx.t1, 1)]
                when r.moves = 1 then ctx.t2[1 + r.g % array_length(ctx.t2, 1)]
                else ctx.t3[1 + r.g % array_length(ctx.t3, 1)] end assignee_id
         from (
           select g, k, en, templ, created, extract(epoch from now() - created) / 86400 age_days,
             -- One category in seven escalates more in the last quarter: a rising category to find.
             case when esc < 0.03 then 2
                  when esc < (case when k % 7 = 1 and created > now() - interval '90 days' then 0.4 else 0.25 end) then 1
                  else 0 end moves
           from (
             select g, (random() * 1000000)::int k, random() < 0.35 en, random() templ,
               now() - random() * interval '365 days' created, random() esc
             from generate_series(1, ${tickets}) g
           ) x
           -- In creation order, as a help desk appends them.
           order by created
         ) r cross join bench_ctx ctx
       ) s
     ) u`,
  );
  await step(
    "escalation records",
    `insert into escalations (ticket_id, type, reason, reason_text, trigger, actor_id, from_tier, to_tier, from_group_id, to_group_id,
       from_assignee_id, to_assignee_id, note, created_at)
     select t.id, case when m.i = 2 and t.tier = 1 then 'de_escalation' when t.number % 10 = 0 then 'functional' else 'hierarchical' end,
       m.reason, null,
       case m.reason when 'sla_breach' then 'sla_timer' when 'customer_request' then 'customer' when 'negative_sentiment' then 'rule' else 'agent' end,
       case when m.reason in ('sla_breach', 'negative_sentiment') then null else m.from_agent end,
       m.i, case when m.i = 2 and t.tier = 1 then 1 else m.i + 1 end,
       case m.i when 1 then ctx.g1 else ctx.g2 end,
       case when m.i = 1 then ctx.g2 when t.tier = 1 then ctx.g1 else ctx.g3 end,
       m.from_agent, t.assignee_id,
       case when t.number % 10 < 7 then 'Pelanggan sudah mencoba langkah dasar; perlu pengecekan lebih lanjut.' end,
       case when m.i = t.escalation_count then t.escalated_at else t.created_at + (t.escalated_at - t.created_at) / 2 end
     from tickets t cross join bench_ctx ctx
     cross join lateral (
       select i, case when i = 1 then ctx.t1[1 + t.number % array_length(ctx.t1, 1)] else ctx.t2[1 + t.number % array_length(ctx.t2, 1)] end from_agent,
         (array['missing_skill','missing_skill','too_complex','too_complex','sla_breach','sla_breach','customer_request','too_slow','negative_sentiment','other'])
           [1 + ((t.number / 7 + i) % 10)::int] reason
       from generate_series(1, t.escalation_count) i
     ) m
     where t.escalation_count > 0 and t.requester_id in (select id from bench_customers)
     order by 14`,
  );
  await step(
    "SLA ledgers",
    `insert into ticket_sla (ticket_id, policy_id, policy_version, ledger)
     select id, null, 1, jsonb_build_object('rec', jsonb_build_object(
       'first_response', case when number % 9 = 0 then jsonb_build_object('b', created_at + interval '1 hour', 'f', jsonb_build_object('state', 'breached'))
                              else jsonb_build_object('f', jsonb_build_object('state', 'achieved', 'at', created_at + interval '20 minutes')) end,
       'resolution', case when solved_at is null then jsonb_build_object('due', created_at + interval '3 days')
                          when number % 7 = 0 then jsonb_build_object('b', created_at + interval '3 days', 'f', jsonb_build_object('state', 'breached'))
                          else jsonb_build_object('f', jsonb_build_object('state', 'achieved', 'at', solved_at)) end))
     from tickets where requester_id in (select id from bench_customers)`,
  );
  await step(
    "satisfaction surveys",
    `insert into csat_surveys (ticket_id, requester_id, solved_at, solved_tier, escalated, expires_at, rating, rated_at, created_at)
     select id, requester_id, solved_at, solved_tier, escalation_count > 0, solved_at + interval '7 days',
       case when escalation_count > 0 then 1 + number % 5 else 2 + number % 4 end, solved_at + interval '2 hours', solved_at
     from tickets where solved_at is not null and number % 5 = 0`,
  );
  await step(
    "search words",
    `insert into ticket_search (ticket_id, search) select id, ticket_search_words(subject, description) from tickets
     on conflict do nothing`,
  );
  await c.query("set session_replication_role = origin");
  for (const i of indexes) await step(`index ${i.indexname}`, i.indexdef);
  await step("vacuum analyze", "vacuum (analyze) tickets, escalations, ticket_sla, csat_surveys, users");
  log(`generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
