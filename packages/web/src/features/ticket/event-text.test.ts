import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import i18next, { type TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { en, id } from "../../locales/index.ts";
import { handoffNoteText, NOTIFICATION_KINDS, notificationText } from "../notifications/notification-text.ts";
import { describeEvent, eventLabel, TIMELINE_EVENT_TYPES, type Names } from "./event-text.ts";

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

const AGENT = "11111111-1111-4111-8111-111111111111";
const GROUP = "22222222-2222-4222-8222-222222222222";
const names: Names = {
  users: new Map([[AGENT, "Siti Rahma"]]),
  groups: new Map([[GROUP, "Technical"]]),
  categories: new Map(),
};

/** What the server writes for each event type, with the richer variants of some. */
const SAMPLES: Record<(typeof TIMELINE_EVENT_TYPES)[number], Record<string, unknown>[]> = {
  "whatsapp.status": [
    { status: "delivered", wamid: "wamid.1" },
    { status: "read", wamid: "wamid.1" },
    { status: "failed", wamid: "wamid.1", error: "(#131047) Re-engagement message" },
  ],
  "whatsapp.failed": [
    { error: "HTTP 500: (#131000) Something went wrong", attempt: 1, final: false, kind: "agent.reply" },
    { error: "HTTP 500", attempt: 10, final: true, kind: "ticket.solved" },
  ],
  "whatsapp.media_failed": [
    { error: "HTTP 404", attempt: 1, final: false, filename: "Bukti transfer" },
    { error: "HTTP 404", attempt: 10, final: true, filename: "Bukti transfer" },
  ],
  "ticket.created": [{ channel: "email", priority: "medium", tier: 1, group_id: GROUP }],
  "ticket.imported": [{ channel: "api", imported_at: "2026-03-01T00:00:00Z" }],
  "ticket.updated": [
    { changes: { status: ["open", "pending"], priority: ["medium", "high"], assignee_id: [null, AGENT] } },
    {
      changes: { group_id: [GROUP, "33333333-3333-4333-8333-333333333333"], tags: [["a"], ["a", "vip"]] },
      rule_id: "r",
      rule_name: "VIP first",
    },
    { changes: { category_id: [null, "44444444-4444-4444-8444-444444444444"], resolution_code: [null, "fixed"] } },
    { changes: { collaborator_ids: [[], [AGENT]] } },
    { changes: { collaborator_ids: [[AGENT, "66666666-6666-4666-8666-666666666666"], []] } },
    {},
    {
      changes: { priority: ["medium", "high"], group_id: [null, GROUP] },
      fields: ["priority", "group_id"],
      by_import: true,
    },
    { changes: {}, fields: ["description"], by_import: true },
  ],
  "ticket.idle": [{ minutes: 240, since: "2026-03-01T00:00:00Z", due_at: "2026-03-01T04:00:00Z" }, {}],
  "message.added": [
    { message_id: "m", kind: "note", author_role: "agent", mentions: [AGENT, "55555555-5555-4555-8555-555555555555"] },
    { message_id: "m", kind: "reply", author_role: "customer", sentiment: -0.6 },
    { message_id: "m", kind: "reply", author_role: "agent" },
  ],
  escalated: [
    {
      type: "hierarchical",
      reason: "sla_breach",
      trigger: "rule",
      from_tier: 1,
      to_tier: 2,
      to_group_id: GROUP,
      to_group_name: "Technical",
      rule_name: "SLA breached: next tier",
    },
    {
      type: "de_escalation",
      reason: "other",
      reason_text: "Fixed on tier 2, back to frontline",
      from_tier: 2,
      to_tier: 1,
    },
    { type: "reassignment", reason: "missing_skill", from_tier: 2, to_tier: 2, to_group_id: GROUP },
    { type: "functional", reason: "missing_skill", from_tier: 1, to_tier: 1 },
  ],
  assigned: [
    { assignee_id: AGENT },
    { assignee_id: "66666666-6666-4666-8666-666666666666", reason: "agent_available" },
  ],
  "escalation.requested": [{ request_id: "r", reason: "too_slow" }, { request_id: "r" }],
  "escalation.acknowledged": [{ request_id: "r" }],
  "escalation_request.overdue": [{ request_id: "r" }],
  "sla.warning": [{ target: "first_response", threshold: 0.5 }, { target: "resolution" }],
  "sla.breached": [{ target: "resolution" }, { target: "periodic_update" }, {}],
  "tier.budget_exceeded": [{ target: "tier_budget", tier: 2, minutes: 120 }],
  "rule.fired": [{ rule_id: "r", rule_name: "VIP first" }, { rule_id: "r" }],
  "rule.action_failed": [
    { rule_id: "r", rule_name: "Next tier", action: "escalate", code: "invalid_transition", detail: "No tier above 3" },
  ],
  "rule.chain_stopped": [{ reason: "depth_exceeded", depth: 8 }],
  "csat.rated": [{ survey_id: "s", rating: 5, solved_tier: 1, escalated: false, has_comment: true }],
  "csat.low": [
    { survey_id: "s", rating: 1, comment: "Lama sekali" },
    { survey_id: "s", rating: 2, comment: null },
  ],
  "satisfaction.rated": [{ rating: 4 }],
  "ticket.linked": [
    { link_id: "l", key: "ENG-42", url: "https://x.test/ENG-42", title: "Login loop" },
    { link_id: "l", key: "ENG-43" },
  ],
  "ticket.unlinked": [{ link_id: "l", key: "ENG-42" }],
  "problem.linked": [{ problem_id: "p", problem_number: 7, title: "Gagal login setelah pembaruan" }],
  "problem.unlinked": [{ problem_id: "p", problem_number: 7, title: "Gagal login setelah pembaruan" }],
  "problem.known_error": [{ problem_id: "p", problem_number: 7, title: "Gagal login setelah pembaruan" }],
  "problem.fixed": [
    { problem_id: "p", problem_number: 7, title: "Gagal login setelah pembaruan", solved: true },
    { problem_id: "p", problem_number: 7, title: "Gagal login setelah pembaruan", solved: false },
  ],
  "issue.status_changed": [
    { link_id: "l", key: "ENG-42", status: "done", previous_status: "in_progress", integration: "jira" },
  ],
};

/** What must never reach a reader: JSON, raw keys and event names, empty interpolations. */
function expectReadable(text: string, where: string) {
  expect(text.trim(), where).not.toBe("");
  expect(text, where).not.toMatch(/[{}]|":|\[object|undefined|null|NaN/);
  // A dotted name (`ticket.idle`, `timeline.rated`) is a raw key or event type.
  expect(text, where).not.toMatch(/[a-z_]+\.[a-z_]+/i);
  // Snake-case words are raw values (`first_response`, `in_progress` aside from a title we were given).
  expect(text.replace(/in_progress/g, ""), where).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
}

describe.each(LANGS)("timeline in %s", (lng) => {
  it.each(TIMELINE_EVENT_TYPES)("%s has a label and a sentence for every variant", (type) => {
    const t = tr[lng];
    missing[lng]!.clear();
    expectReadable(eventLabel(type, t), `${type} label`);
    for (const data of SAMPLES[type])
      expectReadable(describeEvent({ type, data }, t, names), `${type} ${JSON.stringify(data)}`);
    expect([...missing[lng]!], "missing translations").toEqual([]);
  });

  it("a ticket a second import run changed says the import changed it, in both languages", () => {
    const data = { changes: { priority: ["medium", "high"] }, fields: ["priority"], by_import: true };
    expect(describeEvent({ type: "ticket.updated", data }, tr.en, names)).toBe(
      "Priority: Medium → High (updated by the import)",
    );
    expect(describeEvent({ type: "ticket.updated", data }, tr.id, names)).toMatch(/ \(diperbarui oleh impor\)$/);
    const other = { changes: {}, fields: ["description"], by_import: true };
    expect(describeEvent({ type: "ticket.updated", data: other }, tr.en, names)).toBe(
      "The import updated this ticket.",
    );
    expect(describeEvent({ type: "ticket.updated", data: other }, tr.id, names)).toBe("Impor memperbarui tiket ini.");
  });

  it("a collaborator edit names who was added and who was removed", () => {
    const t = tr[lng];
    const data = { changes: { collaborator_ids: [["66666666-6666-4666-8666-666666666666"], [AGENT]] } };
    expect(describeEvent({ type: "ticket.updated", data }, t, names)).toBe(
      lng === "id"
        ? `Kolaborator ditambahkan: Siti Rahma; Kolaborator dihapus: ${t("timeline.someone")}`
        : `Collaborator added: Siti Rahma; Collaborator removed: ${t("timeline.someone")}`,
    );
  });

  it("an event type, field or reason the app does not know reads as words, not its name and data", () => {
    const t = tr[lng];
    expectReadable(describeEvent({ type: "ticket.teleported", data: { to: { planet: "Mars" } } }, t, names), "type");
    expectReadable(eventLabel("ticket.teleported", t), "label");
    const field = { changes: { some_new_field: [{ a: 1 }, { b: 2 }] } };
    expectReadable(describeEvent({ type: "ticket.updated", data: field }, t, names), "field");
    const reason = { type: "functional", reason: "brand_new_reason", from_tier: 1, to_tier: 1 };
    expectReadable(describeEvent({ type: "escalated", data: reason }, t, names), "reason");
  });
});

describe.each(LANGS)("notifications in %s", (lng) => {
  it.each(NOTIFICATION_KINDS)("%s reads as a title and a sentence", (kind) => {
    const t = tr[lng];
    missing[lng]!.clear();
    const params: Record<string, string | number | null> =
      kind === "mention"
        ? { number: 42, subject: "Printer rusak", author: "Siti Rahma" }
        : kind === "escalated"
          ? {
              number: 42,
              subject: "Printer rusak",
              from_tier: 1,
              to_tier: 2,
              reason: "sla_breach",
              note: "Sudah cek log.",
            }
          : kind === "issue.status_changed"
            ? { number: 42, key: "ENG-42", status: "done", previous_status: "in progress" }
            : {
                number: 42,
                subject: "Printer rusak",
                rule: "SLA ladder 50%",
                event: kind,
                target: "first_response",
                percent: 50,
              };
    const text = notificationText({ kind, title: "English fallback", body: "English fallback", params }, t);
    expect(text.title).toContain("#42");
    expectReadable(text.title, `${kind} title`);
    expectReadable(text.body, `${kind} body`);
    expect(text.body).not.toBe("English fallback");
    expect([...missing[lng]!], "missing translations").toEqual([]);
  });

  it("a rule notice stored before params existed is read into a sentence", () => {
    const t = tr[lng];
    for (const body of ["sla.warning · first_response · 50%", "sla.breached · resolution", "ticket.idle"]) {
      const text = notificationText(
        { kind: body.split(" ")[0]!, title: "#7 Tangga SLA: Printer", body, params: {} },
        t,
      );
      expect(text.title).toBe("#7 Tangga SLA: Printer");
      expectReadable(text.body, body);
    }
    const old = notificationText({ kind: "sla.warning", title: "x", body: "sla.warning · first_response · 50%" }, t);
    expect(old.body).toBe(
      lng === "id" ? "50% waktu respons pertama sudah terpakai." : "50% of the first response time is used.",
    );
  });
});

describe.each(LANGS)("handoff notes in %s", (lng) => {
  it("a rule's old raw note is read into a sentence; a person's note is shown as written", () => {
    const t = tr[lng];
    const old = handoffNoteText("SLA terlewati: naik ke tier berikutnya: sla.breached (resolution)", t);
    expect(old).toBe(
      lng === "id"
        ? "SLA terlewati: naik ke tier berikutnya: Target penyelesaian terlewati."
        : "SLA terlewati: naik ke tier berikutnya: The resolution target was missed.",
    );
    expect(handoffNoteText("Sudah cek log: error 500 di api.v2 (OTP).", t)).toBe(
      "Sudah cek log: error 500 di api.v2 (OTP).",
    );
  });
});

describe("coverage", () => {
  it("every event type and notification kind the server writes has words here", () => {
    const written = new Set<string>();
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith(".ts") && !p.endsWith(".test.ts")) {
          const source = readFileSync(p, "utf8");
          // Timeline and rule events, and the kinds given to in-app notifications.
          for (const m of source.matchAll(/\btype: "([a-z_]+\.[a-z_.]+|escalated|assigned)"/g)) written.add(m[1]!);
          for (const m of source.matchAll(/(?:enqueueNotification|notify\?\.)\([^)]*?\bkind: "([a-z_.]+)"/g))
            written.add(m[1]!);
        }
      }
    };
    walk(join(__dirname, "../../../../server/src"));
    walk(join(__dirname, "../../../../core/src"));
    const worded = new Set<string>([...TIMELINE_EVENT_TYPES, ...NOTIFICATION_KINDS]);
    expect(written.size).toBeGreaterThan(15);
    expect([...written].filter((type) => !worded.has(type))).toEqual([]);
  });
});
