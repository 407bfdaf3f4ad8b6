// tslab's work on lib/, shared by the kernels of this clone. A kernel's first cell imports lib/, and
// tslab then type-checks every file it reaches and compiles each to JavaScript (with declarations,
// and once more into CommonJS), anew in every kernel: most of a quick notebook's time. This keeps,
// per source file, what that work concluded (no diagnostics; the JavaScript handed to tslab) under
// a key of everything that could change it:
// - the TypeScript and tslab versions and the compiler options;
// - the file and every file it reaches through imports (getAllDependencies), by content;
// - every file of the program that declares globals, by content: scripts (lib.*.d.ts, most of
//   @types) and modules with `declare global` or `declare module` (some of @types/node's, say),
//   which a file's imports need not reach.
// Paths enter the key relative to the clone (or to node_modules/), so a copy of build/ in another
// clone, as the tests make, is used there too. A cell that adds globals (declare global, declare
// module) turns the cache off while it is in the program. JavaScript that depends on the cell (tslab
// names a file's last expression after the cell's names) is never kept. Anything unreadable is a
// miss; an entry is written whole (a temporary file, then a rename), one per source file, so the
// folder stays small. It lives in build/, the project's own output, like node_modules/: whoever may
// write there may already write lib/.
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const sha256 = (text) => crypto.createHash("sha256").update(text).digest("hex");

/** Memoized per object (a SourceFile or Program is not changed once made). */
const perObject = (compute) => {
  const known = new WeakMap();
  return (o) => {
    if (!known.has(o)) known.set(o, compute(o));
    return known.get(o);
  };
};

