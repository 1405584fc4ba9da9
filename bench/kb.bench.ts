/**
 * Knowledge-base search benchmark: 10,000 generated articles (half Indonesian, half English),
 * then `GET /api/v1/kb/search` and `/kb/suggest`'s query path (searchArticles: websearch or prefix
 * tsquery, ts_rank, ts_headline) timed per query. Target: p95 < 50 ms. Runs on embedded PGlite,
 * and also on PostgreSQL when DATABASE_URL is set (in a scratch database it drops afterwards).
 * Run: `npx tsx bench/kb.bench.ts`. Prints one JSON line per database and query kind.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "../packages/server/src/db/database.ts";
import { migrate } from "../packages/server/src/db/migrate.ts";
import { analyzeArticles, searchArticles, type KbLanguage } from "../packages/server/src/channels/kb/kb-search.ts";
import { markdownToText } from "../packages/contracts/src/markdown.ts";

const ARTICLES = Number(process.env.KB_BENCH_ARTICLES ?? 10_000);
const QUERIES = 400;
const WARMUP = 40;
const TARGET_P95_MS = 50;

/** mulberry32: a small seeded PRNG so every run measures the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOPICS: Record<KbLanguage, string[]> = {
  id: "akun kata sandi login masuk otp kode verifikasi pembayaran kartu kredit saldo transfer dompet digital refund pengembalian dana pengiriman paket kurir resi alamat pesanan pembatalan promo voucher diskon langganan tagihan faktur pajak keamanan ponsel email notifikasi aplikasi pembaruan galat gagal lambat tertunda rusak hilang penukaran garansi toko penjual ulasan poin hadiah cicilan bank rekening identitas ktp swafoto blokir terkunci perangkat sinkronisasi laporan ekspor keranjang stok ukuran warna retur ongkir asuransi".split(
    " ",
  ),
  en: "account password login sign otp code verification payment credit card balance transfer wallet refund return money shipping parcel courier tracking address order cancellation promo voucher discount subscription invoice billing tax security phone email notification app update error failed slow delayed damaged lost exchange warranty store seller review points reward installment bank identity selfie blocked locked device sync report export cart stock size colour insurance fee".split(
    " ",
  ),
};
const FILLER: Record<KbLanguage, string[]> = {
  id: "yang dan untuk dengan dapat anda kami jika setelah sebelum akan sudah belum tidak bisa ini itu pada dari ke di cara langkah berikut pastikan silakan coba lagi halaman menu pilih tekan buka tutup simpan".split(
    " ",
  ),
  en: "the and for with can you we if after before will already not this that on from to in how step following make sure please try again page menu choose tap open close save".split(
    " ",
  ),
};

/** Zipf-like: low indexes much more frequent. */
const zipf = (random: () => number, n: number) => Math.min(n - 1, Math.floor(n * Math.pow(random(), 2.2)));

/** The long tail of a help center's vocabulary: pronounceable made-up words, per language. */
function longTail(random: () => number, n: number): string[] {
  const syllables =
    "ka ki ku ma mi mu na ni nu ra ri ru sa si su ta ti tu la li lu pa pi pu ba bi bu da di du ga gi gu ha ja ya wa to po lo no".split(
      " ",
    );
  return Array.from({ length: n }, () =>
    Array.from(
      { length: 2 + Math.floor(random() * 3) },
      () => syllables[Math.floor(random() * syllables.length)]!,
    ).join(""),
  );
}
const TAIL: Record<KbLanguage, string[]> = { id: longTail(prng(1), 3000), en: longTail(prng(2), 3000) };

/**
 * An article about three subject words (its title and most topical mentions), with a few
 * incidental mentions of other subjects, filler words and the long tail, like a real help center.
 */
