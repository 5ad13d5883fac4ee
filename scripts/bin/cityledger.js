#!/usr/bin/env node
/**
 * The `cityledger` command. Subcommands run the TypeScript sources directly (ts-node, transpile only), so the CLI
 * needs no build step: `npx cityledger node`, `npx cityledger replay`.
 */
"use strict";
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");
require("ts-node").register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });

const COMMANDS = {
  node: () => require(path.join(root, "ledger-node/src/cli")).runNode,
  replay: () => require(path.join(root, "ledger-node/src/cli-replay")).runReplay,
};

const USAGE = `Usage: cityledger <command> [options]

Commands:
  node     run a ledger node: follow the chain, keep the verifiable log, serve the API
  replay   rebuild the projections from a node's log and print the state hash

Run \`cityledger <command> --help\` for a command's options.`;

async function main() {
  const [command, ...args] = process.argv.slice(2);
  if (!command || command === "--help" || command === "-h") {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const load = COMMANDS[command];
  if (!load) {
    console.error(`error: unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  return load()(args);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`error: ${error && error.message ? error.message : error}`);
    process.exit(1);
  },
);
