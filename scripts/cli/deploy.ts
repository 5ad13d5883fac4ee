/**
 * `cityledger deploy --network NAME [--json]`: deploys the city (scripts/deploy.ts under `hardhat run`) and, with
 * --json, prints the record's addresses.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadDeployment } from "@cityledger/sdk";
import { ROOT, hardhatRun } from "../lib/hardhat";

const DEPLOY_USAGE = `Usage: cityledger deploy --network NAME [--json]

Deploys the city to a network of hardhat.config.ts and writes deployments/<chainId>.json.
  --network   network name (e.g. remote, with CITY_RPC_URL and CITY_DEPLOYER_KEY set; see README)
  --json      print the deployment record's addresses as JSON on stdout when done
Role holders come from CITY_REGISTRARS, CITY_ISSUERS, CITY_COUNCIL… (see scripts/deploy.ts).`;

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
  const record = loadDeployment(fs.readFileSync(path.resolve(ROOT, file), "utf8"));
  const addresses = Object.fromEntries(Object.entries(record.contracts).map(([name, c]) => [name, c.address]));
  console.log(JSON.stringify({ chainId: record.chainId, record: file, addresses }, null, 2));
  return 0;
}
