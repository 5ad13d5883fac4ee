/**
 * `cityledger start`: a local city on loopback, the same as `npm start` (scripts/start.ts under `hardhat run`).
 */
import { hardhatRun } from "../lib/hardhat";

const START_USAGE = `Usage: cityledger start

Runs a local city on loopback: a Hardhat chain on 127.0.0.1:8545 (CITY_PORT), the contracts deployed, demo data,
and a ledger node on 127.0.0.1:8787 (CITY_NODE_PORT) that follows, anchors and relays. Ctrl-C stops everything.
Same as \`npm start\`.`;

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
