/**
 * Versions recorded with every saved result, so a reader can tell what produced it. A page's
 * bundle takes the twin, provenance.browser.ts, in this file's place.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { ROOT } from "./root";

function packageVersion(name: string): string {
  try {
    const dir = name === "." ? ROOT : join(ROOT, "node_modules", name);
    return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
  } catch {
    return "unknown";
  }
}

export function software(): Record<string, string> {
  return {
    report: packageVersion("."),
    node: process.version,
    seedrandom: packageVersion("seedrandom"),
    platform: `${process.platform}-${process.arch}`,
  };
}
