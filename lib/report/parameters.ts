/**
 * Notebook parameters, papermill's convention on a TypeScript kernel. A notebook's cell tagged
 * `parameters` declares each settable value as `let NAME: TYPE = default;` (one per line); a run
 * with `--set NAME=VALUE` gets a cell tagged `injected-parameters` right after it that assigns
 * the new values, so every later cell sees them. Values are checked against the declared type
 * before any cell runs.
 */
import { InputError } from "../common/errors";
import { checkDataSource } from "../data/sources";
import { makeConfig } from "../mlp/config";

export interface NotebookCell {
  cell_type: string;
  source: string | string[];
  metadata?: { tags?: string[] };
}

/** Declared parameters of a parameters cell: name -> its TypeScript type as written. */
export function declaredParameters(source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of source.matchAll(/^let\s+([A-Za-z_$][\w$]*)\s*:\s*([^=]+?)\s*=/gm)) out.set(m[1], m[2]);
  return out;
}

const text = (c: NotebookCell) => (Array.isArray(c.source) ? c.source.join("") : c.source);

/** The index of the cell tagged `parameters`, or -1. */
export function parametersCellIndex(cells: NotebookCell[]): number {
  return cells.findIndex((c) => c.cell_type === "code" && (c.metadata?.tags ?? []).includes("parameters"));
}

export function notebookParameters(cells: NotebookCell[]): Map<string, string> {
  const i = parametersCellIndex(cells);
  return i < 0 ? new Map() : declaredParameters(text(cells[i]));
}

/** "NAME=VALUE" as given on the command line. */
export function parseSetting(arg: string): { name: string; raw: string } {
  const at = arg.indexOf("=");
  if (at <= 0) throw new InputError(`--set ${arg} is not of the form NAME=VALUE (e.g. --set h=64).`);
  return { name: arg.slice(0, at).trim(), raw: arg.slice(at + 1) };
}

/**
 * The TypeScript literal for `raw` if it fits `type` (a union of number, boolean, string, null,
 * undefined, "string literals" and number[]); otherwise an InputError naming both.
 */
export function literalFor(name: string, raw: string, type: string): string {
  for (const alt of type.split("|").map((t) => t.trim())) {
    if (alt === "number") {
      const v = Number(raw);
      if (raw.trim() !== "" && Number.isFinite(v)) return String(v);
    } else if (alt === "boolean") {
      if (raw === "true" || raw === "false") return raw;
    } else if (alt === "null" || alt === "undefined") {
      if (raw === alt) return raw;
    } else if (alt === "string") {
      return JSON.stringify(raw);
    } else if (/^(["']).*\1$/.test(alt)) {
      if (raw === alt.slice(1, -1)) return JSON.stringify(raw);
    } else if (alt === "number[]") {
      try {
        const v = JSON.parse(raw);
        if (Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isFinite(x))) return JSON.stringify(v);
      } catch {
        // not JSON: try the other alternatives
      }
    }
  }
  throw new InputError(`--set ${name}=${raw}: ${JSON.stringify(raw)} is not a value of ${name}'s type, ${type}.`);
}

/**
 * What a parameter's value must be beyond its type, for the names the notebooks share: checked
 * before any notebook runs, so a bad value is one sentence, not a failed cell.
 */
const wholeFrom = (min: number) => (v: unknown) =>
  Number.isSafeInteger(v) && (v as number) >= min ? null : `expected a whole number >= ${min}`;
/** The sentence a check throws, without its full stop, or null when it passes. */
const problemOf = (check: () => void): string | null => {
  try {
    check();
    return null;
  } catch (e) {
    return (e as Error).message.replace(/\.$/, "");
  }
};
const VALUE_CHECKS: Record<string, (v: unknown) => string | null> = {
  DATA: (v) => problemOf(() => checkDataSource(String(v))),
  SEED: wholeFrom(0),
  WORKERS: (v) => (v === undefined ? null : wholeFrom(1)(v)),
  MISTAKES_COUNT: wholeFrom(0),
  FIGURE4_COUNT: wholeFrom(0),
  TILE_SCALE: wholeFrom(1),
  ...Object.fromEntries(
    (["h", "lr", "lambda", "keepProb", "batch", "epochs"] as const).map((field) => [
      field,
      (v: unknown) => problemOf(() => makeConfig({ [field]: v })),
    ]),
  ),
};

/** An InputError when `literal` (as injected) is not a value `name` may take. */
function checkValue(name: string, raw: string, literal: string): void {
  const check = VALUE_CHECKS[name];
  const problem = check?.(literal === "undefined" ? undefined : JSON.parse(literal));
  if (problem) throw new InputError(`--set ${name}=${raw}: ${problem}.`);
}

/** The source of the injected cell for `values` (name -> literal). */
export function injectedSource(values: Map<string, string>): string {
  const lines = [...values].map(([name, literal]) => `${name} = ${literal};`);
  return (
    `// Injected parameters (npm run report -- --set ...), after the notebook's parameters ` +
    `cell.\n${lines.join("\n")}\nundefined;`
  );
}

/**
 * Check `settings` against the parameters each notebook declares; returns, per notebook, the
 * injected cell's source (or null when nothing applies to it). A name that no notebook declares
 * and a value of the wrong type are refused here, before anything runs.
 */
export function planInjection(
  notebooks: { name: string; cells: NotebookCell[] }[],
  settings: string[],
): (string | null)[] {
  const parsed = settings.map(parseSetting);
  const declared = notebooks.map((nb) => notebookParameters(nb.cells));
  for (const { name, raw } of parsed) {
    const holders = notebooks.filter((_, i) => declared[i].has(name));
    if (holders.length === 0) {
      const known = [...new Set(declared.flatMap((d) => [...d.keys()]))].sort();
      throw new InputError(
        `--set ${name}: no parameter "${name}" in ${notebooks.map((n) => n.name).join(", ")}; the parameters are ` +
          `${known.join(", ") || "(none)"}.`,
      );
    }
    for (const [i] of notebooks.entries())
      if (declared[i].has(name)) checkValue(name, raw, literalFor(name, raw, declared[i].get(name)!));
  }
  return notebooks.map((_, i) => {
    const values = new Map<string, string>();
    for (const { name, raw } of parsed)
      if (declared[i].has(name)) values.set(name, literalFor(name, raw, declared[i].get(name)!));
    return values.size > 0 ? injectedSource(values) : null;
  });
}
