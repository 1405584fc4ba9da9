/**
 * WhatsApp inbound benchmark (issue 19): signed Cloud API webhook deliveries posted by autocannon
 * to an `eskala serve` on PostgreSQL, one text message per delivery (as Meta sends them), from
 * BENCH_WA_CUSTOMERS customers: a customer's first message opens a ticket, the next ones are replies
 * threaded by wa_id. Prints messages/s and latency percentiles. The server runs the timer worker
 * only (the outbox relay would call the Graph API for each acknowledgement; the rows are written).
 * autocannon, the server and PostgreSQL share this machine's cores.
 * Env: BENCH_WA_DB (database, created and dropped; default eskala_bench_whatsapp), BENCH_SECONDS
 * (default 15), BENCH_WARMUP (default 5), BENCH_CONNECTIONS (default 32), BENCH_WA_CUSTOMERS (default 2000),
 * BENCH_PG_URL (the server, default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { createHmac } from "node:crypto";
import autocannon from "autocannon";
import pg from "pg";
import { emit, freshPostgres, percentile, startServer } from "./lib/server.ts";

const round = (x: number) => Math.round(x * 10) / 10;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const CUSTOMERS = Number(process.env.BENCH_WA_CUSTOMERS ?? 2000);
const DB = process.env.BENCH_WA_DB ?? "eskala_bench_whatsapp";
const SECRET = "bench-whatsapp-app-secret";
const PORT = 3000 + Math.floor(Math.random() * 2000) + 20000;

let n = 0;
function delivery(): { body: string; signature: string } {
  const i = ++n;
  const waId = String(6281200000000 + (i % CUSTOMERS));
  const body = JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "WABA-BENCH",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "6281100000000", phone_number_id: "109876543210" },
              contacts: [{ profile: { name: `Pelanggan ${i % CUSTOMERS}` }, wa_id: waId }],
              messages: [
                {
                  from: waId,
                  id: `wamid.bench-${process.pid}-${i}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: "text",
                  text: { body: `Saldo saya belum masuk, pesan ke-${i}` },
                },
              ],
            },
          },
        ],
      },
    ],
  });
  return { body, signature: `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}` };
}

/** A run of `duration` seconds; the latency of every response kept for exact percentiles. */
function load(url: string, duration: number): Promise<{ result: autocannon.Result; times: number[] }> {
  const times: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/api/v1/channels/whatsapp/webhook`,
        method: "POST",
        connections: CONNECTIONS,
        duration,
        requests: [
          {
            setupRequest: (req) => {
              const d = delivery();
              return {
                ...req,
                body: d.body,
                headers: { "content-type": "application/json", "x-hub-signature-256": d.signature },
              };
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve({ result, times })),
    );
    instance.on("response", (_client, status, _bytes, ms) => {
      if (status === 200) times.push(ms);
    });
  });
}

async function main() {
  const url = await freshPostgres(DB);
  const server = await startServer(
    { DATABASE_URL: url, ESKALA_WHATSAPP_APP_SECRET: SECRET, ESKALA_WORKERS: "timers" },
    PORT,
  );
  try {
    // The tiers a new ticket needs (the demo's seeding takes minutes on a loaded machine); no groups, so nothing routes.
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    await setup.query(
      `insert into tiers (level, name) values (0, 'Tier 0'), (1, 'Tier 1'), (2, 'Tier 2'), (3, 'Tier 3')`,
    );
    await setup.end();
    if (WARMUP > 0) await load(server.url, WARMUP);
    const { result, times } = await load(server.url, SECONDS);
    times.sort((a, b) => a - b);
    const ok = result["2xx"];
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const counts = (
      await c.query<{ tickets: number; messages: number; wa: number }>(
        `select (select count(*)::int from tickets where channel = 'whatsapp') as tickets,
                (select count(*)::int from messages where channel = 'whatsapp') as messages,
                (select count(*)::int from whatsapp_messages where direction = 'inbound') as wa`,
      )
    ).rows[0]!;
    await c.end();
    emit({
      bench: "whatsapp.inbound",
      database: "postgres",
      connections: CONNECTIONS,
      customers: CUSTOMERS,
      warmup_seconds: WARMUP,
      seconds: SECONDS,
      deliveries_2xx: ok,
      non2xx: result.non2xx,
      errors: result.errors,
      messages_per_s: Math.round(ok / SECONDS),
      latency_ms: {
        p50: round(percentile(times, 50)),
        p95: round(percentile(times, 95)),
        p99: round(percentile(times, 99)),
        max: round(times.at(-1) ?? NaN),
      },
      stored: counts,
    });
  } finally {
    await server.stop();
    const admin = new pg.Client({
      connectionString: process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    });
    await admin.connect();
    await admin.query(`drop database if exists ${DB} with (force)`);
    await admin.end();
  }
}

await main();
