/**
 * IMAP import benchmark: APPENDs N messages (BENCH_IMAP_MESSAGES, 2,000 by default) to a local
 * Dovecot that it starts (Debian's dovecot-imapd, as the tests do), then times the imap fetcher
 * importing them into PostgreSQL through the mail intake: one ticket per message, each with its
 * import key, \Seen set after the commits. Target: ≥ 100 messages/s.
 * The database (BENCH_IMAP_DB, `eskala_bench_imap` by default) is created on the server of
 * DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres by default) by the run, which refuses
 * one that exists, and dropped afterwards. Dovecot listens on a free port; its folder is removed.
 * Run: `npm run bench:imap`. Prints one JSON line.
 */
import pg from "pg";
import { testConfig } from "../packages/server/src/config.ts";
import { compose } from "../packages/server/src/compose.ts";
import { openDatabase } from "../packages/server/src/db/database.ts";
import { buildApp } from "../packages/server/src/http/app.ts";
import { createAppImapFetcher } from "../packages/server/src/channels/imap/compose-imap.ts";
import { TestApp } from "../packages/server/test/harness.ts";
import { rawMail, startDovecot } from "../packages/server/test/channels/dovecot.ts";

const N = Number(process.env.BENCH_IMAP_MESSAGES ?? 2_000);
const DB_NAME = process.env.BENCH_IMAP_DB ?? "eskala_bench_imap";
const SERVER_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TARGET = 100;

if (!/^[a-z_][a-z0-9_]*$/.test(DB_NAME)) throw new Error("BENCH_IMAP_DB must be a plain lower-case name");

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: SERVER_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

// Fails on a database that exists: a run drops only the one it created.
await admin(`create database ${DB_NAME}`);
const url = new URL(SERVER_URL);
url.pathname = `/${DB_NAME}`;
const dc = await startDovecot({ support: "bench-secret" });
let t: TestApp | null = null;
try {
  const database = await openDatabase({ url: url.toString(), dataDir: "", poolSize: 10 });
  const services = await compose(testConfig({ DATABASE_URL: url.toString(), ESKALA_WEBHOOK_ALLOW: "127.0.0.1" }), { database });
  const http = await buildApp(services);
  await http.ready();
  t = new TestApp(services, http, url.toString(), async () => {
    await http.close();
    await services.close();
    await database.close();
  });
  await t.seedStructure();

  const words = "login gagal pembayaran tertunda akun terkunci kode otp tidak masuk saldo hilang".split(" ");
  const messages = Array.from({ length: N }, (_, i) =>
    rawMail({
      from: `Pelanggan ${i} <pelanggan${i % 500}@contoh.test>`,
      to: "support@perusahaan.test",
      subject: `Masalah ${words[i % words.length]} ${i}`,
      text: `Halo, saya mengalami masalah ${words[(i * 7) % words.length]} sejak kemarin. Nomor pesanan ${100000 + i}. Mohon bantuannya.`,
      messageId: `<bench-${i}-${Date.now()}@contoh.test>`,
    }),
  );
  const appendStart = performance.now();
  // Four connections APPEND at once.
  const parts = 4;
  await Promise.all(
    Array.from({ length: parts }, (_, p) =>
      dc.append(
        "support",
        messages.filter((_, i) => i % parts === p),
      ),
    ),
  );
  const appendMs = performance.now() - appendStart;

  const box = await t.inject("POST", "/api/v1/mailboxes", {
    body: { name: "Bench", host: dc.host, port: dc.port, tls: false, user: "support", password: "bench-secret" },
  });
  if (box.status !== 201) throw new Error(`mailbox not created: ${box.text}`);
  let imported = 0;
  let firstAt = 0;
  let stopFetcher = async () => {};
  const done = new Promise<void>((resolve) => {
    const fetcher = createAppImapFetcher(services, {
      scanMs: 50,
      chunk: Number(process.env.BENCH_IMAP_CHUNK ?? 200),
      concurrency: Number(process.env.BENCH_IMAP_CONCURRENCY ?? 32),
      onImported: () => {
        if (!firstAt) firstAt = performance.now();
        if (++imported === N) resolve();
      },
    });
    stopFetcher = () => fetcher.stop();
    fetcher.start();
  });
  const start = performance.now();
  await done;
  const ms = performance.now() - start;
  // Then the last chunk's \Seen (after its commits) and its last UID.
  for (;;) {
    const row = await t.db
      .selectFrom("imap_mailboxes")
      .select("last_uid")
      .where("id", "=", box.body.id)
      .executeTakeFirstOrThrow();
    if (Number(row.last_uid) >= N) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const msSeen = performance.now() - start;
  await stopFetcher();
  const tickets = Number(
    (
      await t.db
        .selectFrom("tickets")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("channel", "=", "email")
        .executeTakeFirstOrThrow()
    ).n,
  );
  const seen = (await dc.list("support")).filter((m) => m.seen).length;
  console.log(
    JSON.stringify({
      bench: "imap",
      database: "postgres",
      messages: N,
      tickets,
      marked_seen: seen,
      append_per_s: Math.round((N / appendMs) * 1000),
      import_seconds: Number((ms / 1000).toFixed(2)),
      until_all_seen_seconds: Number((msSeen / 1000).toFixed(2)),
      first_message_ms: Math.round(firstAt - start),
      messages_per_s: Math.round((N / ms) * 1000),
      target_per_s: TARGET,
      ok: tickets === N && (N / ms) * 1000 >= TARGET,
    }),
  );
} finally {
  await t?.close();
  await dc.stop();
  await admin(`drop database if exists ${DB_NAME} with (force)`);
}
