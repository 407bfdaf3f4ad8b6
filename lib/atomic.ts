/**
 * Results are written whole or not at all: to a temporary file in the same folder, then renamed
 * over the target (rename is atomic on one file system), so an interrupted write never leaves a
 * truncated file that a later reader would trust.
 */
import { mkdirSync, renameSync, writeFileSync } from "fs";
import { dirname } from "path";

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
