import { cityBallotsAbi } from "../../abis/cityBallots";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { ballotsAddress } from "../internal/ballots";
import type { Address, Hex } from "viem";

/** @example `const p: GetCommitmentParameters = { ballotId, voter };` */
export interface GetCommitmentParameters extends ReadParameters {
  /** Ballot id (from 1). */
  ballotId: bigint;
  /** The voter. */
  voter: Address;
}

/** @example `const value: GetCommitmentReturnType = await getCommitment(city, { ballotId, voter });` */
export type GetCommitmentReturnType = Hex;

/** @example `catch (e) { const err = e as GetCommitmentErrorType; }` */
export type GetCommitmentErrorType = ReadErrorType;

/**
 * A voter's last sealed commitment: zero if none, `0x…01` once revealed.
 *
 * @example
 * ```ts
 * const commitment = await getCommitment(city, { ballotId, voter });
 * ```
 */
export async function getCommitment(context: CityContext, parameters: GetCommitmentParameters): Promise<GetCommitmentReturnType> {
  const address = ballotsAddress(context, "getCommitment");
  return read(() =>
    context.publicClient.readContract({
      address,
      abi: cityBallotsAbi,
      functionName: "commitmentOf",
      args: [parameters.ballotId, parameters.voter],
      ...blockOf(parameters),
    }),
  );
}
