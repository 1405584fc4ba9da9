import { describe, expect, it } from "vitest";
import { createGroupCommit, type Settled } from "./group-commit.ts";

/** A run the test finishes by hand, recording the groups it was given. */
function manualRun() {
  const groups: number[][] = [];
  const finish: (() => void)[] = [];
  const run = (items: number[]) =>
    new Promise<Settled<string>[]>((resolve) => {
      groups.push(items);
      finish.push(() =>
        resolve(items.map((i) => (i < 0 ? { ok: false, error: new Error(`bad ${i}`) } : { ok: true, value: `v${i}` }))),
      );
    });
  return { groups, finish, run };
}

const turn = () => new Promise((r) => setImmediate(r));

describe("group commit", () => {
  it("starts a lone item at once, and gathers what arrives meanwhile into the next group", async () => {
    const m = manualRun();
    const gc = createGroupCommit({ max: 10, inFlight: 1, run: m.run });
    const first = gc.submit(1);
    await turn();
    expect(m.groups).toEqual([[1]]);
    const rest = [2, 3, 4].map((i) => gc.submit(i));
    await turn();
    expect(m.groups).toHaveLength(1); // one in flight: the others wait for it
    m.finish[0]!();
    expect(await first).toBe("v1");
    await turn();
    expect(m.groups[1]).toEqual([2, 3, 4]);
    m.finish[1]!();
    expect(await Promise.all(rest)).toEqual(["v2", "v3", "v4"]);
  });

  it("keeps groups within max and runs at most inFlight at once", async () => {
    const m = manualRun();
    const gc = createGroupCommit({ max: 3, inFlight: 2, run: m.run });
    const all = Array.from({ length: 8 }, (_, i) => gc.submit(i));
    await turn();
    expect(m.groups).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    m.finish[0]!();
    await turn();
    expect(m.groups[2]).toEqual([6, 7]);
    m.finish[1]!();
    m.finish[2]!();
    expect(await Promise.all(all)).toEqual(["v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7"]);
  });

  it("gives each caller its own outcome, and a failed run's error to all of its group", async () => {
    const m = manualRun();
    const gc = createGroupCommit({ max: 10, inFlight: 1, run: m.run });
    const [a, b] = [gc.submit(5), gc.submit(-1)];
    await turn();
    m.finish[0]!();
    expect(await a).toBe("v5");
    await expect(b).rejects.toThrow("bad -1");

    const broken = createGroupCommit<number, string>({
      max: 10,
      inFlight: 1,
      run: () => Promise.reject(new Error("down")),
    });
    const results = await Promise.allSettled([broken.submit(1), broken.submit(2)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    // It goes on taking work after a failure.
    const ok = createGroupCommit<number, string>({
      max: 10,
      inFlight: 1,
      run: async (xs) => xs.map((x) => ({ ok: true, value: String(x) })),
    });
    expect(await ok.submit(7)).toBe("7");
  });
});
