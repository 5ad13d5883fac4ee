/**
 * `npm run bench:gas`: measures gas per operation on the in-process Hardhat network and writes
 * `bench/results/gas.json` ("<area>.<operation>" → { gas, baseline?, ratio? }). Each area lives in bench/gas/.
 */
import hre from "hardhat";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { measureFoundation } from "./gas/foundation";
import { measureLedger } from "./gas/ledger";
import { measureParking } from "./gas/parking";
import { measureEnergy } from "./gas/energy";
import { measureBallots, measureBudget } from "./gas/votes";
import { measureGovernance } from "./gas/governance";
import { measureDatause } from "./gas/datause";
import { finalize, type GasEntry } from "./gas/report";

const AREAS: [string, (h: typeof hre) => Promise<Record<string, GasEntry>>][] = [["foundation", measureFoundation], ["ledger", measureLedger], ["parking", measureParking], ["energy", measureEnergy], ["votes", measureBallots], ["votes (budget)", measureBudget], ["governance", measureGovernance], ["datause", measureDatause]];

async function main() {
  const all: Record<string, GasEntry> = {};
  for (const [i, [name, measure]] of AREAS.entries()) {
    process.stdout.write(`[${i + 1}/${AREAS.length}] measuring ${name}…\n`);
    await hre.network.provider.send("hardhat_reset");
    Object.assign(all, await measure(hre));
  }
  const results = finalize(all);
  const dir = join(__dirname, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "gas.json"), JSON.stringify(results, null, 2) + "\n");
  console.table(results);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