function install(root) {
  const tslab = path.join(root, "node_modules", "tslab");
  const tsPath = require.resolve("@tslab/typescript-for-tslab", { paths: [tslab] });
  const ts = require(tsPath);
  const dir = path.join(root, "build", "kernel-cache");
  const version = [ts.version, require(path.join(tslab, "package.json")).version];
  /** A path as the key names it: below node_modules/ or the clone, not where they are. */
  const roots = [...new Set([root, fs.realpathSync(root), process.cwd()])];
  const relative = (name) => {
    const i = name.lastIndexOf("/node_modules/");
    if (i >= 0) return name.slice(i + 1);
    const r = roots.find((r) => name.startsWith(r + "/"));
    return r ? name.slice(r.length + 1) : name;
  };
  const relativeText = (text) => roots.reduce((t, r) => t.split(r).join("<clone>"), text);

  // What a kernel killed while writing left (a temporary file is renamed within milliseconds).
  try {
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))) {
      if (Date.now() - fs.statSync(path.join(dir, f)).mtimeMs > 3600_000) fs.rmSync(path.join(dir, f), { force: true });
    }
  } catch {
    // no folder yet
  }

  const hashOf = perObject((sf) => sha256(sf.text));
  // A file tslab keeps in memory (the cell, the previous cells' declarations, %module cells) is
  // not a file on disk.
  const onDisk = perObject((sf) => {
    try {
      return fs.readFileSync(sf.fileName, "utf8") === sf.text;
    } catch {
      return false;
    }
  });
  const declaresGlobals = perObject((sf) => !ts.isExternalModule(sf) || /\bdeclare\s+(global|module)\b/.test(sf.text));
  const programFacts = perObject((program) => {
    const files = program.getSourceFiles();
    const usable = !files.some((sf) => !onDisk(sf) && /\bdeclare\s+(global|module)\b/.test(sf.text));
    const globals = files.filter(declaresGlobals).map((sf) => [relative(sf.fileName), hashOf(sf)]);
    const options = Object.entries(program.getCompilerOptions()).sort(([a], [b]) => (a < b ? -1 : 1));
    return { usable, base: sha256(JSON.stringify([version, relativeText(JSON.stringify(options)), globals])) };
  });
  let builder = null; // the builder program tslab works with now
  const keys = new WeakMap(); // SourceFile -> { program, key }
  const keyOf = (program, sf) => {
    if (keys.get(sf)?.program !== program) {
      let key = null;
      if (builder?.getProgram() === program && programFacts(program).usable && !sf.isDeclarationFile && onDisk(sf)) {
        const deps = builder.getAllDependencies(sf).map((name) => {
          const dep = program.getSourceFile(name);
          return [relative(name), dep ? hashOf(dep) : null];
        });
        deps.sort(([a], [b]) => (a < b ? -1 : 1));
        key = sha256(JSON.stringify([programFacts(program).base, relative(sf.fileName), hashOf(sf), deps]));
      }
      keys.set(sf, { program, key });
    }
    return keys.get(sf).key;
  };

  const entries = new WeakMap(); // SourceFile -> the entry last read or written
  const slot = (sf) => path.join(dir, sha256(relative(sf.fileName)).slice(0, 32) + ".json");
  const read = (sf, key) => {
    if (entries.get(sf)?.key !== key) {
      let entry = null;
      try {
        entry = JSON.parse(fs.readFileSync(slot(sf), "utf8"));
      } catch {
        // none yet, or unreadable: a miss
      }
      entries.set(sf, entry && typeof entry === "object" && entry.key === key ? entry : { key });
    }
    return entries.get(sf);
  };
  const write = (sf, key, facts) => {
    const entry = { ...read(sf, key), ...facts, key };
    entries.set(sf, entry);
    const file = slot(sf);
    const tmp = `${file}.${process.pid}-${crypto.randomBytes(6).toString("hex")}.tmp`;
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify(entry));
      fs.renameSync(tmp, file);
    } catch {
      fs.rmSync(tmp, { force: true }); // a read-only clone: compiled as before, just not kept
    }
  };
  const kept = (sf, key, field, name) => {
    const value = read(sf, key)[field]?.[name];
    return value && typeof value === "object" && typeof value.text === "string" ? value : null;
  };

  // The check: a file known to have no diagnostics under its key is not checked again.
  const getPreEmitDiagnosticsOfFiles = (program, files) => {
    const clean = new Set(files.filter((sf) => keyOf(program, sf) && read(sf, keyOf(program, sf)).clean === true));
    const diagnostics = ts.getPreEmitDiagnosticsOfFiles(
      program,
      files.filter((sf) => !clean.has(sf)),
    );
    for (const sf of files) {
      if (clean.has(sf) || !keyOf(program, sf) || diagnostics.some((d) => d.file === sf)) continue;
      write(sf, keyOf(program, sf), { clean: true });
    }
    return diagnostics;
  };

  // The emit: a file's JavaScript, kept under its key, is handed to tslab as if just emitted.
  let handing = null; // the file whose JavaScript tslab is being handed, while it is
  const hand = (sf, key, name, text, writeFile) => {
    handing = { sf, key, name: relative(name), text };
    try {
      return writeFile();
    } finally {
      handing = null;
    }
  };
  const withCachedEmit = (b) => {
    const emit = b.emit;
    b.emit = (sf, writeFile, cancellationToken, emitOnlyDtsFiles, transformers) => {
      const key = sf && !emitOnlyDtsFiles ? keyOf(b.getProgram(), sf) : null;
      if (!key) return emit(sf, writeFile, cancellationToken, emitOnlyDtsFiles, transformers);
      const js = read(sf, key).js;
      const names = js && typeof js === "object" ? Object.keys(js) : [];
      if (names.length > 0 && names.every((name) => kept(sf, key, "js", name))) {
        for (const name of names) {
          const { text } = js[name];
          hand(sf, key, name, text, () => writeFile(path.join(process.cwd(), name), text, false, undefined, [sf]));
        }
        return { emitSkipped: false, diagnostics: [] };
      }
      const emitted = {};
      const result = emit(
        sf,
        (name, text, ...rest) => {
          if (!name.endsWith(".js")) return writeFile(name, text, ...rest);
          emitted[relative(name)] = { text };
          return hand(sf, key, name, text, () => writeFile(name, text, ...rest));
        },
        cancellationToken,
        emitOnlyDtsFiles,
        transformers,
      );
      const ownOnly = Object.values(emitted).every(({ text }) => !text.includes("tsLastExpr"));
      if (!result.emitSkipped && result.diagnostics.length === 0 && ownOnly) write(sf, key, { js: emitted });
      return result;
    };
    builder = b;
    return b;
  };
  const createWatchCompilerHost = (...args) => {
    const host = ts.createWatchCompilerHost(...args);
    let afterProgramCreate = host.afterProgramCreate;
    Object.defineProperty(host, "afterProgramCreate", {
      get: () => (b) => afterProgramCreate(withCachedEmit(b)),
      set: (f) => (afterProgramCreate = f),
    });
    return host;
  };

  // tslab makes each file's JavaScript a CommonJS module with transpileModule as it is handed over
  // (a program of its own per file): that result is kept beside it, under the options used.
  const transpileModule = (input, transpileOptions) => {
    const at = handing && handing.text === input ? handing : null;
    const options = sha256(JSON.stringify([version, transpileOptions]));
    const made = at && sha256(input); // what it is made from: a kept file's JavaScript may differ by the cell
    const cjs = at && kept(at.sf, at.key, "cjs", at.name);
    if (cjs && cjs.options === options && cjs.made === made)
      return { outputText: cjs.text, diagnostics: [], sourceMapText: undefined };
    const out = ts.transpileModule(input, transpileOptions);
    if (at && !out.diagnostics?.length) {
      const cjs = { ...read(at.sf, at.key).cjs, [at.name]: { options, made, text: out.outputText } };
      write(at.sf, at.key, { cjs });
    }
    return out;
  };

  // tslab reads TypeScript through this module's exports: the same, three functions wrapped.
  const own = { getPreEmitDiagnosticsOfFiles, createWatchCompilerHost, transpileModule };
  const wrapped = {};
  for (const name of Object.keys(ts)) {
    const field = name in own ? { value: own[name] } : { get: () => ts[name] };
    Object.defineProperty(wrapped, name, { enumerable: true, ...field });
  }
  require.cache[tsPath].exports = wrapped;
}

module.exports = { install };
