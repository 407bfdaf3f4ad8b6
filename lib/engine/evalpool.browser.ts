/**
 * A page's twin of evalpool.ts (a page's bundle takes it in that file's place):
 * a page evaluates on its training worker's one thread (no SharedArrayBuffer without cross-origin
 * isolation, which a page opened from the file system never has). The numbers do not depend on it.
 */
export const evalThreadsAvailable = (): number => 1;

export class ParallelEvaluator {
  constructor() {
    throw new Error("a page evaluates on one thread (evalThreads = 1).");
  }
  evaluate(): never {
    throw new Error("unreachable");
  }
  close(): void {}
}
