/**
 * The retrain page's address (#h=48&lr=0.009&...): the settings a link carries. Pure, so tested
 * in Node.js (test/pagelogic.test.ts); the page fills its controls from what this finds.
 */

/** The settings that are not numbers, with the values each may take. */
const CHOICES: Record<string, { values: string[]; say: (quoted: string) => string }> = {
  minibatch: { values: ["1", "0", "true", "false"], say: (v) => `minibatch ${v} is neither 1 (on) nor 0 (off)` },
  pixels: { values: ["raw", "unit"], say: (v) => `pixels ${v} is neither raw nor unit` },
  data: { values: ["files", "quick"], say: (v) => `data ${v} is neither files nor quick` },
};

/**
 * Settings from an address: the values found, and what is wrong with the others (each problem
 * once, at most three and a count, values quoted short: an address is anybody's text). `numbers`
 * names the numeric settings, whose values the page's controls check.
 */
export function readAddress(
  hash: string,
  numbers: readonly string[],
): { values: Record<string, string>; problems: string[] } {
  const values: Record<string, string> = {},
    problems: string[] = [];
  const quote = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  for (const [k, v] of new URLSearchParams(hash.replace(/^#/, ""))) {
    const choice = Object.hasOwn(CHOICES, k) ? CHOICES[k] : null;
    if (!choice && !numbers.includes(k)) problems.push(`the address names ${quote(k)}, which is not a setting`);
    else if (v.length > 100) problems.push(`the address gives ${k} a value of ${v.length} characters`);
    else if (choice && !choice.values.includes(v)) problems.push(choice.say(quote(v)));
    else values[k] = v;
  }
  const distinct = [...new Set(problems)];
  const shown = distinct.slice(0, 3);
  if (distinct.length > 3) shown.push(`${distinct.length - 3} more`);
  return { values, problems: shown };
}

/** The address of some settings: numbers as typed, minibatch only when on, data only when files. */
export function writeAddress(
  numbers: Record<string, string>,
  pixels: string,
  minibatch: boolean,
  files: boolean,
): string {
  const p = new URLSearchParams();
  for (const [name, value] of Object.entries(numbers)) p.set(name, value.trim());
  p.set("pixels", pixels);
  if (minibatch) p.set("minibatch", "1");
  if (files) p.set("data", "files");
  return `#${p.toString()}`;
}
