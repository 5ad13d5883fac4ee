/**
 * `cityledger start` and `cityledger deploy`: thin wrappers over the Hardhat scripts (they need Hardhat's runtime),
 * run as a child process that shares the terminal, so progress bars and Ctrl-C behave as with `npm start`.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const ROOT = path.resolve(__dirname, "..", "..");

const START_USAGE = `Usage: cityledger start

Runs a local city on loopback: a Hardhat chain on 127.0.0.1:8545 (CITY_PORT), the contracts deployed, demo data,
and a ledger node on 127.0.0.1:8787 (CITY_NODE_PORT) that follows, anchors and relays. Ctrl-C stops everything.
Same as \`npm start\`.`;

const DEPLOY_USAGE = `Usage: cityledger deploy --network NAME [--json]

Deploys the city to a network of hardhat.config.ts and writes deployments/<chainId>.json.
  --network   network name (e.g. remote, with CITY_RPC_URL and CITY_DEPLOYER_KEY set; see README)
  --json      print the deployment record's addresses as JSON on stdout when done
Role holders come from CITY_REGISTRARS, CITY_ISSUERS, CITY_COUNCIL… (see scripts/deploy.ts).`;

/** Runs `hardhat run <script>` with the terminal; resolves with its exit code. */
function hardhatRun(script: string, extra: string[], env: NodeJS.ProcessEnv = process.env, stdout: "inherit" | "pipe" = "inherit"): Promise<{ code: number; out: string }> {
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

export async function runStart(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(START_USAGE);
    return 0;
  }
  if (argv.length > 0) {
    console.error(`error: cityledger start takes no arguments (got ${argv.join(" ")}); configure it with CITY_PORT, CITY_NODE_PORT.\n\n${START_USAGE}`);
    return 2;
  }
  return (await hardhatRun("scripts/start.ts", [])).code;
}

export async function runDeploy(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(DEPLOY_USAGE);
    return 0;
  }
  let values: { network?: string; json?: boolean };
  try {
    values = parseArgs({ args: argv, options: { network: { type: "string" }, json: { type: "boolean" } }, strict: true }).values;
  } catch (error) {
    console.error(`error: ${(error as Error).message}. Run \`cityledger deploy --help\`.`);
    return 2;
  }
  if (!values.network) {
    console.error("error: --network is required (e.g. --network remote, or --network localhost for a running `npm start`).");
    return 2;
  }
  const { code, out } = await hardhatRun("scripts/deploy.ts", ["--network", values.network], process.env, values.json ? "pipe" : "inherit");
  if (!values.json) return code;
  if (code !== 0) {
    process.stderr.write(out);
    return code;
  }
  const file = out.match(/deployment written to (.+\.json)/)?.[1];
  if (!file || !fs.existsSync(path.resolve(ROOT, file))) {
    process.stderr.write(out);
    console.error("error: the deployment finished but wrote no record (a dry run on the in-process network?). Pass a real --network.");
    return 1;
  }
  const record = JSON.parse(fs.readFileSync(path.resolve(ROOT, file), "utf8")) as { chainId: number; contracts: Record<string, { address: string }> };
  const addresses = Object.fromEntries(Object.entries(record.contracts).map(([name, c]) => [name, c.address]));
  console.log(JSON.stringify({ chainId: record.chainId, record: file, addresses }, null, 2));
  return 0;
}
