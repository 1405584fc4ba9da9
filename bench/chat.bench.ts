/**
 * Web chat benchmark. (1) The bot's answer with 10,000 published articles (half Indonesian, half
 * English): `say` end to end (the visitor's line written, the knowledge-base search with
 * ts_rank and ts_headline, the bot's line, the conversation read back), p50/p95. Target: p95 <
 * 150 ms. (2) 1,000 concurrent widget streams (`GET /api/v1/chat/conversation/stream`, SSE) held
 * by this one process, opened by a child process over real sockets; prints this process's RSS.
 * Target: RSS < 300 MB. (3) The widget's size, gzipped (target < 30 KB), when it is built.
 * Embedded PGlite in memory, or PostgreSQL when DATABASE_URL is set (a scratch database,
 * CHAT_BENCH_DB or a random name, created by the run (never one that exists) and dropped afterwards,
 * also when the run fails). The server listens on a free port. The streams are opened first, on an empty knowledge base, so the RSS they add is
 * seen apart from the articles' (PGlite holds its database in this process's memory).
 * Run: `npm run bench:chat`. Prints JSON lines.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { testConfig } from "../packages/server/src/config.ts";
import { compose } from "../packages/server/src/compose.ts";
import { openDatabase } from "../packages/server/src/db/database.ts";
import { buildApp } from "../packages/server/src/http/app.ts";
import { analyzeArticles } from "../packages/server/src/channels/kb/kb-search.ts";
import { markdownToText } from "@eskala/contracts/markdown";
import { createChatService } from "../packages/server/src/channels/chat/chat.service.ts";
import { ensureSecret } from "../packages/server/src/channels/settings.ts";

const ARTICLES = Number(process.env.CHAT_BENCH_ARTICLES ?? 10_000);
const ANSWERS = Number(process.env.CHAT_BENCH_ANSWERS ?? 300);
const CONNECTIONS = Number(process.env.CHAT_BENCH_CONNECTIONS ?? 1_000);
const WIDGET = fileURLToPath(new URL("../packages/web/dist/widget/widget.js", import.meta.url));

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
const TOPICS = {
  id: "akun kata sandi login otp kode verifikasi pembayaran kartu kredit saldo transfer dompet refund pengembalian dana pengiriman paket kurir resi alamat pesanan pembatalan promo voucher diskon langganan tagihan faktur keamanan ponsel email notifikasi aplikasi galat gagal lambat rusak hilang garansi toko penjual poin cicilan bank rekening blokir terkunci".split(
    " ",
  ),
  en: "account password login otp code verification payment credit card balance transfer wallet refund money shipping parcel courier tracking address order cancellation promo voucher discount subscription invoice billing security phone email notification app error failed slow damaged lost warranty store seller points installment bank blocked locked".split(
    " ",
  ),
};
const FILLER =
  "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore".split(" ");

function quantile(sorted: number[], q: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
const round = (n: number) => Math.round(n * 100) / 100;
const mb = (n: number) => Math.round(n / 1024 / 1024);

/** PGlite in memory, or a scratch database on the PostgreSQL server of DATABASE_URL. */
async function scratchDatabase() {
  const url = process.env.DATABASE_URL;
  if (!url) return { database: await openDatabase({ dataDir: ":memory:" }), drop: async () => {} };
  const name = process.env.CHAT_BENCH_DB ?? `eskala_chat_bench_${randomBytes(4).toString("hex")}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error("CHAT_BENCH_DB must be a plain lower-case name");
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  // Fails on a database that exists: a run drops only the one it created.
  await admin.query(`create database ${name}`);
  await admin.end();
  const drop = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
  dropOnFailure = drop;
  const u = new URL(url);
  u.pathname = `/${name}`;
  return { database: await openDatabase({ url: u.toString(), dataDir: "", poolSize: 8 }), drop };
}

/** The scratch database to drop if the run fails halfway (set once it is created). */
let dropOnFailure = async () => {};

async function main() {
  const { database, drop } = await scratchDatabase();
  const kind = process.env.DATABASE_URL ? "postgres" : "pglite";
  const app = await compose(testConfig({ HOST: "127.0.0.1" }), { database });
  const http = await buildApp(app);
  const random = prng(20261203);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;

  // Tiers and a tier-1 group, for the tickets a handover (a second miss) creates.
  await database.db
    .insertInto("tiers")
    .values([0, 1, 2, 3].map((level) => ({ level, name: `Tier ${level}` })))
    .execute();
  await database.db
    .insertInto("groups")
    .values({ name: "Frontline", kind: "tier", tier_level: 1, is_default: true })
    .execute();

  const chat = createChatService({
    database,
    tickets: app.tickets,
    messages: app.messages,
    secret: await ensureSecret(database.db, app.config),
    firstResponseDue: async () => null,
  });
  // 2. 1,000 streams held by this process, opened by a child process over real sockets.
  const address = await http.listen({ port: 0, host: "127.0.0.1" });
  const tokens: string[] = [];
  for (let i = 0; i < CONNECTIONS; i++)
    tokens.push((await chat.start({ name: "Conn", email: `c${i}@bench.test`, language: "en" }, new Date())).token);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const client = spawn(
    process.execPath,
    [
      "-e",
      `
      const http = require("node:http");
      const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
      const tokens = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
      let connected = 0, failed = 0;
      for (const token of tokens) {
        const req = http.get(process.argv[1] + "/api/v1/chat/conversation/stream", { agent, headers: { "x-chat-token": token } }, (res) => {
          if (res.statusCode !== 200) { failed++; res.resume(); return; }
          res.once("data", () => { if (++connected + failed === tokens.length) console.log(JSON.stringify({ connected, failed })); });
        });
        req.on("error", () => { if (connected + ++failed === tokens.length) console.log(JSON.stringify({ connected, failed })); });
      }
      setInterval(() => {}, 1000);
      `,
      address,
    ],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  client.stdin.end(JSON.stringify(tokens));
  const opened = performance.now();
  const result = await new Promise<{ connected: number; failed: number }>((ok) =>
    client.stdout.once("data", (d: Buffer) => ok(JSON.parse(d.toString()))),
  );
  const openMs = performance.now() - opened;
  const liveHub = (http as unknown as { liveHub: { size: number } }).liveHub;
  await new Promise((r) => setTimeout(r, 2000));
  console.log(
    JSON.stringify({
      bench: "chat.connections",
      requested: CONNECTIONS,
      connected: result.connected,
      failed: result.failed,
      held_by_hub: liveHub.size,
      open_all_ms: Math.round(openMs),
      database: kind,
      rss_before_mb: mb(rssBefore),
      rss_added_mb: mb(process.memoryUsage().rss - rssBefore),
      rss_mb: mb(process.memoryUsage().rss),
      heap_used_mb: mb(process.memoryUsage().heapUsed),
      target_rss_mb: 300,
    }),
  );
  client.kill();

  // 1. 10,000 articles, then the bot's answers.
  const t0 = performance.now();
  const now = new Date();
  for (let i = 0; i < ARTICLES; i += 500) {
    const rows = Array.from({ length: Math.min(500, ARTICLES - i) }, (_, j) => {
      const lang = (i + j) % 2 === 0 ? ("id" as const) : ("en" as const);
      const subjects = [pick(TOPICS[lang]), pick(TOPICS[lang]), pick(TOPICS[lang])];
      const body = Array.from({ length: 120 }, () => (random() < 0.15 ? pick(subjects) : pick(FILLER))).join(" ");
      return {
        title: `${subjects.join(" ")} ${i + j}`,
        body,
        body_text: markdownToText(body),
        keywords: subjects.slice(0, 2).join(" "),
        tags: subjects.slice(0, 2),
        language: lang,
        category: subjects[0]!,
        status: "published" as const,
        created_at: now,
        updated_at: now,
        published_at: now,
      };
    });
    await database.db.insertInto("kb_articles").values(rows).execute();
  }
  await analyzeArticles(database.db);
  console.log(JSON.stringify({ bench: "chat.seed", articles: ARTICLES, ms: Math.round(performance.now() - t0) }));

  const times: number[] = [];
  let conversation = "";
  for (let i = 0; i < ANSWERS + 20; i++) {
    const lang = i % 2 === 0 ? ("id" as const) : ("en" as const);
    // A conversation of a few lines, as visitors write them.
    if (i % 4 === 0)
      conversation = (await chat.start({ name: "Bench", email: `v${i}@bench.test`, language: lang }, new Date()))
        .conversation.id;
    const words = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(TOPICS[lang])).join(" ");
    const started = performance.now();
    await chat.say(conversation, words, new Date());
    if (i >= 20) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      bench: "chat.bot_answer",
      database: kind,
      articles: ARTICLES,
      answers: times.length,
      p50_ms: round(quantile(times, 0.5)),
      p95_ms: round(quantile(times, 0.95)),
      max_ms: round(times.at(-1)!),
      target_p95_ms: 150,
    }),
  );

  // 3. The widget's size.
  if (existsSync(WIDGET)) {
    const js = readFileSync(WIDGET);
    console.log(
      JSON.stringify({
        bench: "chat.widget",
        bytes: js.length,
        gzip_bytes: gzipSync(js).length,
        target_gzip_bytes: 30_720,
      }),
    );
  } else console.log(JSON.stringify({ bench: "chat.widget", skipped: "not built: npm run build:web" }));

  await http.close();
  await app.close();
  await database.close();
  await drop();
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    console.error(err);
    await dropOnFailure().catch(() => {});
    process.exit(1);
  },
);
