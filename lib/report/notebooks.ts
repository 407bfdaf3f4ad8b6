/**
 * The report's notebooks: one per section, in reading order. `npm run report` runs and renders
 * these and no other, `npm run notebook` signs no other, and the tests compare these. A reader's
 * own files in notebooks/ (an `Untitled.ipynb`, Jupyter's `.ipynb_checkpoints/`) are theirs: never
 * run, rendered or trusted. A new section is a new name here and a committed notebook of that name.
 */
import { lstatSync, readdirSync, statSync } from "fs";
import { join } from "path";
import { InputError } from "../common/errors";
import { changedSinceCommit } from "../common/git";

export const REPORT_NOTEBOOKS = [
  "00-overview",
  "01-model",
  "02-training",
  "03-testing",
  "04-visualization",
  "05-explore",
  "06-ablations",
] as const;

/** A report notebook's path in the repository, e.g. "notebooks/01-model.ipynb". */
export const notebookPath = (name: string): string => `notebooks/${name}.ipynb`;

/**
 * The report's notebooks (repository paths): all, or those whose names contain one of `only`'s
 * comma-separated parts. An unknown part throws the sentence `--only` shows.
 */
export function reportNotebooks(only?: string): string[] {
  if (!only) return REPORT_NOTEBOOKS.map(notebookPath);
  const parts = only
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of parts)
    if (!REPORT_NOTEBOOKS.some((n) => n.includes(p)))
      throw new InputError(`--only ${p}: no notebook of the report matches; they are ${REPORT_NOTEBOOKS.join(", ")}.`);
  return REPORT_NOTEBOOKS.filter((n) => parts.some((p) => n.includes(p))).map(notebookPath);
}

/**
 * What a reader sees in notebooks/ (Jupyter's file list): the `*.ipynb` regular files at its top
 * level (repository paths), and the entries named `*.ipynb` that are not regular files (a folder,
 * a dangling link, a FIFO), which nothing should open: reading a FIFO would wait for ever.
 */
export function notebookFolder(root: string): { files: string[]; skipped: { path: string; why: string }[] } {
  const files: string[] = [],
    skipped: { path: string; why: string }[] = [];
  for (const name of readdirSync(join(root, "notebooks")).sort()) {
    if (!name.endsWith(".ipynb")) continue;
    const path = `notebooks/${name}`;
    const kind = entryKind(join(root, path));
    if (kind === "file") files.push(path);
    else skipped.push({ path, why: `${kind}, not a notebook file` });
  }
  return { files, skipped };
}

/** "file" for a regular file or a link to one (what Jupyter opens), else what it is, in words. */
function entryKind(path: string): string {
  let link = false;
  try {
    link = lstatSync(path).isSymbolicLink();
    const s = statSync(path);
    if (s.isFile()) return "file";
    return (link ? "a link to " : "") + (s.isDirectory() ? "a folder" : "neither a file nor a folder");
  } catch {
    return link ? "a link to nothing" : "gone while listed";
  }
}

/** The report's notebooks among `paths` whose bytes differ from the committed ones (none outside git). */
export function editedNotebooks(root: string, paths: string[]): string[] {
  const { missing, edited } = changedSinceCommit(root, "notebooks");
  return paths.filter((p) => edited.includes(p) || missing.includes(p));
}
