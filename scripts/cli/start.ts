/**
 * `cityledger start [--fresh]`: a local city on loopback, kept across restarts; what `npm start` runs
 * (scripts/start.ts under `hardhat run --network localhost`).
 */
import { hardhatRun } from "../lib/hardhat";

const START_USAGE = `Usage: cityledger start [--fresh]

Runs a local city on loopback: an anvil chain on 127.0.0.1:8545 (CITY_PORT), the contracts deployed, demo data,
and a ledger node on 127.0.0.1:8787 (CITY_NODE_PORT) that follows, anchors and relays. Ctrl-C stops everything.
The city is kept in .city-data/city (CITY_DATA_DIR): the chain's state and the node's log come back on the next
start, which seeds nothing.
  --fresh   wipe the kept city and start from an empty one, seeded with the demo [env CITY_FRESH=1]
Same as \`npm start\` (\`npm start -- --fresh\`).`;

export async function runStart(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(START_USAGE);
    return 0;
  }
  const unknown = argv.filter((arg) => arg !== "--fresh");
  if (unknown.length > 0) {
    console.error(`error: cityledger start takes only --fresh (got ${unknown.join(" ")}); configure it with CITY_PORT, CITY_NODE_PORT, CITY_DATA_DIR.\n\n${START_USAGE}`);
    return 2;
  }
  const env = argv.includes("--fresh") ? { ...process.env, CITY_FRESH: "1" } : process.env;
  return (await hardhatRun("scripts/start.ts", ["--network", "localhost"], env)).code;
}
