/** The HTML report's first page, from the profile's results. */
import { countOf } from "../common/format";
import { engineVersion } from "../engine/engine";
import { PREFIX_EPOCHS } from "../experiment/verify";
import { trainingCodeId } from "../experiment/trainingcode";
import { scanRuns } from "../experiment/runstore";
import { Profile } from "../experiment/profile";
import { codeOf } from "../experiment/runrecord";
import { tableHtml } from "../display/output";
import { escapeHtml } from "../display/tables";
import { drawDigit } from "./drawdigit";
import { findingSentences } from "./findings";
import { headline } from "./headline";
import { findingsInputs } from "./registry";
import { ReadBack } from "./readback";

/**
 * How the numbers were checked before the page was written, in words first, then by which code
 * (identities derived from the sources, so the same on every machine): the report reads a record
 * back only when this code reproduces it (lib/experiment/verify.ts).
 */
function checkedHtml(prof: Profile): string {
  const { records } = scanRuns(prof.runsDir);
  const makers = [...new Set(records.map(codeOf))].sort();
  const code = (t: string) => `<code>${escapeHtml(t)}</code>`;
  return (
    `<details><summary>How this was checked</summary><p>Before this page was written, <code>npm run report</code> ` +
    `checked the runs it reads back against this code: the ${countOf(records.length, "run record")} in ` +
    `${code(prof.runsDir)} are read back only where this code retrains the first ` +
    `${countOf(PREFIX_EPOCHS, "epoch")} of each kind (binary, training code, options) bit for bit. ` +
    `<code>npm test</code> recomputes a sample of them with <code>npm run verify</code>; <code>npm run verify -- ` +
    `--epochs all</code> recomputes every one whole. The original's numbers are quoted from its report.</p>` +
    `<p>The code that checked them: training code ${code(trainingCodeId())}, engine ` +
    `${code(engineVersion("wasm"))} (identities derived from the sources, the same on every machine); the records ` +
    `were made by training code ${makers.map(code).join(", ")}.</p></details>`
  );
}

/** What we found, from the computed numbers; said to be missing where they are not computed yet. */
async function findingsHtml(rb: ReadBack): Promise<string> {
  const sentences = findingSentences(await findingsInputs(rb));
  return (
    "<h2>What we found</h2>" +
    (sentences.length
      ? `<ul class="findings">${sentences.map((s) => `<li>${escapeHtml(s)}</li>`).join("")}</ul>`
      : "<p>The findings need the seed study and the ablations (notebooks 02-training and 06-ablations).</p>")
  );
}

/**
 * The HTML report's first page: what we found, the headline results, how they were checked and the
 * draw-a-digit pad, from the profile's results; what is not computed yet is said, not guessed.
 */
export async function landingHtml(prof: Profile): Promise<string> {
  const rb = new ReadBack(prof);
  const parts: string[] = [];
  try {
    parts.push(await findingsHtml(rb));
    const baselinesOrNull = await rb.baselines().catch(() => null);
    const out = headline.build(
      { best: rb.best, original: rb.original, mlp: rb.mlp, baselines: baselinesOrNull, testName: rb.sets.testName },
      {},
    ).table;
    if (out.kind === "table") parts.push(tableHtml(out.frames));
    if (!baselinesOrNull) parts.push("<p>The baselines are not computed yet (notebook 03-testing computes them).</p>");
    parts.push(
      `<h2>Retrain it in your browser</h2><p><a href="retrain.html">Retrain the model in this page</a>: every ` +
        `setting of <code>npm run train</code>, ` +
        "on the 10,000-image quick set embedded in the page or on the full MNIST from your disk, with the same code " +
        "and WebAssembly " +
        "modules as Node.js, so the numbers are the same bit for bit; a run with a committed configuration is " +
        "compared with it epoch by epoch.</p>",
    );
    parts.push("<!--sections-->");
    parts.push(checkedHtml(prof));
    const pad = drawDigit.build({ model: rb.model }, {}).pad;
    if (pad.kind === "widget")
      parts.push(
        `<h2>Draw a digit</h2><p>Draw one digit in the black square: the selected model (h = ${rb.model.params.h}) ` +
          `classifies it here, in the page, from its saved weights (more in <a href="05-explore.html">Exploring the ` +
          `model</a>).</p>${pad.html}`,
      );
  } catch (e) {
    parts.push(
      "<!--sections-->",
      `<p>The results are not all computed yet (${escapeHtml(String((e as Error).message))}); run every notebook ` +
        `(npm run report).</p>`,
    );
  }
  return parts.join("\n");
}
