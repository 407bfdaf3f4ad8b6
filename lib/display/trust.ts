/**
 * Which notebooks `npm run notebook` may sign as trusted. Jupyter runs a trusted notebook's saved
 * HTML and JavaScript in the page that holds the token to start kernels, so only bytes this
 * project wrote are trusted: the committed version (the blob at HEAD) or what the last
 * `npm run report` in this clone wrote (its manifest of SHA-256 hashes, below). A notebook someone
 * else wrote, or a committed one whose saved outputs were edited, stays untrusted: its charts are
 * blank until the reader trusts it (`jupyter trust`) or rebuilds it (`npm run report`).
 */
import { sha256 } from "../data/checksum";
import { readFileSync } from "fs";
import { join } from "path";
import { writeFileAtomic } from "../common/atomic";
import { gitBlobId } from "../common/git";

/** Where `npm run report` lists the notebooks it wrote in place: repository path -> SHA-256. */
export const REPORT_MANIFEST = "build/report-notebooks.json";

export interface TrustDecision {
  /** to be signed: the bytes are the project's */
  trusted: string[];
  /** not signed, yet trusted by Jupyter, which trusts by content: these hold a trusted notebook's bytes */
  copies: { path: string; of: string }[];
  untrusted: { path: string; why: string }[];
}

/**
 * The report's manifest, checked: it may name only `allowed` paths (the report's notebooks, by
 * their committed names), each with a SHA-256. Anything else in it (another path, a malformed
 * hash, not JSON) and none of it counts: `problem` says why.
 */
export function readManifest(
  root: string,
  allowed: readonly string[],
): { hashes: Map<string, string>; problem?: string } {
  let text: string;
  try {
    text = readFileSync(join(root, REPORT_MANIFEST), "utf8");
  } catch {
    return { hashes: new Map() }; // none yet: only the committed notebooks count
  }
  let entries: [string, unknown][];
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error();
    entries = Object.entries(parsed);
  } catch {
    return { hashes: new Map(), problem: `${REPORT_MANIFEST} is not a JSON object, so none of it counts` };
  }
  const wrong = entries.find(([p, h]) => !allowed.includes(p) || typeof h !== "string" || !/^[0-9a-f]{64}$/.test(h));
  if (wrong)
    return {
      hashes: new Map(),
      problem:
        `${REPORT_MANIFEST} names ${JSON.stringify(wrong[0])}` +
        (allowed.includes(wrong[0]) ? " without a SHA-256" : ", which is not one of the report's notebooks") +
        `; the report never writes that, so none of it counts (npm run report writes it anew)`,
    };
  return { hashes: new Map(entries as [string, string][]) };
}

/** Records the notebooks a report just wrote (repository paths, the report's own), beside those it wrote before. */
export function recordWritten(root: string, paths: string[], allowed: readonly string[]): void {
  const manifest = readManifest(root, allowed).hashes;
  for (const p of paths) manifest.set(p, sha256(readFileSync(join(root, p))));
  const sorted = Object.fromEntries([...manifest].sort(([a], [b]) => a.localeCompare(b)));
  writeFileAtomic(join(root, REPORT_MANIFEST), JSON.stringify(sorted, null, 1) + "\n");
}

/** Trusted: the bytes are the committed blob, or what the last report wrote; anything else is not. */
export function decideTrust(
  files: { path: string; bytes: Uint8Array }[],
  head: Map<string, string>,
  manifest: Map<string, string>,
): TrustDecision {
  const decision: TrustDecision = { trusted: [], copies: [], untrusted: [] };
  const own = files.filter(
    ({ path, bytes }) => head.get(path) === gitBlobId(bytes) || manifest.get(path) === sha256(bytes),
  );
  for (const { path, bytes } of files) {
    const same = own.find((o) => Buffer.compare(Buffer.from(o.bytes), Buffer.from(bytes)) === 0);
    if (own.some((o) => o.path === path)) decision.trusted.push(path);
    else if (same) decision.copies.push({ path, of: same.path });
    else if (head.has(path) || manifest.has(path))
      decision.untrusted.push({
        path,
        why:
          "changed since it was written: run `npm run report` to rebuild it, or trust it yourself with `jupyter " +
          "trust`",
      });
    else
      decision.untrusted.push({
        path,
        why:
          "not written by this project: trust it yourself with `jupyter trust` only if you know what its saved " +
          "outputs run",
      });
  }
  return decision;
}
