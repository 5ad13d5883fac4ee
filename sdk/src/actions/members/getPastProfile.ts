import type { Address, ContractFunctionReturnType } from "viem";
import { cityRegistryAbi } from "../../abis/cityRegistry";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";

/** @example `const p: GetPastProfileParameters = { address: "0x…", timepoint: 1_700_000_000n };` */
export interface GetPastProfileParameters extends ReadParameters {
  /** The account asked about. */
  address: Address;
  /** A past unix timestamp. */
  timepoint: bigint;
}

/**
 * A member's profile at a snapshot: whether it was active, and its college, district and flags then.
 *
 * @example
 * ```ts
 * const { active, college, district, flags }: GetPastProfileReturnType = await getPastProfile(city, { address, timepoint });
 * ```
 */
export type GetPastProfileReturnType = ContractFunctionReturnType<typeof cityRegistryAbi, "view", "getPastProfile">;

/** @example `catch (e) { const err = e as GetPastProfileErrorType; } // ERC5805FutureLookup for a future timepoint` */
export type GetPastProfileErrorType = ReadErrorType;

/**
 * The profile of `address` at a past `timepoint`, as programs and ballots read eligibility.
 *
 * @example
 * ```ts
 * const profile = await getPastProfile(city, { address: "0x…", timepoint: periodStart - 1n });
 * if (profile.active && profile.college === 1) console.log("was a citizen member then");
 * ```
 */
export async function getPastProfile(
  context: CityContext,
  parameters: GetPastProfileParameters,
): Promise<GetPastProfileReturnType> {
  return read(() =>
    context.publicClient.readContract({
      address: context.addresses.cityRegistry,
      abi: cityRegistryAbi,
      functionName: "getPastProfile",
      args: [parameters.address, parameters.timepoint],
      ...blockOf(parameters),
    }),
  );
}
