import { cityGovernorAbi } from "../../abis/cityGovernor";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { governanceAddress } from "../internal/governance";
import type { SignBallotReturnType } from "./signBallot";

/** @example `const p: CastVoteBySigParameters = { ...(await signBallot(member, { proposalId, support: 1 })) };` */
export interface CastVoteBySigParameters extends Omit<WriteParameters, "gasless">, SignBallotReturnType {}

/** @example `const hash: CastVoteBySigReturnType = await castVoteBySig(relayer, ballot);` */
export type CastVoteBySigReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as CastVoteBySigErrorType; } // e.g. GovernorInvalidSignature` */
export type CastVoteBySigErrorType = WriteErrorType;

/**
 * Submits a member's signed ballot ({@link signBallot}); the sender pays the gas, the vote is the signer's.
 *
 * @example
 * ```ts
 * await castVoteBySig(relayer, { ...ballot, wait: true });
 * ```
 */
export async function castVoteBySig(context: CityContext, parameters: CastVoteBySigParameters): Promise<CastVoteBySigReturnType> {
  const address = governanceAddress(context, "CityGovernor", "castVoteBySig");
  return write(context, "castVoteBySig", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: cityGovernorAbi,
      functionName: "castVoteBySig",
      args: [parameters.proposalId, parameters.support, parameters.voter, parameters.signature],
      account,
    }),
  );
}
