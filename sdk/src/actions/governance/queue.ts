import { keccak256, toBytes } from "viem";
import { cityGovernorAbi } from "../../abis/cityGovernor";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { governanceAddress, proposalArgs, type ProposalCall } from "../internal/governance";

/** @example `const p: QueueParameters = { targets, calldatas, description };` */
export interface QueueParameters extends WriteParameters, ProposalCall {}

/** @example `const hash: QueueReturnType = await queue(city, call);` */
export type QueueReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as QueueErrorType; } // e.g. GovernorUnexpectedProposalState` */
export type QueueErrorType = WriteErrorType;

/**
 * Queues a passed proposal in the timelock (anyone may: nobody can sit on a result). The citizens may veto it while it
 * waits; {@link execute} runs it after the timelock's delay.
 *
 * @example
 * ```ts
 * await queue(city, { ...call, wait: true });
 * ```
 */
export async function queue(context: CityContext, parameters: QueueParameters): Promise<QueueReturnType> {
  const address = governanceAddress(context, "CityGovernor", "queue");
  return write(context, "queue", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: cityGovernorAbi,
      functionName: "queue",
      args: [...proposalArgs(parameters), keccak256(toBytes(parameters.description))],
      account,
    }),
  );
}
