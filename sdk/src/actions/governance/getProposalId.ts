import { cityGovernorAbi } from "../../abis/cityGovernor";
import { keccak256, toBytes } from "viem";
import type { CityContext, ReadErrorType } from "../../types";
import { read } from "../internal/call";
import { governanceAddress, proposalArgs, type ProposalCall } from "../internal/governance";

/** @example `const p: GetProposalIdParameters = { targets, calldatas, description };` */
export type GetProposalIdParameters = ProposalCall;

/** @example `const id: GetProposalIdReturnType = await getProposalId(city, call);` */
export type GetProposalIdReturnType = bigint;

/** @example `catch (e) { const err = e as GetProposalIdErrorType; }` */
export type GetProposalIdErrorType = ReadErrorType;

/**
 * The id of the proposal `call` would be (or is): `hashProposal(targets, values, calldatas, keccak256(description))`.
 *
 * @example
 * ```ts
 * const proposalId = await getProposalId(city, { targets, calldatas, description });
 * ```
 */
export async function getProposalId(context: CityContext, parameters: GetProposalIdParameters): Promise<GetProposalIdReturnType> {
  const address = governanceAddress(context, "CityGovernor", "getProposalId");
  return read(() =>
    context.publicClient.readContract({
      address,
      abi: cityGovernorAbi,
      functionName: "hashProposal",
      args: [...proposalArgs(parameters), keccak256(toBytes(parameters.description))],
    }),
  );
}
