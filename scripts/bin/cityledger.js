#!/usr/bin/env node
/**
 * The `cityledger` command. Subcommands run the TypeScript sources directly (ts-node, transpile only), so the CLI
 * needs no build step: `npx cityledger node`, `npx cityledger proof …`. Exit codes: 0 success, 1 failure or
 * discrepancy, 2 usage error (the message says what to fix), 3 chain or node unreachable (where a command says so).
 * ts-node's registration also loads scripts/lib/resolve-sdk.js (tsconfig.json `ts-node.require`): `@cityledger/sdk`
 * resolves to the SDK's sources.
 */
"use strict";
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");
require("ts-node").register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });

/** Every command's entry is scripts/cli/<command>.ts, exporting `run<Command>(argv) → exit code`. */
const COMMANDS = {
  start: () => require(path.join(root, "scripts/cli/start")).runStart,
  deploy: () => require(path.join(root, "scripts/cli/deploy")).runDeploy,
  node: () => require(path.join(root, "scripts/cli/node")).runNode,
  replay: () => require(path.join(root, "scripts/cli/replay")).runReplay,
  audit: () => require(path.join(root, "scripts/cli/audit")).runAudit,
  proof: () => require(path.join(root, "scripts/cli/proof")).runProof,
  bulletin: () => require(path.join(root, "scripts/cli/bulletin")).runBulletin,
};

const USAGE = `Usage: cityledger <command> [options]

Commands:
  start    run a local city on loopback: chain, contracts, demo data, ledger node (= npm start)
  deploy   deploy the city to a network and write deployments/<chainId>.json
  node     run a ledger node: follow the chain, keep the verifiable log, serve the API, relay
  replay   rebuild the projections from a node's log and print the state hash
  audit    re-derive the log from the chain and check a node, the anchors and the money against it
  proof    prove an entry is in a node's signed log (and, with --rpc, that it is the chain's log)
  bulletin write a month's data-use bulletin (JSON, Markdown, HTML, CSV), its signature checked

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
