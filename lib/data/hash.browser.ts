/**
 * A page's twin of hash.ts: the same two hashes, as hex, from @noble/hashes (a page has no
 * Node.js crypto), so lib/data/checksum.ts derives in a page the identities Node.js derives.
 */
import { md5 as md5Hash } from "@noble/hashes/legacy";
import { sha256 as sha256Hash } from "@noble/hashes/sha2";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils";

/** Hex MD5 of some bytes (the checksum MNIST's distributors publish). */
export function md5(bytes: Uint8Array): string {
  return bytesToHex(md5Hash(bytes));
}

/** Hex SHA-256 of some bytes, or of a text's UTF-8. */
export function sha256(data: Uint8Array | string): string {
  return bytesToHex(sha256Hash(typeof data === "string" ? utf8ToBytes(data) : data));
}
