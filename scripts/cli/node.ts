/**
 * `cityledger node`: runs a ledger node until SIGINT/SIGTERM. Exit codes: 0 clean stop, 1 runtime failure,
 * 2 bad configuration (the message says what to fix).
 */
import { ConfigError, nodeUsage, parseNodeConfig } from "../../ledger-node/src/config";
import { startLedgerNode } from "../../ledger-node/src/node";
import { LogLockedError } from "../../ledger-node/src/log/store";

export async function runNode(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(nodeUsage());
    return 0;
  }
  try {
    const config = parseNodeConfig(argv);
    // Progress of the projections catching up with an existing log: a live line on a terminal, nothing in logs.
    const tty = process.stderr.isTTY;
    const node = await startLedgerNode(config, {
      onProgress: tty ? (p) => process.stderr.write(`\rprojections: ${p.seq}/${p.size} entries`) : undefined,
    });
    if (tty) process.stderr.write("\n");
    console.log(`ledger node on ${node.url} (log size ${node.store.size}, data in ${config.dataDir})`);
    console.log(`checkpoint key: ${node.verifierKey}`);
    if (config.appDir) console.log(`web app on ${node.url}/ (from ${config.appDir})`);
    console.log(`cityledger node ready on ${node.url}`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    await node.close();
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`error: ${error.message}`);
      return 2;
    }
    if (error instanceof LogLockedError) {
      console.error(`error: ${error.message}. Stop the other node, or pass another --data-dir.`);
      return 2;
    }
    console.error(`error: ledger node failed: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  runNode(process.argv.slice(2)).then((code) => process.exit(code));
}
