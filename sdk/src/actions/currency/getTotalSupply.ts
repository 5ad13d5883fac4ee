import { cityCoinAbi } from "../../abis/cityCoin";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";

/** @example `const p: GetTotalSupplyParameters = { blockNumber: 123n };` */
export type GetTotalSupplyParameters = ReadParameters;

/** @example `const units: GetTotalSupplyReturnType = await getTotalSupply(city);` */
export type GetTotalSupplyReturnType = bigint;

/** @example `catch (e) { const err = e as GetTotalSupplyErrorType; }` */
export type GetTotalSupplyErrorType = ReadErrorType;

/**
 * The CityCoin in circulation, in base units.
 *
 * @example
 * ```ts
 * const supply = await getTotalSupply(city);
 * console.log(`${formatCity(supply)} CITY in circulation`);
 * ```
 */
export async function getTotalSupply(
  context: CityContext,
  parameters: GetTotalSupplyParameters = {},
): Promise<GetTotalSupplyReturnType> {
  return read(() =>
    context.publicClient.readContract({
      address: context.addresses.cityCoin,
      abi: cityCoinAbi,
      functionName: "totalSupply",
      ...blockOf(parameters),
    }),
  );
}
