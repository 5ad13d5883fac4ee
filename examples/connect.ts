/**
 * What every example starts with: a city client for one member, on the local city of `npm start` by default.
 *
 *   CITY_RPC_URL     JSON-RPC of the chain            (default http://127.0.0.1:8545)
 *   CITY_NODE_URL    the ledger node (relay, proofs)  (default http://127.0.0.1:8787)
 *   CITY_DEPLOYMENT  the deployment record            (default deployments/31337.json)
 *   MEMBER_KEY       the member's private key         (default: demo member MEMBER_INDEX, itself default 1)
 *
 * In your app, import from "@cityledger/sdk"; the examples import the SDK's sources so they run without a build.
 */
import fs from "node:fs";
import path from "node:path";
import { createPublicClient, createWalletClient, http, keccak256, toHex, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createCityClient, type CityClient, type DeploymentRecordJson } from "@cityledger/sdk";

/** Demo member `index`'s key, as `npm start` derives it: keccak256("cityledger demo member " + index). */
export function demoMemberKey(index: number): Hex {
  return keccak256(toHex(`cityledger demo member ${index}`));
}

/** A city client acting as the member with `key`, relaying through the ledger node. */
export function connect(key: Hex = (process.env.MEMBER_KEY as Hex | undefined) ?? demoMemberKey(Number(process.env.MEMBER_INDEX ?? 1))): CityClient {
  const rpcUrl = process.env.CITY_RPC_URL ?? "http://127.0.0.1:8545";
  const file = path.resolve(process.env.CITY_DEPLOYMENT ?? "deployments/31337.json");
  if (!fs.existsSync(file)) {
    console.error(`error: no deployment record at ${file}. Start the local city first: npm start`);
    process.exit(2);
  }
  const record = JSON.parse(fs.readFileSync(file, "utf8")) as DeploymentRecordJson;
  const transport = http(rpcUrl);
  return createCityClient({
    publicClient: createPublicClient({ transport }),
    walletClient: createWalletClient({ transport, account: privateKeyToAccount(key) }),
    deployment: record,
    ledgerUrl: process.env.CITY_NODE_URL ?? "http://127.0.0.1:8787",
  });
}

/** Runs an example's main, printing a readable error (the SDK's short message and hints) instead of a stack. */
export function run(main: () => Promise<void>): void {
  main().catch((error: Error & { shortMessage?: string; metaMessages?: string[] }) => {
    console.error(`error: ${error.shortMessage ?? error.message}`);
    for (const line of error.metaMessages ?? []) console.error(`  ${line}`);
    process.exitCode = 1;
  });
}
