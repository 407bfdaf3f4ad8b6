/**
 * The browser the exports draw in: Debian's Chromium, headless, driven by playwright-core, each
 * launch with a profile of its own in build/ (nothing in the temporary folder), and a blank page
 * with plotly.js loaded from node_modules (no network).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "fs";
import { join } from "path";
import type { BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { ROOT } from "../common/root";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * Profiles live in build/, named by the process that made them: a notebook's kernel is stopped
 * before its shared browser's idle timer could close it, so a profile can outlive its process;
 * the next launch removes those whose process is gone. Nothing is left in the temporary folder.
 */
const PROFILES = join(ROOT, "build", "chromium-profiles");

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

function newProfile(): string {
  mkdirSync(PROFILES, { recursive: true });
  for (const d of readdirSync(PROFILES)) {
    const pid = Number(d.split("-")[0]);
    if (!Number.isInteger(pid) || !alive(pid)) rmSync(join(PROFILES, d), { recursive: true, force: true });
  }
  return mkdtempSync(join(PROFILES, `${process.pid}-`));
}

/** Debian's Chromium, headless, with a fresh profile folder that close() removes. */
export async function launchChromium(
  device: Pick<BrowserContextOptions, "viewport" | "isMobile" | "hasTouch" | "deviceScaleFactor"> = {},
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = newProfile();
  // Loaded when a browser is wanted, not with the notebooks' imports: it takes a while to load.
  const { chromium } = require("playwright-core") as typeof import("playwright-core");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: FLAGS,
    headless: true,
    ...device,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface PlotlyPage {
  page: Page;
  close(): Promise<void>;
}

/** A fresh headless Chromium (own profile) with one blank page that has plotly loaded. */
export async function openPlotlyPage(): Promise<PlotlyPage> {
  const { context, close } = await launchChromium();
  try {
    const page = await context.newPage();
    await page.setContent("<!doctype html><html><body><div id='plot'></div></body></html>");
    await page.addScriptTag({ path: require.resolve("plotly.js-cartesian-dist-min") });
    return { page, close };
  } catch (e) {
    await close();
    throw e;
  }
}

// For notebooks: one browser kept open between figures, closed after a quiet spell.
let shared: Promise<PlotlyPage> | null = null;
let idle: ReturnType<typeof setTimeout> | null = null;
const IDLE_MS = 15_000;

/**
 * `use` run on the page of one browser shared while calls keep coming (a notebook's figures),
 * closed after a quiet spell; a browser that failed is not reused.
 */
export async function withSharedPlotlyPage<T>(use: (page: Page) => Promise<T>): Promise<T> {
  if (idle) clearTimeout(idle);
  shared ??= openPlotlyPage();
  const open = shared;
  try {
    return await use((await open).page);
  } catch (e) {
    shared = null;
    void open.then((p) => p.close()).catch(() => undefined);
    throw e;
  } finally {
    idle = setTimeout(() => {
      if (shared === open) shared = null;
      void open.then((p) => p.close()).catch(() => undefined);
    }, IDLE_MS);
    idle.unref();
  }
}
