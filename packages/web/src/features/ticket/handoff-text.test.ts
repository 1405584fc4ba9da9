import i18next, { type TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import type { Handoff } from "@eskala/contracts";
import { en, id } from "../../locales/index.ts";
import { notificationText } from "../notifications/notification-text.ts";
import { handoffSections } from "./handoff-text.ts";

const LANGS = ["en", "id"] as const;
const missing: Record<string, Set<string>> = { en: new Set(), id: new Set() };
const tr = {} as Record<(typeof LANGS)[number], TFunction>;

beforeAll(async () => {
  for (const lng of LANGS) {
    const i = i18next.createInstance();
    // No fallback language: a sentence missing in Indonesian must not pass as English.
    await i.init({
      resources: { [lng]: { translation: lng === "en" ? en : id } },
      lng,
      fallbackLng: false,
      interpolation: { escapeValue: false },
      saveMissing: true,
      missingKeyHandler: (_lngs, _ns, key) => missing[lng]!.add(key),
    });
    tr[lng] = i.t;
  }
});

// A raw key, event name, enum value, placeholder or JSON in what a person reads.
const RAW = /handoff\.|sla\.|ticket\.|[a-z]+_[a-z_]+|\{\{|[{}[\]]|":|undefined|null|NaN/;

const FULL: Handoff = {
  v: 1,
  asked: {
    first: { text: "Kartu saya ditolak saat membayar tagihan Maret…", at: "2026-03-02T02:00:00Z", shortened: true },
    latest: { text: "Masih gagal. Tolong segera dibantu!", at: "2026-03-02T02:20:00Z", shortened: false },
  },
  done: {
    last_reply: {
      text: "Kami sedang memeriksa transaksi Anda.",
      at: "2026-03-02T02:10:00Z",
      shortened: false,
      author: "Siti",
    },
    notes_count: 2,
    latest_note: { text: "Gateway returns 502", at: "2026-03-02T02:15:00Z", shortened: false, author: null },
    previous_note: { text: "Checked the card BIN", at: "2026-03-02T01:00:00Z", shortened: false, author: "Budi" },
    in_tier: { since: "2026-03-02T02:00:00Z", wall_minutes: 90, business_minutes: 75 },
  },
  sla: [
    { target: "resolution", state: "breached", due_at: "2026-03-02T03:00:00Z", threshold: null },
    { target: "first_response", state: "warning", due_at: "2026-03-02T04:00:00Z", threshold: 0.75 },
    { target: "tier_budget", state: "breached", due_at: null, threshold: null },
  ],
  next_due: { target: "next_response", at: "2026-03-02T05:00:00Z" },
  why: {
    kind: "deadline",
    rule: "Penyelesaian terlewati",
    event: "sla.breached",
    target: "resolution",
    threshold: null,
    minutes: null,
  },
  from_tier: 1,
  to_tier: 2,
};

const EMPTY: Handoff = {
  ...FULL,
  asked: { first: null, latest: null },
  done: {
    last_reply: null,
    notes_count: 0,
    latest_note: null,
    in_tier: { since: FULL.done.in_tier!.since, wall_minutes: 5, business_minutes: null },
  },
  sla: [],
  next_due: null,
};

const WHYS: Handoff["why"][] = [
  FULL.why,
  { kind: "rule", rule: "Angry customer", event: "sentiment.negative", target: null, threshold: null, minutes: null },
  { kind: "rule", rule: "Idle", event: "ticket.idle", target: null, threshold: null, minutes: 240 },
  { kind: "deadline", rule: "Ladder", event: "sla.warning", target: "first_response", threshold: 0.5, minutes: null },
  {
    kind: "deadline",
    rule: "Budget",
    event: "tier.budget_exceeded",
    target: "tier_budget",
    threshold: null,
    minutes: null,
  },
  { kind: "customer", reason: "too_slow", words: "Sudah dua hari tidak ada jawaban" },
  { kind: "customer", reason: "wants_supervisor", words: null },
  { kind: "routing", reason: "missing_skill" },
];

describe.each(LANGS)("the automatic handoff in %s", (lng) => {
  it("reads as sentences in every section, for every cause and with parts missing, with no raw key", () => {
    const t = tr[lng];
    for (const base of [FULL, EMPTY])
      for (const why of WHYS) {
        const sections = handoffSections({ ...base, why }, t, lng);
        expect(sections.map((s) => s.id)).toEqual(["why", "asked", "done", "sla"]);
        for (const s of sections) {
          expect(s.title).not.toMatch(RAW);
          expect(s.lines.length).toBeGreaterThan(0);
          for (const line of s.lines) expect(line).not.toMatch(RAW);
        }
      }
    expect([...missing[lng]!]).toEqual([]);
  });

  it("says what the next level needs: the customer's words, the reply, the notes, time in tier, SLA and why", () => {
    const text = handoffSections(FULL, tr[lng], lng)
      .flatMap((s) => s.lines)
      .join("\n");
    for (const words of [
      "Kartu saya ditolak saat membayar tagihan Maret…",
      "Masih gagal. Tolong segera dibantu!",
      "Kami sedang memeriksa transaksi Anda.",
      "Gateway returns 502",
      "Checked the card BIN",
      "Penyelesaian terlewati",
    ])
      expect(text).toContain(words);
    if (lng === "en") {
      expect(text).toContain("Moved by a deadline (rule “Penyelesaian terlewati”): The resolution target was missed.");
      expect(text).toContain("Internal notes: 2.");
      expect(text).toContain("In tier 1 for 1h 30m (1h 15m in business hours).");
      expect(text).toMatch(/Resolution: missed, due /);
      expect(text).toMatch(/First response: at risk \(75% used\), due /);
      expect(text).toMatch(/Next deadline: next response, /);
    } else {
      expect(text).toContain(
        "Dipindahkan karena tenggat (aturan “Penyelesaian terlewati”): Target penyelesaian terlewati.",
      );
      expect(text).toContain("Catatan internal: 2.");
      expect(text).toContain("Di tier 1 selama 1j 30m (1j 15m dalam jam kerja).");
      expect(text).toMatch(/Respons pertama: berisiko \(75% terpakai\), tenggat /);
    }
  });

  it("the 'escalated to you' notification says why and quotes the customer, in the same words", () => {
    const t = tr[lng];
    const n = notificationText(
      {
        kind: "escalated",
        title: "#7 escalated to you: Printer",
        body: "x",
        params: {
          number: 7,
          subject: "Printer",
          from_tier: 1,
          to_tier: 2,
          reason: "customer_request",
          note: null,
          why: "customer",
          rule: null,
          event: null,
          target: null,
          threshold: null,
          minutes: null,
          request_reason: "too_slow",
          words: "Sudah dua hari",
          asked: "Printer mati total",
        },
      },
      t,
    );
    expect(n.body).not.toMatch(RAW);
    expect(n.body).toContain("“Sudah dua hari”");
    expect(n.body).toContain("“Printer mati total”");
    expect(n.body).toContain(lng === "en" ? "The customer asked for escalation" : "Pelanggan meminta eskalasi");
    expect([...missing[lng]!]).toEqual([]);
  });
});
