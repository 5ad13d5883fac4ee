import { cityBallotsAbi } from "../../abis/cityBallots";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { ballotsAddress } from "../internal/ballots";
import type { Address } from "viem";

/** Splits each row's trailing turnout and names the districts. @internal */
async function splitResults(
  context: CityContext,
  address: Address,
  parameters: ReadParameters & { ballotId: bigint },
  raw: readonly [readonly bigint[], readonly (readonly bigint[])[], readonly (readonly bigint[])[]],
) {
  const districts = await read(() =>
    context.publicClient.readContract({
      address,
      abi: cityBallotsAbi,
      functionName: "votedDistricts",
      args: [parameters.ballotId],
      ...blockOf(parameters),
    }),
  );
  const row = (r: readonly bigint[]) => ({ counts: r.slice(0, -1), turnout: r[r.length - 1] ?? 0n });
  return {
    ...row(raw[0]),
    byCollege: raw[1].map(row),
    byDistrict: raw[2].map((r, i) => ({ district: districts[i] ?? 0, ...row(r) })),
  };
}

/** @example `const p: GetResultsParameters = { ballotId };` */
export interface GetResultsParameters extends ReadParameters {
  /** Ballot id (from 1). */
  ballotId: bigint;
}

/** @example `const value: GetResultsReturnType = await getResults(city, { ballotId });` */
export type GetResultsReturnType = { counts: readonly bigint[]; turnout: bigint; byCollege: readonly { counts: readonly bigint[]; turnout: bigint }[]; byDistrict: readonly { district: number; counts: readonly bigint[]; turnout: bigint }[] };

/** @example `catch (e) { const err = e as GetResultsErrorType; }` */
export type GetResultsErrorType = ReadErrorType;

/**
 * Counts as they stand on chain: per option and turnout, per college (index = college id) and per district with
 * votes. Live for open ballots; sealed ballots count revealed choices only (turnout counts every commitment).
 *
 * @example
 * ```ts
 * const { counts, turnout, byDistrict } = await getResults(city, { ballotId });
 * ```
 */
export async function getResults(context: CityContext, parameters: GetResultsParameters): Promise<GetResultsReturnType> {
  const address = ballotsAddress(context, "getResults");
  const raw = await read(() =>
    context.publicClient.readContract({
      address,
      abi: cityBallotsAbi,
      functionName: "results",
      args: [parameters.ballotId],
      ...blockOf(parameters),
    }),
  );
  return await splitResults(context, address, parameters, raw);
}
