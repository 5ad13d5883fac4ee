/**
 * `hardhat run <script>` as a child process that shares the terminal, so progress bars and Ctrl-C behave as with
 * `npm start`: what `cityledger start` and `cityledger deploy` wrap (those scripts need Hardhat's runtime).
 */
import { spawn } from "node:child_process";
import path from "node:path";

/** The repository root: where `hardhat run` finds hardhat.config.ts. */
export const ROOT = path.resolve(__dirname, "..", "..");

/** Runs `hardhat run <script>` with the terminal; resolves with its exit code. */
export function hardhatRun(script: string, extra: string[], env: NodeJS.ProcessEnv = process.env, stdout: "inherit" | "pipe" = "inherit"): Promise<{ code: number; out: string }> {
  const bin = require.resolve("hardhat/internal/cli/bootstrap", { paths: [ROOT] });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, "run", ...extra, script], { cwd: ROOT, env, stdio: ["inherit", stdout, "inherit"] });
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
    // The child handles Ctrl-C itself (clean shutdown); the wrapper only waits for it.
    const forward = () => {};
    process.on("SIGINT", forward);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward);
      resolve({ code: code ?? (signal ? 130 : 1), out });
    });
  });
}
