/**
 * Indonesian public holidays (libur nasional) and collective leave (cuti bersama), referenced
 * from calendars as `holiday_sets`. 2026 follows SKB 3 Menteri No. 1497/2025, 2/2025, 5/2025
 * (17 national holidays, 8 cuti bersama days).
 */

export interface HolidayEntry {
  date: string;
  name: { id: string; en: string };
}

export interface HolidaySet {
  name: { id: string; en: string };
  dates: readonly HolidayEntry[];
}

const h = (date: string, id: string, en: string): HolidayEntry => ({ date, name: { id, en } });

const NATIONAL_2026: readonly HolidayEntry[] = [
  h("2026-01-01", "Tahun Baru 2026 Masehi", "New Year's Day"),
  h("2026-01-16", "Isra Mikraj Nabi Muhammad SAW", "Isra and Mi'raj"),
  h("2026-02-17", "Tahun Baru Imlek 2577 Kongzili", "Chinese New Year"),
  h("2026-03-19", "Hari Suci Nyepi Tahun Baru Saka 1948", "Nyepi (Saka New Year)"),
  h("2026-03-21", "Idulfitri 1447 H", "Eid al-Fitr"),
  h("2026-03-22", "Idulfitri 1447 H", "Eid al-Fitr (day 2)"),
  h("2026-04-03", "Wafat Yesus Kristus", "Good Friday"),
  h("2026-04-05", "Kebangkitan Yesus Kristus (Paskah)", "Easter Sunday"),
  h("2026-05-01", "Hari Buruh Internasional", "International Labour Day"),
  h("2026-05-14", "Kenaikan Yesus Kristus", "Ascension Day"),
  h("2026-05-27", "Iduladha 1447 H", "Eid al-Adha"),
  h("2026-05-31", "Hari Raya Waisak 2570 BE", "Vesak Day"),
  h("2026-06-01", "Hari Lahir Pancasila", "Pancasila Day"),
  h("2026-06-16", "1 Muharam Tahun Baru Islam 1448 H", "Islamic New Year"),
  h("2026-08-17", "Proklamasi Kemerdekaan", "Independence Day"),
  h("2026-08-25", "Maulid Nabi Muhammad SAW", "Prophet Muhammad's Birthday"),
  h("2026-12-25", "Kelahiran Yesus Kristus", "Christmas Day"),
];

const CUTI_BERSAMA_2026: readonly HolidayEntry[] = [
  h("2026-02-16", "Cuti bersama Tahun Baru Imlek", "Collective leave: Chinese New Year"),
  h("2026-03-18", "Cuti bersama Hari Suci Nyepi", "Collective leave: Nyepi"),
  h("2026-03-20", "Cuti bersama Idulfitri", "Collective leave: Eid al-Fitr"),
  h("2026-03-23", "Cuti bersama Idulfitri", "Collective leave: Eid al-Fitr"),
  h("2026-03-24", "Cuti bersama Idulfitri", "Collective leave: Eid al-Fitr"),
  h("2026-05-15", "Cuti bersama Kenaikan Yesus Kristus", "Collective leave: Ascension Day"),
  h("2026-05-28", "Cuti bersama Iduladha", "Collective leave: Eid al-Adha"),
  h("2026-12-24", "Cuti bersama Kelahiran Yesus Kristus", "Collective leave: Christmas"),
];

// PROVISIONAL: the 2027 lists follow the expected government decree (SKB 3 Menteri for 2027) and are
// estimated from the lunar/lunisolar calendars; check them against the decree when it is published
// and correct the dates here (calendars referencing the set pick up the change on recompute).
const NATIONAL_2027: readonly HolidayEntry[] = [
  h("2027-01-01", "Tahun Baru 2027 Masehi", "New Year's Day"),
  h("2027-01-05", "Isra Mikraj Nabi Muhammad SAW", "Isra and Mi'raj"),
  h("2027-02-06", "Tahun Baru Imlek 2578 Kongzili", "Chinese New Year"),
  h("2027-03-09", "Hari Suci Nyepi Tahun Baru Saka 1949", "Nyepi (Saka New Year)"),
  h("2027-03-10", "Idulfitri 1448 H", "Eid al-Fitr"),
  h("2027-03-11", "Idulfitri 1448 H", "Eid al-Fitr (day 2)"),
  h("2027-03-26", "Wafat Yesus Kristus", "Good Friday"),
  h("2027-03-28", "Kebangkitan Yesus Kristus (Paskah)", "Easter Sunday"),
  h("2027-05-01", "Hari Buruh Internasional", "International Labour Day"),
  h("2027-05-06", "Kenaikan Yesus Kristus", "Ascension Day"),
  h("2027-05-17", "Iduladha 1448 H", "Eid al-Adha"),
  h("2027-05-20", "Hari Raya Waisak 2571 BE", "Vesak Day"),
  h("2027-06-01", "Hari Lahir Pancasila", "Pancasila Day"),
  h("2027-06-06", "1 Muharam Tahun Baru Islam 1449 H", "Islamic New Year"),
  h("2027-08-15", "Maulid Nabi Muhammad SAW", "Prophet Muhammad's Birthday"),
  h("2027-08-17", "Proklamasi Kemerdekaan", "Independence Day"),
  h("2027-12-25", "Kelahiran Yesus Kristus", "Christmas Day"),
];

const CUTI_BERSAMA_2027: readonly HolidayEntry[] = [
  h("2027-03-08", "Cuti bersama Hari Suci Nyepi", "Collective leave: Nyepi"),
  h("2027-03-12", "Cuti bersama Idulfitri", "Collective leave: Eid al-Fitr"),
  h("2027-03-15", "Cuti bersama Idulfitri", "Collective leave: Eid al-Fitr"),
  h("2027-05-07", "Cuti bersama Kenaikan Yesus Kristus", "Collective leave: Ascension Day"),
  h("2027-12-24", "Cuti bersama Kelahiran Yesus Kristus", "Collective leave: Christmas"),
];

/** Holiday sets a calendar may reference by id in `holiday_sets`. */
export const HOLIDAY_SETS: Readonly<Record<string, HolidaySet>> = {
  "id-national-2026": {
    name: { id: "Libur nasional 2026", en: "Indonesian public holidays 2026" },
    dates: NATIONAL_2026,
  },
  "id-cuti-bersama-2026": {
    name: { id: "Cuti bersama 2026", en: "Indonesian collective leave 2026" },
    dates: CUTI_BERSAMA_2026,
  },
  "id-national-2027": {
    name: { id: "Libur nasional 2027 (sementara)", en: "Indonesian public holidays 2027 (provisional)" },
    dates: NATIONAL_2027,
  },
  "id-cuti-bersama-2027": {
    name: { id: "Cuti bersama 2027 (sementara)", en: "Indonesian collective leave 2027 (provisional)" },
    dates: CUTI_BERSAMA_2027,
  },
};

/** The holiday entry for a local date in any of the given sets, for explanations. */
export function holidayName(setIds: readonly string[], date: string): HolidayEntry["name"] | undefined {
  for (const id of setIds) {
    const found = HOLIDAY_SETS[id]?.dates.find((d) => d.date === date);
    if (found) return found.name;
  }
  return undefined;
}
