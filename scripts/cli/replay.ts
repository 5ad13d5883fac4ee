/**
 * `cityledger replay --data-dir DIR [--deployment FILE] [--json]`: rebuilds every projection from entry 0 of a
 * node's log (the node must be stopped: LevelDB allows one process) and prints the state hash, which must equal
 * what the live node reported at the same size (`GET /v1/state`).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { LogLockedError, LogStore } from "../../ledger-node/src/log/store";
import { replay } from "../../ledger-node/src/projections";
import { CityEventDecoder } from "@cityledger/sdk/ledger";
import { readDeployment } from "../../ledger-node/src/deployment";
import { ConfigError, optionValue, parseArgsOptions } from "../../ledger-node/src/config";

const USAGE = `Usage: cityledger replay [--data-dir DIR] [--deployment FILE] [--json]

Rebuilds every projection from entry 0 of the node's log and prints the state hash.
  --data-dir     the stopped node's data directory (default .city-data/ledger) [env CITY_DATA_DIR]
  --deployment   deployment record (default deployments/31337.json) [env CITY_DEPLOYMENT]
  --json         print the result as JSON`;

export async function runReplay(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  try {
    let values: { "data-dir"?: string; deployment?: string; json?: boolean };
    try {
      values = parseArgs({
        args: argv,
        options: { ...parseArgsOptions(["data-dir", "deployment"]), json: { type: "boolean" } },
        strict: true,
      }).values;
    } catch (error) {
      throw new ConfigError(`${(error as Error).message}. Run \`cityledger replay --help\`.`);
    }
    // --data-dir and --deployment are the node's own flags (same environment variables, same defaults).
    const dataDir = path.resolve(optionValue("data-dir", values)!);
    const deployment = readDeployment(path.resolve(optionValue("deployment", values)!));
    let store: LogStore;
    try {
      store = await LogStore.open({ dir: path.join(dataDir, "log"), origin: `cityledger.local/${deployment.chainId}` });
    } catch (error) {
      if (error instanceof LogLockedError) throw new ConfigError(`the log in ${dataDir} is in use: stop the node first, then replay.`);
      throw new ConfigError((error as Error).message);
    }
    try {
      const tty = process.stderr.isTTY;
      const result = await replay({
        store,
        decoder: new CityEventDecoder(deployment),
        onProgress: (p) => {
          if (tty) process.stderr.write(`\rreplay: ${p.seq}/${p.size} entries (${Math.round((100 * p.seq) / Math.max(1, p.size))}%)`);
        },
      });
      if (tty) process.stderr.write("\n");
      const { engine, ...summary } = result;
      void engine;
      if (values.json) console.log(JSON.stringify({ ...summary, size: store.size }, null, 2));
      else {
        console.log(`replayed ${result.entries} entries in ${(result.reduceMs / 1000).toFixed(2)} s (${result.entriesPerSecond} entries/s)`);
        console.log(`state hash: ${result.stateHash}`);
      }
      return 0;
    } finally {
      await store.close();
    }
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    return error instanceof ConfigError ? 2 : 1;
  }
}
