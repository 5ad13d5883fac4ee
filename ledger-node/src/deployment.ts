import fs from "node:fs";
import { loadDeployment } from "@cityledger/sdk";
import { InvalidDeploymentError } from "@cityledger/sdk/errors";
import { ConfigError } from "./config";
import type { DeployedContracts } from "./relay/allowlist";

/** The deployment record fields the node relies on: the record as written, each contract with its ABI. */
export interface NodeDeployment extends DeployedContracts {
  chainId: number;
  deployBlock: number;
}

/**
 * Reads and checks a deployment record file for the node and the CLI. The record is validated by the SDK's
 * `loadDeployment` (the one parser of deployment records: addresses, block numbers, roles); the node adds what it
 * needs beyond the SDK: an ABI for every contract (it decodes their events) and a deploy block ≥ 1 (its log starts
 * after the block before). A missing or malformed file is a {@link ConfigError} saying what to do.
 */
export function readDeployment(file: string): NodeDeployment {
  if (!fs.existsSync(file)) {
    throw new ConfigError(`no deployment record at ${file}. Start the local city with \`npm start\` or pass --deployment.`);
  }
  let record: unknown;
  try {
    record = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON (${(error as Error).message}).`);
  }
  const problems: string[] = [];
  try {
    loadDeployment(record);
  } catch (error) {
    if (!(error instanceof InvalidDeploymentError)) throw error;
    problems.push(...error.problems);
  }
  const { deployBlock, contracts } = (record ?? {}) as Partial<Record<"deployBlock" | "contracts", unknown>>;
  if (deployBlock === 0) problems.push("deployBlock must be a block number ≥ 1");
  if (typeof contracts === "object" && contracts !== null) {
    for (const [name, c] of Object.entries(contracts)) {
      if (!Array.isArray((c as { abi?: unknown } | null)?.abi)) problems.push(`contracts.${name}.abi is missing`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`${file} is not a deployment record: ${problems.join("; ")}.`);
  return record as NodeDeployment;
}
