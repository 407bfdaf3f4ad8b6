/**
 * The MD5 of the files a data set is read from, remembered across runs (Node.js only).
 */
import { existsSync, readFileSync, statSync } from "fs";
import { join, resolve } from "path";
import { writeFileAtomic } from "../common/atomic";
import { ROOT } from "../common/root";
import { md5 } from "./checksum";

/**
 * The MD5 of a file's IDX content (its bytes, inflated if it is gzipped), once read, remembered by
 * the file's identity (absolute path, device, inode, size, modification and change times, in
 * nanoseconds) in build/idx-md5-cache.json (a name of its own: build/md5-cache.json, of earlier
 * versions, held the MD5 of a gzipped file's compressed bytes): reading MNIST back then skips hashing 55 MB at every
 * start. The change time (ctime) is what a user cannot put back: `touch -r` restores a modification time, but any
 * write or restore sets a new ctime, so an edited file is hashed again (and refused if its MD5 is
 * wrong), and so is a good file restored over it (and accepted): a stale entry is never used. Only
 * files of 1 MB or more are remembered (smaller ones are cheap to hash), and entries whose
 * file has changed or gone are dropped when the cache is written, so it stays a few lines long.
 */
export function fileMd5(path: string, bytes: Uint8Array): string {
  if (bytes.length < 1 << 20) return md5(bytes);
  const key = identity(path);
  const cache = readCache();
  if (cache[key]) return cache[key];
  const sum = md5(bytes);
  if (existsSync(join(ROOT, "build"))) {
    const current = Object.entries(cache).filter(([k]) => {
      try {
        return identity(k.slice(0, k.indexOf("|"))) === k;
      } catch {
        return false; // gone
      }
    });
    try {
      writeFileAtomic(CACHE(), JSON.stringify(Object.fromEntries([...current, [key, sum]]), null, 1) + "\n");
    } catch {
      // a read-only checkout: hash again next time
    }
  }
  return sum;
}

function identity(path: string): string {
  const s = statSync(path, { bigint: true });
  return `${resolve(path)}|${s.dev}|${s.ino}|${s.size}|${s.mtimeNs}|${s.ctimeNs}`;
}

const CACHE = () => join(ROOT, "build", "idx-md5-cache.json");

function readCache(): Record<string, string> {
  try {
    return JSON.parse(readFileSync(CACHE(), "utf8"));
  } catch {
    return {};
  }
}
