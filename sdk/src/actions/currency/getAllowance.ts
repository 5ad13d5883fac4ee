import type { Address } from "viem";
import { cityCoinAbi } from "../../abis/cityCoin";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";

/** @example `const p: GetAllowanceParameters = { owner: "0x…", spender: city.addresses.basicIncome };` */
export interface GetAllowanceParameters extends ReadParameters {
  /** The account whose coins may be spent. */
  owner: Address;
  /** The account allowed to spend them. */
  spender: Address;
}

/** @example `const units: GetAllowanceReturnType = await getAllowance(city, { owner, spender });` */
export type GetAllowanceReturnType = bigint;

/** @example `catch (e) { const err = e as GetAllowanceErrorType; }` */
export type GetAllowanceErrorType = ReadErrorType;

/**
 * How many base units `spender` may still move from `owner` (set by {@link approve} or {@link permit}).
 *
 * @example
 * ```ts
 * const allowance = await getAllowance(city, { owner: "0x…", spender: city.addresses.basicIncome });
 * ```
 */
export async function getAllowance(
  context: CityContext,
  parameters: GetAllowanceParameters,
): Promise<GetAllowanceReturnType> {
  return read(() =>
    context.publicClient.readContract({
      address: context.addresses.cityCoin,
      abi: cityCoinAbi,
      functionName: "allowance",
      args: [parameters.owner, parameters.spender],
      ...blockOf(parameters),
    }),
  );
}
