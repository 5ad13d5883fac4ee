/**
 * Builds the web app (app/ → app/dist) only when its inputs changed since the last build, so `npm start` pays the
 * build once per change, not on every start.
 *
 * "Changed" is a content hash (SHA-256 over each input file's path and bytes, in path order) of everything the build
 * reads from this repository: app/src, app/public, app/index.html, app/vite.config.ts, app/tsconfig.json,
 * app/package.json, the SDK's sources (the app bundles them) and package-lock.json (the versions of Vite, React … the
 * bundle is made of). It is written to `<outDir>/.build-hash` after a successful build: a build that failed or was
 * interrupted leaves no hash, so the next check builds again. The node never serves dot files, so the hash stays
 * private.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Where the build hash lives, inside the output directory. */
export const BUILD_HASH_FILE = ".build-hash";

export interface EnsureAppBuiltOptions {
  /** The repository root (default: the current directory). */
  root?: string;
  /** The app's folder (default `<root>/app`). */
  appDir?: string;
  /** Where the build writes (default `<appDir>/dist`, relative to the app's folder). */
  outDir?: string;
  /** Files or folders whose content the build depends on (default {@link defaultAppInputs}); absent ones are skipped. */
  inputs?: string[];
  /** Runs the build into `outDir` (default {@link viteBuild}); tests inject one that does not run Vite. */
  build?: (appDir: string, outDir: string, log: (line: string) => void) => Promise<void>;
  /** Progress lines (default: to stderr). */
  log?: (line: string) => void;
}

export interface EnsureAppBuiltResult {
  /** Whether a build ran (false: the output was up to date). */
  built: boolean;
  /** Time taken, the check included, in milliseconds. */
  ms: number;
  /** The inputs' content hash, as now stored beside the output. */
  hash: string;
  /** The built app: what the node serves (`--app-dir`). */
  outDir: string;
}

/** The build failed: the message ends with the build's last output lines and how to see all of it. */
export class AppBuildError extends Error {
  override name = "AppBuildError";
}

/**
 * The inputs of the app's build, relative to the repository root.
 * @example `defaultAppInputs("app")` // ["app/src", "app/public", "app/index.html", …, "sdk/src", "package-lock.json"]
 */
export function defaultAppInputs(appDir = "app"): string[] {
  const inApp = ["src", "public", "index.html", "vite.config.ts", "tsconfig.json", "package.json"].map((p) => path.join(appDir, p));
  return [...inApp, "sdk/src", "package-lock.json"];
}

/**
 * SHA-256 over every file of `inputs` (files, or folders walked recursively; node_modules skipped): each file's path
 * relative to `root` and its bytes, sorted by path, so a renamed, added, removed or edited file changes it.
 *
 * @example `hashInputs(".", defaultAppInputs())` // "3f9a…"
 */
export function hashInputs(root: string, inputs: readonly string[]): string {
  const files: string[] = [];
  const walk = (abs: string): void => {
    const stat = fs.statSync(abs, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isFile()) files.push(abs);
    else if (stat.isDirectory()) {
      for (const name of fs.readdirSync(abs)) if (name !== "node_modules") walk(path.join(abs, name));
    }
  };
  for (const input of inputs) walk(path.resolve(root, input));
  const hash = createHash("sha256");
  for (const file of [...new Set(files)].map((f) => path.relative(root, f).split(path.sep).join("/")).sort()) {
    const bytes = fs.readFileSync(path.join(root, file));
    // Length-prefixed, so no two different file sets can hash the same bytes.
    hash.update(`${file}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest("hex");
}

/**
 * Builds the app when its inputs changed since the output was built (or the output is missing), and records the new
 * hash. Concurrent calls for the same output (two starts, parallel test suites) take turns on a lock file: the second
 * finds the first's build up to date.
 *
 * @example
 * ```ts
 * const { built, ms, outDir } = await ensureAppBuilt();
 * console.error(built ? `app built in ${ms} ms` : "app up to date");
 * ```
 */
export async function ensureAppBuilt(options: EnsureAppBuiltOptions = {}): Promise<EnsureAppBuiltResult> {
  const started = Date.now();
  const root = path.resolve(options.root ?? ".");
  const appDir = path.resolve(root, options.appDir ?? "app");
  const outDir = path.resolve(appDir, options.outDir ?? "dist");
  const inputs = options.inputs ?? defaultAppInputs(path.relative(root, appDir));
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const build = options.build ?? viteBuild;

  const release = await lock(outDir, log);
  try {
    const hash = hashInputs(root, inputs);
    const hashFile = path.join(outDir, BUILD_HASH_FILE);
    const previous = fs.existsSync(path.join(outDir, "index.html")) ? readText(hashFile) : undefined;
    if (previous === hash) {
      log(`web app: up to date (${path.relative(root, outDir) || outDir}, inputs ${hash.slice(0, 12)})`);
      return { built: false, ms: Date.now() - started, hash, outDir };
    }
    const why = previous === undefined ? "no previous build" : "inputs changed";
    log(`web app: building ${path.relative(root, appDir) || appDir} (${why})…`);
    fs.rmSync(hashFile, { force: true }); // a build that fails halfway must not look up to date
    await build(appDir, outDir, (line) => log(`  ${line}`));
    if (!fs.existsSync(path.join(outDir, "index.html"))) {
      throw new AppBuildError(`the app's build finished but wrote no ${path.join(outDir, "index.html")}: check its vite.config.ts`);
    }
    fs.writeFileSync(hashFile, `${hash}\n`);
    const ms = Date.now() - started;
    log(`web app: built in ${(ms / 1000).toFixed(1)} s`);
    return { built: true, ms, hash, outDir };
  } finally {
    release();
  }
}

