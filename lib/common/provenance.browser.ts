/** A page's twin of provenance.ts: the versions recorded with a run made in a page. */
declare const __SOFTWARE__: { report: string; seedrandom: string };

export function software(): Record<string, string> {
  return {
    report: __SOFTWARE__.report,
    browser: navigator.userAgent,
    seedrandom: __SOFTWARE__.seedrandom,
    platform: "browser",
  };
}
