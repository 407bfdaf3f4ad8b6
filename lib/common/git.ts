/**
 * What was committed, as git names it: used to tell a reader which files differ from the
 * committed ones (edited notebooks, edited or missing results). Outside a git checkout (a copy
 * of the folder) nothing is known to be committed, and nothing is said.
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import { readFileSync } from "fs";
import { join } from "path";

/** Git's name for a file's bytes (what `git hash-object` prints). */
export function gitBlobId(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** The blobs at HEAD under `folder`, its subfolders included (path -> blob id); empty outside a git checkout. */
export function headBlobs(root: string, folder: string): Map<string, string> {
  const r = spawnSync("git", ["ls-tree", "-r", "-z", "HEAD", `${folder}/`], { cwd: root, encoding: "utf8" });
  const blobs = new Map<string, string>();
  if (r.status !== 0) return blobs;
  for (const entry of r.stdout.split("\0").filter(Boolean)) {
    const [meta, path] = entry.split("\t");
    const [, type, id] = meta.split(" ");
    if (type === "blob") blobs.set(path, id);
  }
  return blobs;
}

/** The committed files under `folder` that are missing or whose bytes differ from their commit (repository paths). */
export function changedSinceCommit(root: string, folder: string): { missing: string[]; edited: string[] } {
  const missing: string[] = [],
    edited: string[] = [];
  for (const [path, blob] of headBlobs(root, folder)) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(join(root, path));
    } catch {
      missing.push(path);
      continue;
    }
    if (gitBlobId(bytes) !== blob) edited.push(path);
  }
  return { missing, edited };
}
