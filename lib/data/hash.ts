/**
 * The two hashes that identify data, models and runs, as hex: Node.js's crypto. A page's bundle
 * takes hash.browser.ts, its twin, in this file's place.
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
