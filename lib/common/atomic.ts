/**
 * Results are written whole or not at all: to a temporary file in the same folder, then renamed
 * over the target (rename is atomic on one file system), so an interrupted write never leaves a
 * truncated file that a later reader would trust, and a failed one leaves no temporary file.
 * Where a command will write is checked before its work starts (`checkWritableFile`,
 * `checkWritableDir`), so a bad path costs a sentence, not a finished computation.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from "fs";
import { dirname, join, resolve } from "path";
import { InputError } from "./errors";

const reason = (e: unknown) => {
  const code = (e as NodeJS.ErrnoException).code;
  return code === "EACCES" || code === "EPERM"
    ? "permission denied"
    : code === "EROFS"
      ? "read-only file system"
      : code === "ENOSPC"
        ? "no space left"
        : code === "EISDIR"
          ? "it is a folder"
          : code === "ENOTDIR"
            ? "a part of its path is a file, not a folder"
            : (e as Error).message;
};

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new InputError(`cannot write ${path}: ${reason(e)}.`);
  }
}

/** The nearest folder at or above `path` that exists (where a missing folder would be created). */
function existingAncestor(path: string): string {
  let p = resolve(path);
  while (!existsSync(p)) p = dirname(p);
  return p;
}

/** `dir` is, or can be made, a folder that we can write in; checked by writing a probe file. */
export function checkWritableDir(dir: string, what = "folder"): void {
  const at = existingAncestor(dir);
  if (!statSync(at).isDirectory())
    throw new InputError(`cannot write into ${what} ${dir}: ${at} is a file, not a folder.`);
  const probe = join(at, `.write-probe-${process.pid}`);
  try {
    writeFileSync(probe, "");
    unlinkSync(probe);
  } catch (e) {
    throw new InputError(`cannot write into ${what} ${dir}: ${at} is not writable (${reason(e)}).`);
  }
}

/**
 * `path` can be written as a file: not a folder, not a file marked read-only (renaming over it
 * would replace it, even for root, whom the mode does not stop), and its folder is writable.
 */
export function checkWritableFile(path: string, what = "file"): void {
  if (existsSync(path) && statSync(path).isDirectory())
    throw new InputError(`cannot write ${what} ${path}: it is a folder; expected a file name.`);
  if (existsSync(path) && (statSync(path).mode & 0o222) === 0)
    throw new InputError(`cannot write ${what} ${path}: it is read-only; make it writable or choose another name.`);
  checkWritableDir(dirname(resolve(path)), `the folder of ${path}`);
}
