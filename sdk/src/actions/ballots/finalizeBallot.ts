import type { Hash } from "viem";
import { cityBallotsAbi } from "../../abis/cityBallots";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { ballotsAddress } from "../internal/ballots";
import { finalizeBallotPage } from "./finalizeBallotPage";
import { getFinalizationProgress, type GetFinalizationProgressReturnType } from "./getFinalizationProgress";

/** @example `const p: FinalizeBallotParameters = { ballotId };` */
export interface FinalizeBallotParameters extends WriteParameters {
  /** Ballot id. */
  ballotId: bigint;
  /** Called after each finalization page is mined (ballots voted in more districts than one page sums). */
  onPage?: ((hash: Hash, progress: GetFinalizationProgressReturnType) => void) | undefined;
}

/** @example `const hash: FinalizeBallotReturnType = await finalizeBallot(city, { ballotId });` */
export type FinalizeBallotReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as FinalizeBallotErrorType; } // e.g. CityBallotsWrongState` */
export type FinalizeBallotErrorType = WriteErrorType;

/**
 * Fixes the result of a closed ballot (after the reveal window when sealed) and emits it. A ballot voted in more
 * districts than one transaction may sum (`MAX_PAGE_DISTRICTS`) is finalized in pages: this sends
 * {@link finalizeBallotPage} and waits for each until `finalize` can complete, then sends `finalize`; the returned
 * hash is the `finalize` transaction's. Anyone may call it (keeper work, not relayed).
 *
 * @example
 * ```ts
 * await finalizeBallot(city, { ballotId, wait: true, onPage: (hash, { paged, total }) => console.log(`${paged}/${total}`) });
 * ```
 */
export async function finalizeBallot(context: CityContext, parameters: FinalizeBallotParameters): Promise<FinalizeBallotReturnType> {
  const address = ballotsAddress(context, "finalizeBallot");
  const { ballotId, onPage, ...rest } = parameters;
  for (;;) {
    const progress = await getFinalizationProgress(context, { ballotId, blockTag: "latest" });
    if (progress.pagesLeft === 0n) break;
    const hash = await finalizeBallotPage(context, { ...rest, ballotId, maxDistricts: progress.maxPerPage, wait: true });
    onPage?.(hash, await getFinalizationProgress(context, { ballotId, blockTag: "latest" }));
  }
  return write(context, "finalizeBallot", rest, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: cityBallotsAbi,
      functionName: "finalize",
      args: [ballotId],
      account,
    }),
  );
}
