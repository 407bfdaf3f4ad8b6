/** A command's flags, as every CLI of the project reads them. */
import { ParseArgsConfig, parseArgs } from "util";
import { InputError } from "./errors";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * The flags in `args` (the command line's by default), by Node's parseArgs: no positionals, no
 * unknown flag. What parseArgs refuses becomes an InputError (exit status 2) ending in `usage`.
 */
export function parseFlags<const O extends Options>(options: O, usage: string, args: string[] = process.argv.slice(2)) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: false, tokens: true });
  } catch (e) {
    throw new InputError(`${(e as Error).message.replace(/\.?$/, "")}; ${usage}`);
  }
  // parseArgs keeps the last of a repeated flag; a second value is more likely a mistake than a wish.
  const seen = new Set<string>();
  for (const t of parsed.tokens) {
    if (t.kind !== "option" || options[t.name]?.multiple) continue;
    if (seen.has(t.name))
      throw new InputError(`--${t.name} is given more than once, where it takes one value; ${usage}`);
    seen.add(t.name);
  }
  return parsed.values;
}
