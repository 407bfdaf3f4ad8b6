/**
 * Ctrl-C always ends it: `npm run report` stopped by INT, TERM or HUP, sent to npm alone, to the
 * tool (`scripts/run.js`) alone or to the whole group, at random moments (before Jupyter starts,
 * while the kernel starts, while it runs the notebook), once or twice. Every process the command
 * started ends within 5 s, the kernel's whole tree included (Jupyter starts it in a session of its
 * own, out of the group's reach), and nothing is left in the temporary folder or the output
 * folder. The cases are drawn at random and printed, so that a failure can be replayed; whatever
 * happens, the test kills what it started, so a failing run never hangs the suite.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";

const ROOT = resolve(__dirname, "..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** pid -> parent pid, of every live process (zombies left out). */
function processes(): Map<number, number> {
  const parent = new Map<number, number>();
  for (const d of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8").split(") ")[1].split(" ");
      if (stat[0] !== "Z") parent.set(Number(d), Number(stat[1]));
    } catch {
      // gone meanwhile
    }
  }
  return parent;
}

function descendants(pid: number, parent = processes()): number[] {
  const below = (p: number): number[] => [...parent].filter(([, pp]) => pp === p).flatMap(([c]) => [c, ...below(c)]);
  return below(pid);
}

const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
};

const TARGETS = ["npm", "tool", "group"] as const;
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

test(
  "npm run report stopped by INT, TERM or HUP, to npm, the tool or the group, at random moments, once or twice: " +
    "everything it started ends within 5 s and leaves no file behind",
  { timeout: 240_000, skip: process.platform !== "linux" && "reads processes from /proc" },
  async () => {
    // The first two at the moment that matters most, the kernel at work on the notebook; then Jupyter
    // starting; then random moments.
    const random = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)];
    const cases = [
      { delay: "kernel" as const, to: "group" as const, signal: "SIGHUP" as const, twice: false },
      { delay: "kernel" as const, to: "npm" as const, signal: "SIGINT" as const, twice: false },
      { delay: 800, to: "tool" as const, signal: "SIGTERM" as const, twice: false },
      ...Array.from({ length: 4 }, (_, i) => ({
        // from 1 s on: npm killed within its first second can leave the tool running (see docs/guarantees.md)
        delay: Math.round(1000 + Math.random() * 5300),
        to: random(TARGETS),
        signal: random(SIGNALS),
        twice: i >= 2,
      })),
    ];
    for (const c of cases) {
      const when = c.delay === "kernel" ? "1 s after the kernel started" : `after ${c.delay} ms`;
      const what = `${c.signal}${c.twice ? " twice" : ""} to ${c.to} ${when}`;
      const temp = mkdtempSync(join(tmpdir(), "interrupt-"));
      const out = join(temp, "out");
      const npm = spawn("npm", ["run", "--silent", "report", "--", "--only", "01-model", "--out-dir", out], {
        cwd: ROOT,
        env: { ...process.env, REPORT_PROFILE: "quick", TMPDIR: temp },
        detached: true,
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      npm.stderr!.on("data", (d) => (stderr += d));
      const exited = new Promise<number | null>((r) => npm.on("exit", (code) => r(code)));
      const seen = new Set<number>([npm.pid!]);
      const look = () => descendants(npm.pid!).forEach((p) => seen.add(p));
      try {
        const started = Date.now();
        const kernel = () => [...seen].some((p) => cmdline(p).includes("mnist-report/launch.js"));
        if (c.delay === "kernel") {
          while (!kernel() && Date.now() - started < 60_000) {
            look();
            await sleep(50);
          }
          assert.ok(kernel(), `${what}: the kernel started`);
        }
        const wait = c.delay === "kernel" ? 1000 : c.delay;
        const from = Date.now();
        while (Date.now() - from < wait) {
          look();
          await sleep(50);
        }
        look();
        const tool = descendants(npm.pid!).find((p) => cmdline(p).includes("scripts/run.js"));
        const pid = c.to === "npm" ? npm.pid! : c.to === "group" ? -npm.pid! : (tool ?? npm.pid!);
        const sent = Date.now();
        process.kill(pid, c.signal);
        if (c.twice) {
          await sleep(300);
          look();
          try {
            process.kill(pid, c.signal);
          } catch {
            // already gone
          }
        }
        const live = () => [...seen].filter((p) => processes().has(p) && cmdline(p) !== "");
        while (live().length > 0 && Date.now() - sent < 15_000) await sleep(100);
        const seconds = (Date.now() - sent) / 1000;
        assert.deepEqual(
          live().map((p) => `${p} ${cmdline(p)}`),
          [],
          `${what}: still running after ${seconds} s; stderr:\n${stderr}`,
        );
        assert.ok(seconds < 5, `${what}: everything stopped, but in ${seconds} s`);
        assert.notEqual(await exited, 0, `${what}: npm says it did not finish`);
        // The kernels: no process anywhere names a connection file of this run.
        const kernels = [...processes().keys()].filter((p) => cmdline(p).includes(temp));
        assert.deepEqual(kernels, [], `${what}: a kernel of this run still runs`);
        // (npm itself keeps a compile cache in TMPDIR on Node 22 and later: npm's, not the command's)
        const left = readdirSync(temp).filter((f) => f !== "out" && f !== "node-compile-cache");
        assert.deepEqual(left, [], `${what}: left in the temporary folder`);
        assert.deepEqual(spawnSync("ls", ["-A", out]).stdout?.toString().trim() ?? "", "", `${what}: output written`);
        console.log(`${what}: all ended in ${seconds.toFixed(1)} s`);
      } finally {
        for (const p of [-npm.pid!, ...seen, ...[...processes().keys()].filter((p) => cmdline(p).includes(temp))]) {
          try {
            process.kill(p, "SIGKILL");
          } catch {
            // gone
          }
        }
        rmSync(temp, { recursive: true, force: true });
      }
    }
  },
);
