/**
 * Ticket search latency (issue 18): `GET /api/v1/tickets?q=` by each kind a person types into the
 * search box, in Indonesian and English, rare and common matches (each takes the other plan,
 * ticket.repo.ts `withTextMatches`). Written for the data `eskala seed --tickets N` makes
 * (seed/bulk.ts): subjects and descriptions in both languages with an order number per ticket
 * (`INV<n>`), 1,000 requesters `Bulk Customer <k>` / `bulk<k>@customers.example` in 50
 * organisations (`Toko Makmur <odd>`, `Acme Trading <even>`), tags on one ticket in four.
 * Each kind is asked with a different value each time (a random requester, order, organisation),
 * 10 rounds of warm-up, then `BENCH_SEARCH_SAMPLES` (default 60) measured rounds; one JSON line a kind.
 */
import { emit, percentile } from "./server.ts";

type Kind = { kind: string; language: "id" | "en" | "-"; q: (r: () => number) => string };

const pick = <T>(xs: readonly T[], r: () => number) => xs[Math.floor(r() * xs.length)]!;
const between = (lo: number, hi: number, r: () => number) => lo + Math.floor(r() * (hi - lo + 1));

/** The kinds of search, each a function of a random source; `maxOrder` bounds the `INV<n>` numbers seeded. */
function kinds(maxNumber: number, maxOrder: number): Kind[] {
  return [
    { kind: "number", language: "-", q: (r) => `#${between(1, maxNumber, r)}` },
    { kind: "subject_word", language: "id", q: (r) => pick(["pembayaran", "paket terlambat", "login bermasalah"], r) },
    { kind: "subject_word", language: "en", q: (r) => pick(["payment", "parcel delayed", "sign in"], r) },
    { kind: "description_text", language: "id", q: (r) => pick(["saldo terpotong", "belum diproses"], r) },
    { kind: "description_text", language: "en", q: (r) => pick(["charged twice", "not processed"], r) },
    { kind: "description_order_number", language: "-", q: (r) => `INV${between(1, maxOrder, r)}` },
    { kind: "requester_name", language: "-", q: (r) => `Bulk Customer ${between(1, 1000, r)}` },
    { kind: "requester_email", language: "-", q: (r) => `bulk${between(1, 1000, r)}@customers.example` },
    { kind: "organisation", language: "id", q: (r) => `Toko Makmur ${2 * between(0, 24, r) + 1}` },
    { kind: "organisation", language: "en", q: (r) => `Acme Trading ${2 * between(1, 25, r)}` },
    { kind: "tag", language: "id", q: (r) => pick(["tagihan", "pengiriman", "akun", "garansi"], r) },
    { kind: "tag", language: "en", q: (r) => pick(["billing", "shipping", "account", "warranty"], r) },
    { kind: "tag_rare", language: "id", q: () => "vip-emas" },
  ];
}

/** A small deterministic random source (mulberry32), so two runs ask the same values. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Times the first page (50, newest first) of a search of each kind and prints one JSON line per
 * kind (bench "api.search_kind"): p50/p95/p99 in ms and how many of the searches found tickets.
 * `headers` authorise a staff member (the admin token).
 */
export async function searchLatency(url: string, headers: Record<string, string>): Promise<void> {
  const get = async (path: string) => {
    const res = await fetch(`${url}/api/v1/tickets?${path}`, { headers });
    if (!res.ok) throw new Error(`search ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { items: { number: number }[] };
  };
  const newest = (await get("sort=-number&limit=1")).items[0]?.number ?? 1;
  // The seed's order numbers run 1..N; the ticket numbers 1..N plus the demo's. Half the highest is
  // within N whenever the demo holds fewer tickets than the seed.
  const all = kinds(newest, Math.max(1, Math.floor(newest / 2)));
  const samples = Number(process.env.BENCH_SEARCH_SAMPLES ?? 60);
  const warmup = 10;
  const r = random(18);
  const times = new Map<Kind, number[]>();
  const found = new Map<Kind, number>();
  for (let round = 0; round < warmup + samples; round++) {
    for (const k of all) {
      const q = new URLSearchParams({ q: k.q(r), limit: "50" }).toString();
      const t0 = performance.now();
      const body = await get(q);
      const ms = performance.now() - t0;
      if (round < warmup) continue;
      (times.get(k) ?? times.set(k, []).get(k)!).push(ms);
      if (body.items.length > 0) found.set(k, (found.get(k) ?? 0) + 1);
    }
  }
  for (const k of all) {
    const xs = times.get(k)!.sort((a, b) => a - b);
    if (!found.get(k))
      throw new Error(
        `search ${k.kind} (${k.language}) found nothing in ${xs.length} tries: seed with eskala seed --tickets`,
      );
    emit({
      bench: "api.search_kind",
      kind: k.kind,
      language: k.language,
      samples: xs.length,
      found: found.get(k) ?? 0,
      p50_ms: +percentile(xs, 50).toFixed(2),
      p95_ms: +percentile(xs, 95).toFixed(2),
      p99_ms: +percentile(xs, 99).toFixed(2),
    });
  }
}
