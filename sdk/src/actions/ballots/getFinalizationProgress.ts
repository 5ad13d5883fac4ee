import { cityBallotsAbi } from "../../abis/cityBallots";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { ballotsAddress } from "../internal/ballots";

/** @example `const p: GetFinalizationProgressParameters = { ballotId };` */
export interface GetFinalizationProgressParameters extends ReadParameters {
  /** Ballot id. */
  ballotId: bigint;
}

/** @example `const { paged, total, maxPerPage } = await getFinalizationProgress(city, { ballotId });` */
export interface GetFinalizationProgressReturnType {
  /** Voted districts whose results finalization pages emitted. */
  paged: bigint;
  /** Districts with votes. */
  total: bigint;
  /** Districts one page (and `finalize`) sums at most: `MAX_PAGE_DISTRICTS`. */
  maxPerPage: bigint;
  /** Pages still needed before `finalize` can complete (0: finalize now). */
  pagesLeft: bigint;
}

/** @example `catch (e) { const err = e as GetFinalizationProgressErrorType; }` */
export type GetFinalizationProgressErrorType = ReadErrorType;

/**
 * How far the finalization of a closed ballot has paged: districts paged, districts with votes, the page size, and
 * the pages still needed before `finalize` (which sums the last `maxPerPage` districts itself).
 *
 * @example
 * ```ts
 * const { pagesLeft } = await getFinalizationProgress(city, { ballotId });
 * ```
 */
export async function getFinalizationProgress(context: CityContext, parameters: GetFinalizationProgressParameters): Promise<GetFinalizationProgressReturnType> {
  const address = ballotsAddress(context, "getFinalizationProgress");
  const [[paged, total], maxPerPage] = await read(() =>
    Promise.all([
      context.publicClient.readContract({ address, abi: cityBallotsAbi, functionName: "finalizationProgress", args: [parameters.ballotId], ...blockOf(parameters) }),
      context.publicClient.readContract({ address, abi: cityBallotsAbi, functionName: "MAX_PAGE_DISTRICTS", ...blockOf(parameters) }),
    ]),
  );
  const left = total - paged;
  const pagesLeft = left <= maxPerPage ? 0n : (left - maxPerPage + maxPerPage - 1n) / maxPerPage;
  return { paged, total, maxPerPage, pagesLeft };
}
