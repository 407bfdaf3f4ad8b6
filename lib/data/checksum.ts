/**
 * The checksums that identify data and the files results are kept in. Node's crypto here; a
 * page's bundle puts lib/web/crypto.ts (the same two hashes, from @noble/hashes) in its place, so a
 * page derives the same identities.
 */
import { createHash } from "crypto";

/** Hex MD5 of some bytes (the checksum MNIST's distributors publish). */
export function md5(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}

/** Hex SHA-256 of some bytes, or of a text's UTF-8 (names weights files, keys runs, labels charts). */
export function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** A short, order-sensitive digest of several named checksums (keys a data set or a run). */
export function combine(checksums: Record<string, string>): string {
  const text = Object.keys(checksums)
    .sort()
    .map((k) => `${k}=${checksums[k]}`)
    .join("\n");
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
