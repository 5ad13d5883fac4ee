import { keccak256, toBytes } from "viem";
import { cityGovernorAbi } from "../../abis/cityGovernor";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { governanceAddress, proposalArgs, type ProposalCall } from "../internal/governance";

/** @example `const p: CancelProposalParameters = { ...call, reason: "duplicate of proposal 12" };` */
export interface CancelProposalParameters extends WriteParameters, ProposalCall {
  /** Published with the cancellation; required. */
  reason: string;
}

/** @example `const hash: CancelProposalReturnType = await cancelProposal(mayor, params);` */
export type CancelProposalReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as CancelProposalErrorType; } // e.g. CityGovernorTooLateToCancel` */
export type CancelProposalErrorType = WriteErrorType;

/**
 * Cancels a proposal as the orchestrator, only before its vote starts, with a reason (`cancelWithReason`), and never
 * one members put on the agenda (co-signed or petitioned: `CityGovernorMemberProposal`).
 *
 * @example
 * ```ts
 * await cancelProposal(mayor, { ...call, reason: "duplicate of proposal 12", wait: true });
 * ```
 */
export async function cancelProposal(context: CityContext, parameters: CancelProposalParameters): Promise<CancelProposalReturnType> {
  const address = governanceAddress(context, "CityGovernor", "cancelProposal");
  return write(context, "cancelProposal", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: cityGovernorAbi,
      functionName: "cancelWithReason",
      args: [...proposalArgs(parameters), keccak256(toBytes(parameters.description)), parameters.reason],
      account,
    }),
  );
}
