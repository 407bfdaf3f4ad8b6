// ESLint holds the hand-written code (TypeScript and JavaScript) to lines of at most 120 characters:
// `npm run lint`, which `npm test` runs first. A regular expression may run longer (it cannot be split).
const tseslint = require("typescript-eslint");
const stylistic = require("@stylistic/eslint-plugin");

const maxLen = { "@stylistic/max-len": ["error", { code: 120, ignoreRegExpLiterals: true }] };

// AssemblyScript decorates functions with @inline, which TypeScript's parser refuses: blanked for
// the check, with spaces of the same length, so every line keeps its length and columns.
const assemblyScript = {
  preprocess: (text) => [text.replace(/@inline\b/g, " ".repeat("@inline".length))],
  postprocess: (messages) => messages.flat(),
};

// The engine's sources as written: their text is the engine's identity (wasmDefinition in
// lib/engine/wasmfiles.ts hashes it), which names every committed run record, so reflowing them
// would orphan every record. They are reflowed with the engine's next real change.
const engineSources = ["wasm/core.ts", "wasm/minibatch.ts"];

module.exports = [
  { ignores: ["node_modules/", "build/", "report/", "figures/", "data/", "notebooks/", "jupyter/", "scratch/"] },
  { ignores: engineSources },
  {
    files: ["**/*.ts", "**/*.js"],
    languageOptions: { parser: tseslint.parser, sourceType: "module" },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    plugins: { "@stylistic": stylistic },
    rules: maxLen,
  },
  { files: ["wasm/*.ts"], processor: assemblyScript },
];
