/**
 * A page's stand-in for the two Node.js `crypto` hashes that identify data and models (MD5 and
 * SHA-256, as hex), from @noble/hashes: the browser bundle (lib/report/retrain.ts) resolves
 * `crypto` here, so lib/data/checksum.ts derives in a page the identities Node.js derives.
 */
import { md5 } from "@noble/hashes/legacy";
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils";

const HASHES = { md5, sha256 };

export function createHash(algorithm: string) {
  const hash = HASHES[algorithm as keyof typeof HASHES];
  if (!hash) throw new Error(`${algorithm} is not a hash a page computes here; expected md5 or sha256.`);
  const state = hash.create();
  const self = {
    update(data: Uint8Array | string) {
      state.update(typeof data === "string" ? utf8ToBytes(data) : data);
      return self;
    },
    digest(encoding: "hex") {
      if (encoding !== "hex") throw new Error(`digest(${encoding}): only hex is computed here.`);
      return bytesToHex(state.digest());
    },
  };
  return self;
}
