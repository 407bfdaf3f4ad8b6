/**
 * A training run's hyperparameters, their checks, and their canonical key.
 * Defaults are the report's selected model (h = 128, lr = 0.01, lambda = 5e-4; see SPEC).
 */
import { InputError } from "../common/errors";
import { PixelScale } from "../data/features";

export interface TrainConfig {
  h: number; // hidden units
  lr: number; // Adagrad's initial learning rate (nu_0)
  lambda: number; // L2 coefficient on W1 and W2
  keepProb: number; // dropout keep probability p
  batch: number; // B: the size of each fixed batch
  epochs: number; // each epoch is one update per batch
  minibatch: boolean; // false: the original's one random sample per batch; true: mean gradient over the batch
  pixels: PixelScale; // "raw" 0..255 (faithful) or "unit" [0, 1]
}

export const DEFAULT_CONFIG: TrainConfig = {
  h: 128,
  lr: 0.01,
  lambda: 5e-4,
  keepProb: 0.95,
  batch: 20,
  epochs: 200,
  minibatch: false,
  pixels: "raw",
};

function check(ok: boolean, message: string): void {
  if (!ok) throw new InputError(message);
}

const isInt = (v: number) => Number.isInteger(v);
export const MAX_EPOCHS = 10_000;

/**
 * Fill in defaults (for absent or undefined fields) and check every value; throws an InputError
 * naming the first bad one.
 */
export function makeConfig(partial: Partial<TrainConfig> = {}): TrainConfig {
  const given = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const c: TrainConfig = { ...DEFAULT_CONFIG, ...given };
  check(
    isInt(c.h) && c.h >= 1 && c.h <= 4096,
    `h = ${c.h} is out of range; expected a whole number of hidden units from 1 to 4096.`,
  );
  check(Number.isFinite(c.lr) && c.lr > 0, `lr = ${c.lr} is out of range; expected a finite learning rate > 0.`);
  check(
    Number.isFinite(c.lambda) && c.lambda >= 0,
    `lambda = ${c.lambda} is out of range; expected a finite L2 coefficient >= 0.`,
  );
  check(
    Number.isFinite(c.keepProb) && c.keepProb > 0 && c.keepProb <= 1,
    `keep-prob = ${c.keepProb} is out of range; expected a probability in (0, 1].`,
  );
  check(isInt(c.batch) && c.batch >= 1, `batch = ${c.batch} is out of range; expected a whole number >= 1.`);
  // A bound that no study here comes near (the original ran 200), so a typo such as 1e9 is refused, not run.
  check(
    isInt(c.epochs) && c.epochs >= 0 && c.epochs <= MAX_EPOCHS,
    `epochs = ${c.epochs} is out of range; expected a whole number from 0 to ${MAX_EPOCHS}.`,
  );
  check(typeof c.minibatch === "boolean", `minibatch = ${c.minibatch} is not a boolean.`);
  check(
    c.pixels === "raw" || c.pixels === "unit",
    `pixels = ${c.pixels} is not a pixel scale; expected "raw" or "unit".`,
  );
  return c;
}

/**
 * The config's identity for random streams: everything but the epoch count, so the first 20
 * epochs of a 200-epoch run are exactly a 20-epoch run.
 */
export function streamKey(c: TrainConfig): string {
  return (
    `h=${c.h},lr=${c.lr},lambda=${c.lambda},keepProb=${c.keepProb},batch=${c.batch},` +
    `minibatch=${c.minibatch ? 1 : 0},pixels=${c.pixels}`
  );
}

/** A configuration as the report's text and charts name it: "h=128, lr=0.01, λ=0.0005". */
export function configLabel(c: { h: number; lr: number; lambda: number }): string {
  return `h=${c.h}, lr=${c.lr}, λ=${c.lambda}`;
}

/** The config's full identity (for file names and caches). */
export function configKey(c: TrainConfig): string {
  return `${streamKey(c)},epochs=${c.epochs}`;
}

/**
 * A number as a reader types it (a flag's value, a page's field): decimal notation only (Number()
 * would also read "0x10" as 16 and "" as 0). `name` is how the message names it.
 */
export function parseDecimal(name: string, raw: string): number {
  const v = Number(raw);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw.trim()) || !Number.isFinite(v))
    throw new InputError(`${name} "${raw}" is not a finite decimal number.`);
  return v;
}

/** A run's seed: beyond 2^53 a seed would silently become its neighbour (9007199254740993 reads as ...992). */
export function checkSeed(name: string, raw: string, seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new InputError(
      `${name} ${raw} is out of range; expected a whole number from 0 to ${Number.MAX_SAFE_INTEGER}.`,
    );
}
