import { cityBallotsAbi } from "../../abis/cityBallots";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { ballotsAddress } from "../internal/ballots";

/** @example `const p: FinalizeBallotPageParameters = { ballotId, maxDistricts: 30n };` */
export interface FinalizeBallotPageParameters extends WriteParameters {
  /** Ballot id. */
  ballotId: bigint;
  /** Districts to sum in this page (the contract caps it at `MAX_PAGE_DISTRICTS`, 30); default 30. */
  maxDistricts?: bigint | undefined;
}

/** @example `const hash: FinalizeBallotPageReturnType = await finalizeBallotPage(city, { ballotId });` */
export type FinalizeBallotPageReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as FinalizeBallotPageErrorType; } // e.g. CityBallotsNothingToPage, CityBallotsWrongState` */
export type FinalizeBallotPageErrorType = WriteErrorType;

/**
 * Sums the next districts of a closed ballot and emits their results (one finalization page): a ballot voted in more
 * districts than `MAX_PAGE_DISTRICTS` is finalized in pages, then {@link finalizeBallot} (which pages by itself).
 * Anyone may call it; keeper work, not relayed.
 *
 * @example
 * ```ts
 * await finalizeBallotPage(city, { ballotId, maxDistricts: 30n, wait: true });
 * ```
 */
export async function finalizeBallotPage(context: CityContext, parameters: FinalizeBallotPageParameters): Promise<FinalizeBallotPageReturnType> {
  const address = ballotsAddress(context, "finalizeBallotPage");
  return write(context, "finalizeBallotPage", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: cityBallotsAbi,
      functionName: "finalizePage",
      args: [parameters.ballotId, parameters.maxDistricts ?? 30n],
      account,
    }),
  );
}
