/**
 * The checksums that identify data and the files results are kept in: MD5 and SHA-256 (hash.ts,
 * whose twin hash.browser.ts gives a page the same), and a digest of several.
 */
import { sha256 } from "./hash";

export { md5, sha256 } from "./hash";

/** A short, order-sensitive digest of several named checksums (keys a data set or a run). */
export function combine(checksums: Record<string, string>): string {
  const text = Object.keys(checksums)
    .sort()
    .map((k) => `${k}=${checksums[k]}`)
    .join("\n");
  return sha256(text).slice(0, 16);
}
