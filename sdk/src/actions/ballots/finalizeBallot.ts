import { cityBallotsAbi } from "../../abis/cityBallots";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { ballotsAddress } from "../internal/ballots";

/** @example `const p: FinalizeBallotParameters = { ballotId };` */
export interface FinalizeBallotParameters extends WriteParameters {
  /** Ballot id. */
  ballotId: bigint;
}

/** @example `const hash: FinalizeBallotReturnType = await finalizeBallot(city, { ballotId });` */
export type FinalizeBallotReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as FinalizeBallotErrorType; } // e.g. CityBallotsWrongState` */
export type FinalizeBallotErrorType = WriteErrorType;

/**
 * Fixes the result of a closed ballot (after the reveal window when sealed) and emits it. Anyone may call it.
 *
 * @example
 * ```ts
 * await finalizeBallot(city, { ballotId, wait: true });
 * ```
 */
export async function finalizeBallot(context: CityContext, parameters: FinalizeBallotParameters): Promise<FinalizeBallotReturnType> {
  const address = ballotsAddress(context, "finalizeBallot");
  return write(context, "finalizeBallot", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: cityBallotsAbi,
      functionName: "finalize",
      args: [parameters.ballotId],
      account,
    }),
  );
}
