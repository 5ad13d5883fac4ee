import type { Address } from "viem";
import { cityCoinAbi } from "../../abis/cityCoin";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";

/** @example `const p: GetBalanceParameters = { address: "0x…" };` */
export interface GetBalanceParameters extends ReadParameters {
  /** The account asked about. */
  address: Address;
}

/** @example `const units: GetBalanceReturnType = await getBalance(city, { address }); formatCity(units);` */
export type GetBalanceReturnType = bigint;

/** @example `catch (e) { const err = e as GetBalanceErrorType; }` */
export type GetBalanceErrorType = ReadErrorType;

/**
 * The CityCoin balance of `address`, in base units (6 decimals: format it with {@link formatCity}).
 *
 * @example
 * ```ts
 * const balance = await getBalance(city, { address: "0x…" });
 * console.log(`${formatCity(balance)} CITY`);
 * ```
 */
export async function getBalance(context: CityContext, parameters: GetBalanceParameters): Promise<GetBalanceReturnType> {
  return read(() =>
    context.publicClient.readContract({
      address: context.addresses.cityCoin,
      abi: cityCoinAbi,
      functionName: "balanceOf",
      args: [parameters.address],
      ...blockOf(parameters),
    }),
  );
}
