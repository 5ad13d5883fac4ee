import { keccak256, toBytes } from "viem";
import { cityGovernorAbi } from "../../abis/cityGovernor";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { governanceAddress, proposalArgs, type ProposalCall } from "../internal/governance";

/** @example `const p: ExecuteParameters = { targets, calldatas, description };` */
export interface ExecuteParameters extends WriteParameters, ProposalCall {}

/** @example `const hash: ExecuteReturnType = await execute(city, call);` */
export type ExecuteReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as ExecuteErrorType; } // e.g. GovernorUnexpectedProposalState` */
export type ExecuteErrorType = WriteErrorType;

/**
 * Executes a queued proposal once the timelock's delay has passed (anyone may): the timelock makes its calls.
 *
 * @example
 * ```ts
 * await execute(city, { ...call, wait: true });
 * ```
 */
export async function execute(context: CityContext, parameters: ExecuteParameters): Promise<ExecuteReturnType> {
  const address = governanceAddress(context, "CityGovernor", "execute");
  return write(context, "execute", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: cityGovernorAbi,
      functionName: "execute",
      args: [...proposalArgs(parameters), keccak256(toBytes(parameters.description))],
      account,
    }),
  );
}
