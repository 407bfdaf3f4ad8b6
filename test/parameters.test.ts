import { test } from "node:test";
import assert from "node:assert/strict";
import { declaredParameters, literalFor, planInjection } from "../lib/report/parameters";
import { InputError } from "../lib/common/errors";

const cell = (source: string, tags = ["parameters"]) => ({ cell_type: "code", source, metadata: { tags } });

test("a parameters cell declares its parameters as `let NAME: TYPE = default;`", () => {
  const p = declaredParameters(
    'const P = profile();\nlet h: number = P.name === "quick" ? 32 : 128; // hidden units\nlet ENGINE: "wasm" | ' +
      '"reference" = "wasm";\nlet IDX: number[] | null = null;\nconst X = 1;\nlet untyped = 3;',
  );
  assert.deepEqual(
    [...p],
    [
      ["h", "number"],
      ["ENGINE", '"wasm" | "reference"'],
      ["IDX", "number[] | null"],
    ],
  );
});

test("values are checked against the declared type and written as TypeScript literals", () => {
  assert.equal(literalFor("h", "64", "number"), "64");
  assert.equal(literalFor("lambda", "5e-4", "number"), "0.0005");
  assert.equal(literalFor("FRESH", "true", "boolean"), "true");
  assert.equal(literalFor("ENGINE", "reference", '"wasm" | "reference"'), '"reference"');
  assert.equal(literalFor("IDX", "[0, 5]", "number[] | null"), "[0,5]");
  assert.equal(literalFor("IDX", "null", "number[] | null"), "null");
  assert.equal(literalFor("W", "undefined", "number | undefined"), "undefined");
  assert.equal(literalFor("DATA", 'my "data"', "string"), '"my \\"data\\""');
  for (const [raw, type] of [
    ["abc", "number"],
    ["", "number"],
    ["Infinity", "number"],
    ["yes", "boolean"],
    ["gpu", '"wasm" | "reference"'],
    ['[1, "a"]', "number[] | null"],
  ]) {
    assert.throws(
      () => literalFor("x", raw, type),
      (e: Error) =>
        e instanceof InputError &&
        e.message === `--set x=${raw}: ${JSON.stringify(raw)} is not a value of x's type, ${type}.`,
    );
  }
});

test("injection: each notebook gets the values it declares; unknown names are refused before anything runs", () => {
  const nbs = [
    { name: "01-model", cells: [cell("# md", []), cell("let h: number = 128;\nlet epochs: number = 20;")] },
    { name: "02-training", cells: [cell("let FRESH: boolean = false;")] },
  ];
  const [a, b] = planInjection(nbs, ["h=64", "epochs=3"]);
  assert.match(a!, /^h = 64;$/m);
  assert.match(a!, /^epochs = 3;$/m);
  assert.equal(b, null);
  assert.throws(
    () => planInjection(nbs, ["hidden=3"]),
    /no parameter "hidden" in 01-model, 02-training; the parameters are FRESH, epochs, h\./,
  );
  assert.throws(() => planInjection(nbs, ["h"]), /--set h is not of the form NAME=VALUE/);
  assert.throws(() => planInjection(nbs, ["FRESH=1"]), /"1" is not a value of FRESH's type, boolean/);
});

test(
  "values the notebooks share are checked beyond their type before anything runs: a data source, a seed, the " +
    "model's settings",
  () => {
    const nbs = [
      {
        name: "01-model",
        cells: [
          cell(
            'let DATA: string = "mnist-data";\nlet SEED: number = 123;\nlet h: number = 128;\nlet epochs: number = ' +
              "20;\nlet WORKERS: number | undefined = undefined;",
          ),
        ],
      },
    ];
    assert.throws(
      () => planInjection(nbs, ["DATA=/nonexistent"]),
      (e: Error) =>
        e instanceof InputError &&
        e.message ===
          '--set DATA=/nonexistent: data source "/nonexistent" is neither "mnist-data", "mnist" ' +
            "nor an existing folder.",
    );
    assert.throws(
      () => planInjection(nbs, ["DATA=/tmp"]),
      /^InputError: --set DATA=\/tmp: \/tmp has no train-images-idx3-ubyte/,
    );
    assert.throws(() => planInjection(nbs, ["h=-3"]), /--set h=-3: h = -3 is out of range/);
    assert.throws(() => planInjection(nbs, ["epochs=1e9"]), /--set epochs=1e9: epochs = 1000000000 is out of range/);
    assert.throws(() => planInjection(nbs, ["SEED=1.5"]), /--set SEED=1\.5: expected a whole number >= 0\./);
    assert.throws(() => planInjection(nbs, ["WORKERS=0"]), /--set WORKERS=0: expected a whole number >= 1\./);
    assert.match(planInjection(nbs, ["DATA=mnist", "SEED=7", "h=64", "WORKERS=undefined"])[0]!, /^DATA = "mnist";$/m);
  },
);
