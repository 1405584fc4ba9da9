/** What the weekly digest says, before it is worded. */
export interface DigestFigures {
  from: string;
  to: string;
  rate: { created: number; escalated: number; rate: number | null };
  previousRate: { created: number; escalated: number; rate: number | null };
  sla: { achieved: number; breached: number; open: number };
  recurring: { label: string; tickets: number; escalations: number }[];
  training: { agent: string; category: string; escalations: number; tickets: number }[];
  problems: { number: number; title: string; status: string; openTickets: number }[];
}

const WORDS = {
  id: {
    subject: "Ringkasan eskalasi mingguan {{from}} – {{to}}",
    hello: "Halo {{name}},",
    intro: "Berikut ringkasan eskalasi tim dukungan untuk {{from}} sampai {{to}}.",
    rate: "Tingkat eskalasi: {{rate}} ({{escalated}} dari {{created}} tiket baru).",
    up: "Naik {{points}} poin dari minggu sebelumnya ({{previous}}).",
    down: "Turun {{points}} poin dari minggu sebelumnya ({{previous}}).",
    same: "Sama dengan minggu sebelumnya.",
    no_previous: "Minggu sebelumnya tidak ada tiket baru untuk dibandingkan.",
    no_tickets: "Tidak ada tiket baru minggu ini.",
    sla: "Pencapaian SLA: {{share}} tenggat terpenuhi ({{achieved}} terpenuhi, {{breached}} terlewat, {{open}} masih berjalan).",
    sla_none: "Pencapaian SLA: belum ada tenggat yang selesai atau terlewat minggu ini.",
    recurring: "Masalah yang berulang:",
    recurring_row: "- {{label}}: {{tickets}} tiket, {{escalations}} eskalasi",
    recurring_none: "Masalah yang berulang: tidak ada kelompok tiket serupa yang terus dieskalasi.",
    training: "Kebutuhan pelatihan:",
    training_row:
      "- {{agent}}, kategori {{category}}: {{escalations}} dari {{tickets}} tiket dieskalasi karena keahlian kurang atau terlalu rumit",
    training_none: "Kebutuhan pelatihan: tidak ada agen yang menonjol minggu ini.",
    problems: "Masalah yang masih terbuka:",
    problems_row: "- #{{number}} {{title}} ({{status}}), {{open}} tiket terbuka",
    problems_none: "Masalah yang masih terbuka: tidak ada.",
    status: { investigating: "sedang diselidiki", known_error: "kesalahan yang diketahui", fixed: "sudah diperbaiki" },
    more: "Rincian lengkap ada di halaman tinjauan eskalasi: {{url}}",
    bye: "Salam,\nEskala",
  },
  en: {
    subject: "Weekly escalation digest {{from}} – {{to}}",
    hello: "Hello {{name}},",
    intro: "Here is the support team's escalation summary for {{from}} to {{to}}.",
    rate: "Escalation rate: {{rate}} ({{escalated}} of {{created}} new tickets).",
    up: "Up {{points}} points from the week before ({{previous}}).",
    down: "Down {{points}} points from the week before ({{previous}}).",
    same: "The same as the week before.",
    no_previous: "The week before had no new tickets to compare with.",
    no_tickets: "No new tickets this week.",
    sla: "SLA attainment: {{share}} of deadlines met ({{achieved}} met, {{breached}} missed, {{open}} still running).",
    sla_none: "SLA attainment: no deadline was met or missed this week.",
    recurring: "Recurring problems:",
    recurring_row: "- {{label}}: {{tickets}} tickets, {{escalations}} escalations",
    recurring_none: "Recurring problems: no group of similar tickets keeps escalating.",
    training: "Training needs:",
    training_row:
      "- {{agent}}, category {{category}}: {{escalations}} of {{tickets}} tickets escalated for a missing skill or as too complex",
    training_none: "Training needs: no agent stands out this week.",
    problems: "Open problems:",
    problems_row: "- #{{number}} {{title}} ({{status}}), {{open}} open tickets",
    problems_none: "Open problems: none.",
    status: { investigating: "investigating", known_error: "known error", fixed: "fixed" },
    more: "The full figures are on the escalation review page: {{url}}",
    bye: "Kind regards,\nEskala",
  },
} as const;

const fill = (s: string, vars: Record<string, string | number>) =>
  s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(vars[k] ?? ""));

/** The digest in one language: a subject and the lines of its text. */
export function digestText(
  lang: "id" | "en",
  f: DigestFigures,
  vars: { name: string; reviewUrl: string },
): { subject: string; lines: string[] } {
  const w = WORDS[lang];
  const locale = lang === "id" ? "id-ID" : "en-GB";
  const pct = (x: number) => new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(x);
  const num = (x: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(x);
  const date = (d: string) =>
    new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(
      new Date(`${d}T00:00:00Z`),
    );
  const period = { from: date(f.from), to: date(f.to) };
  const lines: string[] = [fill(w.hello, { name: vars.name }), "", fill(w.intro, period), ""];

  if (f.rate.rate === null) lines.push(w.no_tickets);
  else {
    lines.push(fill(w.rate, { rate: pct(f.rate.rate), escalated: f.rate.escalated, created: f.rate.created }));
    if (f.previousRate.rate === null) lines.push(w.no_previous);
    else {
      const points = Math.round((f.rate.rate - f.previousRate.rate) * 1000) / 10;
      const change = { points: num(Math.abs(points)), previous: pct(f.previousRate.rate) };
      lines.push(points > 0 ? fill(w.up, change) : points < 0 ? fill(w.down, change) : w.same);
    }
  }
  lines.push("");
  const decided = f.sla.achieved + f.sla.breached;
  lines.push(
    decided === 0
      ? w.sla_none
      : fill(w.sla, {
          share: pct(f.sla.achieved / decided),
          achieved: f.sla.achieved,
          breached: f.sla.breached,
          open: f.sla.open,
        }),
  );
  lines.push("");
  if (f.recurring.length === 0) lines.push(w.recurring_none);
  else lines.push(w.recurring, ...f.recurring.map((r) => fill(w.recurring_row, r)));
  lines.push("");
  if (f.training.length === 0) lines.push(w.training_none);
  else lines.push(w.training, ...f.training.map((r) => fill(w.training_row, r)));
  lines.push("");
  if (f.problems.length === 0) lines.push(w.problems_none);
  else
    lines.push(
      w.problems,
      ...f.problems.map((p) =>
        fill(w.problems_row, {
          number: p.number,
          title: p.title,
          status: w.status[p.status as keyof typeof w.status] ?? w.status.investigating,
          open: p.openTickets,
        }),
      ),
    );
  lines.push("", fill(w.more, { url: vars.reviewUrl }), "", w.bye);
  return { subject: fill(w.subject, period), lines };
}