/** A line of Vite's table of output files and their sizes. */
const CHUNK_SIZE_LINE = /\d kB(\s|$)/;
/** Output lines of a failed build shown with the error (the whole output is one `vite build` away). */
const FAILURE_TAIL_LINES = 30;

/**
 * `vite build` in `appDir` into `outDir` (emptied first), as a child process of this Node (`node <vite>/bin/vite.js
 * build`): no shell, no npx. Its output goes to `log` a line at a time; a failure throws {@link AppBuildError} with
 * the last lines.
 */
export async function viteBuild(appDir: string, outDir: string, log: (line: string) => void): Promise<void> {
  let viteBin: string;
  try {
    viteBin = path.join(path.dirname(require.resolve("vite/package.json", { paths: [appDir] })), "bin", "vite.js");
  } catch {
    throw new AppBuildError(`Vite is not installed for ${appDir}: run npm install at the repository root.`);
  }
  const tail: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [viteBin, "build", "--outDir", outDir, "--emptyOutDir"], {
      cwd: appDir,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const onLines = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split(/\r?\n/)) {
        if (line.trim() === "") continue;
        tail.push(line);
        if (tail.length > FAILURE_TAIL_LINES) tail.shift();
        // One line per output file (its size table) would bury the progress: Vite's own summary lines are kept.
        if (!CHUNK_SIZE_LINE.test(line)) log(line);
      }
    };
    child.stdout.on("data", onLines);
    child.stderr.on("data", onLines);
    child.on("error", (error) => reject(new AppBuildError(`could not run Vite (${error.message})`)));
    child.on("close", (code, signal) => {
      if (code === 0) return resolve();
      const how = signal ? `was stopped by ${signal}` : `exited with code ${code}`;
      reject(
        new AppBuildError(
          `the web app's build (vite build in ${appDir}) ${how}:\n${tail.join("\n")}\n` +
            `Fix the error above; \`cd ${path.relative(process.cwd(), appDir) || "."} && npx vite build\` shows the whole output.`,
        ),
      );
    });
  });
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** Polling interval while another process builds the same output. */
const LOCK_POLL_MS = 250;
/** Polls after which a lock file without a pid in it is taken for stale. */
const STALE_UNREADABLE_POLLS = 20;

/**
 * An exclusive lock on building `outDir`: a file in the temp dir holding the owner's pid, created with O_EXCL. A lock
 * whose owner is gone (killed mid-build) is taken over. Returns the release function.
 */
async function lock(outDir: string, log: (line: string) => void): Promise<() => void> {
  const file = buildLockFile(outDir);
  let waited = false;
  let unreadable = 0;
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number(readText(file));
    const valid = Number.isSafeInteger(owner) && owner > 0;
    // A dead owner (killed mid-build) or, after a few seconds, an unreadable lock: the next attempt takes it over. An
    // empty file is a lock being written right now, not a stale one.
    if ((valid && !alive(owner)) || (!valid && ++unreadable > STALE_UNREADABLE_POLLS)) {
      fs.rmSync(file, { force: true });
      continue;
    }
    if (!waited) log(`web app: waiting for another build of ${outDir}${valid ? ` (pid ${owner})` : ""}…`);
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

/** The lock file of builds into `outDir` (an absolute path). */
export function buildLockFile(outDir: string): string {
  return path.join(os.tmpdir(), `cityledger-app-build-${createHash("sha256").update(outDir).digest("hex").slice(0, 16)}.lock`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