function article(random: () => number, lang: KbLanguage, i: number) {
  const topic = TOPICS[lang];
  const pickTopic = () => topic[Math.floor(random() * topic.length)]!;
  const subjects = [pickTopic(), pickTopic(), pickTopic()];
  const word = () => {
    const r = random();
    if (r < 0.1) return subjects[Math.floor(random() * subjects.length)]!;
    if (r < 0.12) return pickTopic();
    if (r < 0.45) return FILLER[lang][Math.floor(random() * FILLER[lang].length)]!;
    return TAIL[lang][zipf(random, TAIL[lang].length)]!;
  };
  const sentence = () => {
    const words = Array.from({ length: 8 + Math.floor(random() * 10) }, word);
    return words.join(" ").replace(/^./, (c) => c.toUpperCase()) + ".";
  };
  const paragraphs = Array.from({ length: 3 + Math.floor(random() * 4) }, () =>
    Array.from({ length: 3 }, sentence).join(" "),
  );
  const title = `${subjects[0]} ${subjects[1]} ${lang === "id" ? "dan" : "and"} ${word()} ${i}`;
  const body = `## ${subjects[2]}\n\n${paragraphs.join("\n\n")}\n\n1. ${sentence()}\n2. ${sentence()}`;
  const tags = subjects.slice(0, 2);
  return {
    title,
    body,
    body_text: markdownToText(body),
    keywords: tags.join(" "),
    tags,
    language: lang,
    category: subjects[0]!,
    status: "published" as const,
  };
}

function queries(random: () => number, lang: KbLanguage, n: number) {
  const topic = TOPICS[lang];
  return Array.from({ length: n }, () => {
    const k = 1 + Math.floor(random() * 3);
    return Array.from({ length: k }, () => topic[Math.floor(random() * topic.length)]!).join(" ");
  });
}

async function seed(database: Database) {
  const random = prng(20260302);
  const now = new Date();
  const rows = Array.from({ length: ARTICLES }, (_, i) => article(random, i % 2 === 0 ? "id" : "en", i));
  for (let i = 0; i < rows.length; i += 500) {
    await database.db
      .insertInto("kb_articles")
      .values(
        rows
          .slice(i, i + 500)
          .map((r) => ({ ...r, author_id: null, created_at: now, updated_at: now, published_at: now })),
      )
      .execute();
  }
  await analyzeArticles(database.db);
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function measure(database: Database, label: string) {
  const t0 = performance.now();
  await seed(database);
  const seedMs = performance.now() - t0;
  const random = prng(7);
  for (const mode of ["search", "suggest"] as const) {
    const qs = [...queries(random, "id", QUERIES / 2), ...queries(random, "en", QUERIES / 2)];
    const langOf = (i: number): KbLanguage => (i < QUERIES / 2 ? "id" : "en");
    for (let i = 0; i < WARMUP; i++) await searchArticles(database.db, qs[i]!, { lang: langOf(i), limit: 10, mode });
    const times: number[] = [];
    let hits = 0;
    for (const [i, q] of qs.entries()) {
      const text = mode === "suggest" ? q.slice(0, Math.max(3, q.length - 2)) : q;
      const start = performance.now();
      const res = await searchArticles(database.db, text, {
        lang: langOf(i),
        limit: mode === "suggest" ? 5 : 10,
        mode,
      });
      times.push(performance.now() - start);
      hits += res.length;
    }
    times.sort((a, b) => a - b);
    const round = (x: number) => Math.round(x * 100) / 100;
    console.log(
      JSON.stringify({
        bench: "kb.search",
        database: label,
        mode,
        articles: ARTICLES,
        queries: qs.length,
        avg_hits: round(hits / qs.length),
        p50_ms: round(pct(times, 50)),
        p95_ms: round(pct(times, 95)),
        p99_ms: round(pct(times, 99)),
        max_ms: round(times[times.length - 1]!),
        target_p95_ms: TARGET_P95_MS,
        ok: pct(times, 95) < TARGET_P95_MS,
        seed_ms: Math.round(seedMs),
      }),
    );
  }
}

async function onPGlite() {
  const database = await openDatabase({ dataDir: ":memory:" });
  try {
    await migrate(database.db);
    await measure(database, "pglite");
  } finally {
    await database.close();
  }
}

async function onPostgres(url: string) {
  const name = `eskala_bench_kb_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openDatabase({ url: u.toString(), dataDir: "", poolSize: 4 });
  try {
    await migrate(database.db);
    await measure(database, "postgres");
  } finally {
    await database.close();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  }
}

await onPGlite();
if (process.env.DATABASE_URL) await onPostgres(process.env.DATABASE_URL);
