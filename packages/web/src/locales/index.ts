import idBase from "./id.json";
import enBase from "./en.json";

/**
 * The interface's sentences: the shared files (`id.json`, `en.json`) plus one pair per feature
 * under `features/` (`reports.id.json`, `reports.en.json`), each holding its own top-level key, so
 * that features add sentences without touching each other's.
 */
type Tree = { [key: string]: string | Tree };

const featureFiles = import.meta.glob<Tree>("./features/*.json", { eager: true, import: "default" });

function merge(target: Tree, source: Tree, where: string): Tree {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (existing !== undefined && (typeof existing === "string" || typeof value === "string")) {
      throw new Error(`Locale key ${where}${key} is defined twice`);
    }
    target[key] = existing === undefined ? value : merge({ ...(existing as Tree) }, value as Tree, `${where}${key}.`);
  }
  return target;
}

function build(lang: "id" | "en", base: Tree): Tree {
  let out: Tree = { ...base };
  for (const [path, tree] of Object.entries(featureFiles)) {
    if (path.endsWith(`.${lang}.json`)) out = merge(out, tree, "");
  }
  return out;
}

export const id: Tree = build("id", idBase as Tree);
export const en: Tree = build("en", enBase as Tree);
