import { describe, expect, it } from "vitest";
import { en, id } from "./index.ts";

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]): [string, string][] =>
    typeof v === "string" ? [[`${prefix}${k}`, v]] : leaves(v, `${prefix}${k}.`),
  );
}

describe("interface sentences", () => {
  it("every sentence exists in both Indonesian and English, and none is empty", () => {
    // Indonesian has no plural forms: English's `_one`/`_other` pair is one `_other` (or bare) key there.
    const base = (k: string) => k.replace(/_(one|other)$/, "");
    const idKeys = new Map(leaves(id).map(([k, v]) => [base(k), v]));
    const enKeys = new Map(leaves(en).map(([k, v]) => [base(k), v]));
    expect([...enKeys.keys()].filter((k) => !idKeys.has(k))).toEqual([]);
    expect([...idKeys.keys()].filter((k) => !enKeys.has(k))).toEqual([]);
    expect([...idKeys, ...enKeys].filter(([, v]) => v.trim() === "").map(([k]) => k)).toEqual([]);
  });
});
