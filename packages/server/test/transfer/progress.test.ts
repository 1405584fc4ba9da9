import { describe, expect, it } from "vitest";
import { progressLine, startProgress } from "../../src/lib/progress.ts";

function fakeStream(isTTY = false) {
  const chunks: string[] = [];
  return { chunks, isTTY, write: (c: string) => chunks.push(c), text: () => chunks.join("") };
}

describe("progress of a long command", () => {
  it("words a plain line with the count, the rate and the time left", () => {
    expect(progressLine("seed", "tickets", 120_000, 1_000_000, 8_000)).toBe(
      "seed: 120000/1000000 tickets, 15000/s, about 59 s left",
    );
    expect(progressLine("export", "tickets", 500, undefined, 1_000)).toBe("export: 500 tickets, 500/s");
    expect(progressLine("import", "tickets", 10, 100_000, 1_000)).toMatch(/about 2\.8 h left$/);
    expect(progressLine("export", "tickets", 1, undefined, 1_000)).toBe("export: 1 ticket, 1/s");
    expect(progressLine("migrate", "migrations", 0, 1, 1_000)).toBe("migrate: 0/1 migration, 0/s");
  });

  it("says one thing singular in its summary, and none or many plural", () => {
    for (const [n, text] of [
      [1, "erase: 1 ticket in 1.0 s (1/s)"],
      [0, "erase: 0 tickets in 1.0 s"],
      [2, "erase: 2 tickets in 1.0 s (2/s)"],
    ] as const) {
      let t = 0;
      const out = fakeStream(false);
      const p = startProgress("erase", { unit: "tickets", stream: out, now: () => t });
      p.update(n);
      t = 1000;
      expect(p.finish()).toBe(text);
    }
  });

  it("off a terminal, writes a line every interval as the count moves, and a summary at the end", () => {
    let t = 0;
    const out = fakeStream(false);
    const p = startProgress("seed", { total: 1000, unit: "tickets", stream: out, intervalMs: 3000, now: () => t });
    for (let i = 1; i <= 10; i++) {
      t += 1000;
      p.update(i * 100);
    }
    const summary = p.finish();
    const lines = out.text().trim().split("\n");
    // 10 s of work at a line every 3 s: three periodic lines, then the summary.
    expect(lines).toEqual([
      "seed: 300/1000 tickets, 100/s, about 7 s left",
      "seed: 600/1000 tickets, 100/s, about 4 s left",
      "seed: 900/1000 tickets, 100/s, about 1 s left",
      "seed: 1000 tickets in 10.0 s (100/s)",
    ]);
    expect(summary).toBe(lines.at(-1));
    p.update(2000);
    expect(out.chunks).toHaveLength(4);
  });

  it("on a terminal, draws a bar with the count and the rate", () => {
    const out = Object.assign(fakeStream(true), { cursorTo() {}, clearLine() {}, moveCursor() {}, columns: 120 });
    const p = startProgress("export", { total: 50, unit: "tickets", stream: out });
    p.update(25);
    p.finish("export: done");
    expect(out.text()).toMatch(/export \[.*\] 25\/50 tickets \| \d+\/s/);
    expect(out.text()).toMatch(/export: done\n$/);
  });
});
