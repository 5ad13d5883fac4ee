import { cityRegistryAbi } from "../../abis/cityRegistry";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";

/** @example `const p: GetCollegeSizeParameters = { college: 1 };` */
export interface GetCollegeSizeParameters extends ReadParameters {
  /** College id (0 PUBLIC, 1 CITIZENS, 2 PRIVATE_PARTNERS, 3 ASSOCIATIONS by default). */
  college: number;
  /** A past unix timestamp: count at that snapshot instead of now. */
  timepoint?: bigint | undefined;
}

/** @example `const size: GetCollegeSizeReturnType = await getCollegeSize(city, { college: 1 });` */
export type GetCollegeSizeReturnType = bigint;

/** @example `catch (e) { const err = e as GetCollegeSizeErrorType; }` */
export type GetCollegeSizeErrorType = ReadErrorType;

/**
 * The number of active members of a college, now or at a past `timepoint`.
 *
 * @example
 * ```ts
 * const citizens = await getCollegeSize(city, { college: 1 });
 * const atSnapshot = await getCollegeSize(city, { college: 1, timepoint: snapshot });
 * ```
 */
export async function getCollegeSize(
  context: CityContext,
  parameters: GetCollegeSizeParameters,
): Promise<GetCollegeSizeReturnType> {
  const { college, timepoint } = parameters;
  const address = context.addresses.cityRegistry;
  return read(() =>
    timepoint === undefined
      ? context.publicClient.readContract({
          address,
          abi: cityRegistryAbi,
          functionName: "getCollegeSize",
          args: [college],
          ...blockOf(parameters),
        })
      : context.publicClient.readContract({
          address,
          abi: cityRegistryAbi,
          functionName: "getPastCollegeSize",
          args: [college, timepoint],
          ...blockOf(parameters),
        }),
  );
}
