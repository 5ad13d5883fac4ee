import { cityCoinAbi } from "../../abis/cityCoin";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";

/** @example `const p: GetReserveParameters = { blockTag: "finalized" };` */
export type GetReserveParameters = ReadParameters;

/** @example `const units: GetReserveReturnType = await getReserve(city);` */
export type GetReserveReturnType = bigint;

/** @example `catch (e) { const err = e as GetReserveErrorType; }` */
export type GetReserveErrorType = ReadErrorType;

/**
 * The last attested euro reserve backing CityCoin, in base units: issuance never takes the supply above it.
 *
 * @example
 * ```ts
 * const [reserve, supply] = await Promise.all([getReserve(city), getTotalSupply(city)]);
 * console.log(`backed ${formatCity(reserve)} € for ${formatCity(supply)} CITY`);
 * ```
 */
export async function getReserve(context: CityContext, parameters: GetReserveParameters = {}): Promise<GetReserveReturnType> {
  return read(() =>
    context.publicClient.readContract({
      address: context.addresses.cityCoin,
      abi: cityCoinAbi,
      functionName: "reserve",
      ...blockOf(parameters),
    }),
  );
}
