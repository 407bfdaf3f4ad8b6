/**
 * lib/common/: what every layer uses: input errors (here), atomic file writes, named seeded random
 * streams, the repository's root folder, and the software versions recorded with results.
 *
 * An error caused by the user's input (a file, a flag, a hyperparameter), as opposed to a bug.
 * Its message is one sentence naming the offending file or value and what was expected;
 * command-line tools print it without a stack trace.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** Print an InputError as one line and exit non-zero; rethrow anything else (a real bug). */
export function exitOnInputError(err: unknown): never {
  if (err instanceof InputError) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
