import { describe, expect, it } from "vitest";
import { addBusinessMinutes, explainDue, formatBusinessDuration } from "./index.ts";
import { JAKARTA_ID, officeCalendar, wib } from "./test-calendars.ts";

const plain = officeCalendar("Asia/Jakarta");

describe("explainDue", () => {
  it("explains a deadline over the night in English and Indonesian", () => {
    const start = wib("2026-03-02 15:00");
    const due = addBusinessMinutes(plain, start, 240);
    expect(explainDue(plain, start, 240, due, "en")).toBe(
      "due Tue 10:00 WIB: 4 business hours from Mon 15:00; closed 17:00-08:00",
    );
    expect(explainDue(plain, start, 240, due, "id")).toBe(
      "jatuh tempo Sel 10:00 WIB: 4 jam kerja sejak Sen 15:00; tutup 17:00-08:00",
    );
  });

  it("mentions lunch, weekends and skipped holidays with their names", () => {
    const start = wib("2026-12-23 15:00");
    const due = addBusinessMinutes(JAKARTA_ID, start, 360);
    expect(due).toEqual(wib("2026-12-28 12:00"));
    expect(explainDue(JAKARTA_ID, start, 360, due, "en")).toBe(
      "due Mon 12:00 WIB: 6 business hours from Wed 15:00; closed Wed 17:00-Mon 08:00; holidays 2026-12-24 (Collective leave: Christmas), 2026-12-25 (Christmas Day)",
    );
    expect(explainDue(JAKARTA_ID, start, 360, due, "id")).toContain(
      "libur 2026-12-24 (Cuti bersama Kelahiran Yesus Kristus), 2026-12-25 (Kelahiran Yesus Kristus)",
    );
  });

  it("mentions paused business time", () => {
    const start = wib("2026-03-02 09:00");
    const pauses = [{ from: wib("2026-03-02 10:00"), to: wib("2026-03-02 11:30") }];
    const due = addBusinessMinutes(plain, start, 120, pauses);
    expect(due).toEqual(wib("2026-03-02 13:30"));
    expect(explainDue(plain, start, 120, due, "en", pauses)).toBe(
      "due Mon 13:30 WIB: 2 business hours from Mon 09:00; closed 12:00-13:00; paused 1 business hour 30 min",
    );
    expect(explainDue(plain, start, 120, due, "id", pauses)).toContain("dijeda 1 jam 30 menit kerja");
  });

  it("uses Intl's short name outside Indonesia and dates for long spans", () => {
    const berlin = officeCalendar("Europe/Berlin");
    const start = new Date("2026-03-27T14:00:00Z");
    expect(explainDue(berlin, start, 90, addBusinessMinutes(berlin, start, 90), "en")).toBe(
      "due Fri 16:30 CET: 1 business hour 30 min from Fri 15:00",
    );
    const long = explainDue(berlin, start, 20 * 480, addBusinessMinutes(berlin, start, 20 * 480), "en");
    expect(long).toMatch(/^due Fri 2026-04-24 15:00 CEST: 160 business hours from Fri 2026-03-27 15:00 CET; closed /);
  });

  it("is deterministic", () => {
    const start = wib("2026-03-02 15:00");
    const due = addBusinessMinutes(plain, start, 240);
    expect(explainDue(plain, start, 240, due, "en")).toBe(explainDue(plain, start, 240, due, "en"));
  });
});

describe("formatBusinessDuration", () => {
  it.each([
    [1, "en", "1 business minute"],
    [45, "en", "45 business minutes"],
    [60, "en", "1 business hour"],
    [90, "id", "1 jam 30 menit kerja"],
    [240, "id", "4 jam kerja"],
    [0.5, "id", "0.5 menit kerja"],
  ] as const)("%d min in %s", (minutes, lang, text) => {
    expect(formatBusinessDuration(minutes, lang)).toBe(text);
  });
});
