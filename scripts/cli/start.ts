/**
 * `cityledger start [--fresh] [--operators N]`: a local city on loopback, kept across restarts; what `npm start` runs
 * (scripts/start.ts under `hardhat run --network localhost`).
 */
import { parseArgs } from "node:util";
import { hardhatRun } from "../lib/hardhat";

const START_USAGE = `Usage: cityledger start [--fresh] [--operators N]

Runs a local city on loopback: an anvil chain on 127.0.0.1:8545 (CITY_PORT), the contracts deployed, demo data,
and a ledger node on 127.0.0.1:8787 (CITY_NODE_PORT) that follows, anchors and relays. Ctrl-C stops everything.
The city is kept in .city-data/city (CITY_DATA_DIR): the chain's state and the node's log come back on the next
start, which seeds nothing.
  --fresh          wipe the kept city and start from an empty one, seeded with the demo [env CITY_FRESH=1]
  --operators N    a federation of N operators (2 to 5), chosen when the city is seeded: N ledger nodes on
                   8787, 8788, … each with its own data and checkpoint key, witnessing the others, LedgerAnchor
                   taking a majority of their signatures [env CITY_OPERATORS]
Same as \`npm start\` (\`npm start -- --fresh --operators 3\`).`;

export async function runStart(argv: string[]): Promise<number> {
  let values: { fresh?: boolean; operators?: string; help?: boolean };
  try {
    values = parseArgs({
      args: argv,
      options: { fresh: { type: "boolean" }, operators: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    console.error(`error: ${(error as Error).message}; configure the rest with CITY_PORT, CITY_NODE_PORT, CITY_DATA_DIR.\n\n${START_USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(START_USAGE);
    return 0;
  }
  if (values.operators !== undefined && !/^[1-9]\d*$/.test(values.operators)) {
    console.error(`error: --operators takes a number of operators, e.g. --operators 3 (got "${values.operators}").\n\n${START_USAGE}`);
    return 2;
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (values.fresh) env.CITY_FRESH = "1";
  if (values.operators !== undefined) env.CITY_OPERATORS = values.operators;
  return (await hardhatRun("scripts/start.ts", ["--network", "localhost"], env)).code;
}
