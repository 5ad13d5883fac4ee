/**
 * `cityledger` as a child process. Two ways to start it, running the same sources:
 *
 * - `bin`: `node scripts/bin/cityledger.js <command> …`, exactly what users run (ts-node compiles every source file at
 *   each start: ~1.5 s of CPU, 5+ s of wall time on a loaded 2-core machine);
 * - `compiled`: `node -r <tmp>/scripts/lib/resolve-sdk.js <tmp>/scripts/cli/node.js …`, the command's entry, the
 *   ledger-node and SDK sources transpiled once per test process into a temp dir (same transpiler, same options as
 *   the bin's ts-node `transpileOnly`; the resolver maps `@cityledger/sdk` to the copy's sdk/src), which starts in
 *   ~0.3 s of CPU: what makes dozens of kill/restart cycles affordable.
 *
 * Every child started here is tracked; {@link killStarted} (call it in `after`) SIGKILLs those still running, by pid.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { tempDir } from "./chain";

export const ROOT = path.resolve(__dirname, "..", "..", "..");
export const BIN = path.join(ROOT, "scripts", "bin", "cityledger.js");

/**
 * Runs `cityledger …` (the bin) to its end; resolves with the exit code and both streams (never rejects on a non-zero
 * exit). `env` is added to this process's environment.
 */
export async function cityledger(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, FORCE_COLOR: "0", ...env },
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
  /** Resolves with the first match of `pattern` in stdout; rejects if the process exits first or on timeout. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Sends `signal` (if still running) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

const started = new Set<ChildProcess>();

/** Starts `command` of the CLI (`node`, `replay`) with `args`. */
export function startCli(command: "node" | "replay", args: string[], how: { entry: "bin" } | { entry: "compiled"; dir: string }): CliProcess {
  let argv: string[];
  if (how.entry === "bin") argv = [BIN, command, ...args];
  else if (command === "node") argv = ["-r", path.join(how.dir, "scripts", "lib", "resolve-sdk.js"), path.join(how.dir, "scripts", "cli", "node.js"), ...args];
  else throw new Error("the compiled entry runs `node` only; run replay through the bin");
  const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } });
  started.add(child);
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.once("close", (code, signal) => {
      started.delete(child);
      resolve({ code, signal });
    }),
  );
  let exitedNow = false;
  void exited.then(() => (exitedNow = true));
  const proc: CliProcess = {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(out);
          if (m) {
            done();
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} on stdout within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err.slice(-4000)}`));
        }, timeoutMs);
        const onExit = (e: Exit) => {
          check();
          done();
          reject(new Error(`exited (${e.code ?? e.signal}) before ${pattern}\nstdout:\n${out}\nstderr:\n${err.slice(-4000)}`));
        };
        let finished = false;
        const done = () => {
          finished = true;
          clearTimeout(timer);
          child.stdout!.off("data", check);
        };
        child.stdout!.on("data", check);
        void exited.then((e) => {
          if (!finished) onExit(e);
        });
        check();
      });
    },
    async stop(signal = "SIGTERM") {
      if (!exitedNow) child.kill(signal);
      return exited;
    },
  };
  return proc;
}

/** SIGKILLs every child started by this module that is still running (each by its own pid). */
export async function killStarted(): Promise<void> {
  const waits: Promise<unknown>[] = [];
  for (const child of started) {
    waits.push(new Promise((resolve) => child.once("close", resolve)));
    child.kill("SIGKILL");
  }
  await Promise.all(waits);
}

let compiled: Promise<string> | undefined;

/**
 * The ledger node and SDK sources transpiled to CommonJS in a temp dir (once per test process), with the
 * repository's node_modules linked in where the sources would find them. Returns the dir; removed at exit.
 */
export function compiledCli(): Promise<string> {
  compiled ??= (async () => {
    const out = tempDir("compiled-cli");
    process.once("exit", () => fs.rmSync(out, { recursive: true, force: true }));
    const transpile = (file: string) => {
      const dest = path.join(out, path.relative(ROOT, file));
      const js = ts.transpileModule(fs.readFileSync(file, "utf8"), {
        fileName: file,
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true },
      }).outputText;
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest.replace(/\.ts$/, ".js"), js);
    };
    const copy = (file: string) => {
      const dest = path.join(out, path.relative(ROOT, file));
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.copyFileSync(file, dest);
    };
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, e.name);
        if (e.isDirectory()) walk(file);
        else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) transpile(file);
        else if (e.name.endsWith(".json")) copy(file);
      }
    };
    walk(path.join(ROOT, "ledger-node", "src"));
    walk(path.join(ROOT, "sdk", "src"));
    transpile(path.join(ROOT, "scripts", "cli", "node.ts"));
    copy(path.join(ROOT, "scripts", "lib", "resolve-sdk.js"));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(out, "node_modules"), "dir");
    if (fs.existsSync(path.join(ROOT, "sdk", "node_modules"))) {
      fs.symlinkSync(path.join(ROOT, "sdk", "node_modules"), path.join(out, "sdk", "node_modules"), "dir");
    }
    return out;
  })();
  return compiled;
}

/** GET `url` as JSON (undefined on 404), with a timeout. */
export async function getJson<T>(url: string, timeoutMs = 10_000): Promise<T | undefined> {
  const res = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(timeoutMs) });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
