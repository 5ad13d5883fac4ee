import { cityGovernorAbi } from "../../abis/cityGovernor";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { governanceAddress, proposalStates, type ProposalState } from "../internal/governance";

/** @example `const p: GetProposalStateParameters = { proposalId };` */
export interface GetProposalStateParameters extends ReadParameters {
  proposalId: bigint;
}

/** @example `const state: GetProposalStateReturnType = await getProposalState(city, { proposalId }); // "queued"` */
export type GetProposalStateReturnType = ProposalState;

/** @example `catch (e) { const err = e as GetProposalStateErrorType; } // GovernorNonexistentProposal` */
export type GetProposalStateErrorType = ReadErrorType;

/**
 * A proposal's state: pending (before its vote), active, canceled (by the orchestrator, or vetoed), defeated,
 * succeeded, queued (in the timelock), expired or executed.
 *
 * @example
 * ```ts
 * if ((await getProposalState(city, { proposalId })) === "succeeded") await queue(city, call);
 * ```
 */
export async function getProposalState(context: CityContext, parameters: GetProposalStateParameters): Promise<GetProposalStateReturnType> {
  const address = governanceAddress(context, "CityGovernor", "getProposalState");
  const code = await read(() =>
    context.publicClient.readContract({ address, abi: cityGovernorAbi, functionName: "state", args: [parameters.proposalId], ...blockOf(parameters) }),
  );
  return proposalStates[code]!;
}
