import { cityGovernorAbi } from "../../abis/cityGovernor";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { governanceAddress } from "../internal/governance";

/** Vote values (bravo): 0 against, 1 for, 2 abstain. @example `const s: VoteSupport = 1;` */
export type VoteSupport = 0 | 1 | 2;

/** @example `const p: CastVoteParameters = { proposalId, support: 1 };` */
export interface CastVoteParameters extends WriteParameters {
  proposalId: bigint;
  support: VoteSupport;
}

/** @example `const hash: CastVoteReturnType = await castVote(member, params);` */
export type CastVoteReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as CastVoteErrorType; } // e.g. CityGovernorAlreadyVoted, CityGovernorNotAMember` */
export type CastVoteErrorType = WriteErrorType;

/**
 * Votes on an active proposal: the vote counts in the member's college at the proposal's snapshot. Gasless with
 * `gasless: true` (relayed through the forwarder), or see {@link signBallot} and {@link castVoteBySig}.
 *
 * @example
 * ```ts
 * await castVote(member, { proposalId, support: 1, wait: true });
 * ```
 */
export async function castVote(context: CityContext, parameters: CastVoteParameters): Promise<CastVoteReturnType> {
  const address = governanceAddress(context, "CityGovernor", "castVote");
  return write(context, "castVote", parameters, (publicClient, account) =>
    publicClient.simulateContract({ address, abi: cityGovernorAbi, functionName: "castVote", args: [parameters.proposalId, parameters.support], account }),
  );
}
