import { cityBallotsAbi } from "../../abis/cityBallots";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { ballotsAddress } from "../internal/ballots";

/** @example `const p: VoteParameters = { ballotId, choice };` */
export interface VoteParameters extends WriteParameters {
  /** Ballot id. */
  ballotId: bigint;
  /** Option index (single choice) or bitmap of approved options (approval; see {@link approvalOf}). */
  choice: bigint;
}

/** @example `const hash: VoteReturnType = await vote(city, { ballotId, choice });` */
export type VoteReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as VoteErrorType; } // e.g. CityBallotsNotAMember, CityBallotsMemberSuspended, CityBallotsOutsideElectorate, CityBallotsWrongState` */
export type VoteErrorType = WriteErrorType;

/**
 * Casts the account's vote on an open-mode ballot, or changes it: voting again replaces the previous choice until close.
 *
 * @example
 * ```ts
 * await vote(city, { ballotId, choice: 0n, wait: true }); // yes
 * await vote(city, { ballotId, choice: 1n, wait: true }); // changed to no: only the last counts
 * ```
 */
export async function vote(context: CityContext, parameters: VoteParameters): Promise<VoteReturnType> {
  const address = ballotsAddress(context, "vote");
  return write(context, "vote", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: cityBallotsAbi,
      functionName: "vote",
      args: [parameters.ballotId, parameters.choice],
      account,
    }),
  );
}
