/** A command's flags, as every CLI of the project reads them. */
import { ParseArgsConfig, parseArgs } from "util";
import { InputError } from "./errors";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * The flags in `args` (the command line's by default), by Node's parseArgs: no positionals, no
 * unknown flag. What parseArgs refuses becomes an InputError (exit status 2) ending in `usage`.
 */
export function parseFlags<const O extends Options>(options: O, usage: string, args: string[] = process.argv.slice(2)) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new InputError(`${(e as Error).message.replace(/\.?$/, "")}; ${usage}`);
  }
}
