/**
 * The update benchmark's page rows (bench/bench.ts): bench/web/page.ts, bundled as the retrain
 * page's worker is (lib/report/bundle.ts), served on 127.0.0.1 with the quick set and TF.js's
 * wasm binaries, and driven in Chromium and in Firefox. Returns microseconds per update,
 * REPS repetitions each: ours at h = 128 in each browser, and TF.js's wasm and cpu backends.
 */
import { createServer } from "http";
import { existsSync, readFileSync } from "fs";
import { AddressInfo } from "net";
import { dirname, join } from "path";
import { launchChromium } from "../lib/display/chromium";
import { quickSetBytes } from "../lib/data/dataset";
import { loadMnistPackage } from "../lib/data/sources";
import { workerBundle } from "../lib/report/bundle";

const FIREFOX = process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr";

export interface PageFigures {
  browser: string;
  ours: number[];
  tfjsWasm: number[];
  tfjsCpu: number[];
}

/** The page's driver: evaluate an expression, close. */
interface Browser {
  evaluate(expr: string): Promise<unknown>;
  close(): Promise<void>;
}

async function chromium(url: string): Promise<Browser> {
  const b = await launchChromium();
  const page = await b.context.newPage();
  await page.goto(url);
  await page.waitForFunction('document.title === "ready"');
  return { evaluate: (e) => page.evaluate(e), close: () => b.close() };
}

async function firefox(url: string): Promise<Browser> {
  const puppeteer = (await import("puppeteer-core")).default;
  const browser = await puppeteer.launch({ browser: "firefox", executablePath: FIREFOX, headless: true });
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction('document.title === "ready"');
  return { evaluate: (e) => page.evaluate(e), close: () => browser.close() };
}

export async function pageFigures(h: number, reps: number): Promise<PageFigures[]> {
  const quick = quickSetBytes(loadMnistPackage());
  const script = await workerBundle("bench/web/page.ts");
  const tfjsDist = join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist");
  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    const body: [string, string | Uint8Array] | null =
      url === "/"
        ? [
            "text/html",
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>loading</title></head><body><script ' +
              'src="/bench.js"></script></body></html>',
          ]
        : url === "/bench.js"
          ? ["text/javascript", script]
          : url === "/quick.bin"
            ? ["application/octet-stream", quick]
            : /^\/tfjs\/[\w-]+\.wasm$/.test(url) && existsSync(join(tfjsDist, url.slice(6)))
              ? ["application/wasm", readFileSync(join(tfjsDist, url.slice(6)))]
              : null;
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": body[0] }).end(body[1]);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const out: PageFigures[] = [];
  try {
    for (const [name, open] of [
      ["Chromium", chromium],
      ["Firefox", firefox],
    ] as const) {
      if (name === "Firefox" && !existsSync(FIREFOX)) continue;
      const b = await open(url);
      try {
        const ours = (await b.evaluate(`benchOurs(${h}, 1000, ${reps})`)) as number[];
        const tfjsWasm = (await b.evaluate(`benchTfjs("wasm", ${h}, 100, ${reps})`)) as number[];
        const tfjsCpu = (await b.evaluate(`benchTfjs("cpu", ${h}, 50, ${reps})`)) as number[];
        out.push({ browser: name, ours, tfjsWasm, tfjsCpu });
      } finally {
        await b.close();
      }
    }
  } finally {
    server.close();
  }
  return out;
}
