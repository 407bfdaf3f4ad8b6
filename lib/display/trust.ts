/**
 * Which notebooks `npm run notebook` may sign as trusted. Jupyter runs a trusted notebook's saved
 * HTML and JavaScript in the page that holds the token to start kernels, so only bytes this
 * project wrote are trusted: the committed version (the blob at HEAD) or what the last
 * `npm run report` in this clone wrote (its manifest of SHA-256 hashes, below). A notebook someone
 * else wrote, or a committed one whose saved outputs were edited, stays untrusted: its charts are
 * blank until the reader trusts it (`jupyter trust`) or rebuilds it (`npm run report`).
 */
import { createHash } from "crypto";
import { sha256 } from "../data/checksum";
import { spawnSync } from "child_process";
import { readFileSync } from "fs";
import { join } from "path";
import { writeFileAtomic } from "../common/atomic";

/** Where `npm run report` lists the notebooks it wrote in place: repository path -> SHA-256. */
export const REPORT_MANIFEST = "build/report-notebooks.json";

export interface TrustDecision {
  trusted: string[];
  untrusted: { path: string; why: string }[];
}

/** Git's name for a file's bytes (what `git hash-object` prints). */
export function gitBlobId(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** The blobs at HEAD under `folder` (path -> blob id); empty outside a git checkout. */
export function headBlobs(root: string, folder: string): Map<string, string> {
  const r = spawnSync("git", ["ls-tree", "-z", "HEAD", `${folder}/`], { cwd: root, encoding: "utf8" });
  const blobs = new Map<string, string>();
  if (r.status !== 0) return blobs;
  for (const entry of r.stdout.split("\0").filter(Boolean)) {
    const [meta, path] = entry.split("\t");
    const [, type, id] = meta.split(" ");
    if (type === "blob") blobs.set(path, id);
  }
  return blobs;
}

export function readManifest(root: string): Map<string, string> {
  try {
    const parsed = JSON.parse(readFileSync(join(root, REPORT_MANIFEST), "utf8"));
    return new Map(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    return new Map(); // none yet, or unreadable: only the committed notebooks count
  }
}

/** Records the notebooks a report just wrote (repository paths), beside those it wrote before. */
export function recordWritten(root: string, paths: string[]): void {
  const manifest = readManifest(root);
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
  const decision: TrustDecision = { trusted: [], untrusted: [] };
  for (const { path, bytes } of files) {
    if (head.get(path) === gitBlobId(bytes) || manifest.get(path) === sha256(bytes)) decision.trusted.push(path);
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
