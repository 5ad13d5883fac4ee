import { energyMarketAbi } from "../../abis/energyMarket";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { energyAddress } from "../internal/energy";

/** @example `const p: DepositParameters = { amount: parseCity("5") };` */
export interface DepositParameters extends WriteParameters {
  /** CityCoin base units to pay into the caller's market balance (allowance needed). */
  amount: bigint;
}

/** @example `const hash: DepositReturnType = await deposit(city, { amount });` */
export type DepositReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as DepositErrorType; } // e.g. EnergyMarketZeroAmount, ERC20InsufficientAllowance` */
export type DepositErrorType = WriteErrorType;

/**
 * Pays CityCoin into the caller's market balance, which orders lock from (cheaper orders: no transfer each time).
 *
 * @example
 * ```ts
 * await deposit(city, { amount: parseCity("5"), wait: true });
 * ```
 */
export async function deposit(context: CityContext, parameters: DepositParameters): Promise<DepositReturnType> {
  const address = energyAddress(context, "deposit");
  return write(context, "deposit", parameters, (publicClient, account) =>
    publicClient.simulateContract({ address, abi: energyMarketAbi, functionName: "deposit", args: [parameters.amount], account }),
  );
}
