import fs from "node:fs";
import path from "node:path";
import { loadDeployment } from "@cityledger/sdk";
import type { DeploymentRecord } from "./deploy";

/** Where `deployments/<chainId>.json` files go: `CITY_DEPLOYMENTS_DIR`, else the repository's deployments/. */
export function deploymentsDir(): string {
  const fromEnv = process.env.CITY_DEPLOYMENTS_DIR;
  return fromEnv ? path.resolve(fromEnv) : path.resolve(__dirname, "..", "..", "deployments");
}

/** The file a chain's deployment is written to. */
export function deploymentPath(chainId: number | bigint, dir = deploymentsDir()): string {
  return path.join(dir, `${chainId}.json`);
}

/**
 * Reads a chain's deployment record, or `undefined` when the chain has none. The record is checked by the SDK's
 * `loadDeployment` (the one parser of records): a malformed one throws its `InvalidDeploymentError`, which lists
 * every problem.
 */
export function readDeployment(chainId: number | bigint, dir = deploymentsDir()): DeploymentRecord | undefined {
  const file = deploymentPath(chainId, dir);
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, "utf8");
  loadDeployment(text, { chainId: Number(chainId) });
  return JSON.parse(text) as DeploymentRecord;
}

/**
 * Writes `record` to `<dir>/<chainId>.json` (creating the directory) through a temporary file and a rename, so a
 * reader never sees half a file. Returns the path.
 */
export function writeDeployment(record: DeploymentRecord, dir = deploymentsDir()): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = deploymentPath(record.chainId, dir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(record, null, 2) + "\n");
  fs.renameSync(tmp, file);
  return file;
}
