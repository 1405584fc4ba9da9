import { describe, expect, it } from "vitest";
import { stringify } from "csv-stringify/sync";
import { csvCell } from "../../src/reports/escalation-export.ts";
import { CSV_OPTIONS } from "../../src/reports/report-csv.ts";

describe("the escalation export's CSV cells", () => {
  it("are written exactly as csv-stringify writes them with Eskala's CSV options", () => {
    const cells = [
      null,
      undefined,
      "",
      "plain",
      "Tidak bisa login, lagi",
      'Gagal bayar, "kartu" ditolak\nlagi',
      "line\r\nbreak",
      "=SUM(A1)",
      "+62 812",
      "-5",
      "@admin",
      "\tindent",
      "\uFF1Dwide",
      "a'quote",
      0,
      -3.5,
      123.4,
      12345678,
      true,
      false,
    ];
    const { bom: _bom, header: _header, ...options } = CSV_OPTIONS;
    for (const cell of cells)
      expect(csvCell(cell), JSON.stringify(cell)).toBe(stringify([[cell, "x"]], options).replace(/,x\r\n$/, ""));
  });
});
