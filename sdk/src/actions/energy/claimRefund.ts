import { energyMarketAbi } from "../../abis/energyMarket";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { energyAddress } from "../internal/energy";

/** @example `const p: ClaimRefundParameters = { wait: true };` */
export type ClaimRefundParameters = WriteParameters;

/** @example `const hash: ClaimRefundReturnType = await claimRefund(city);` */
export type ClaimRefundReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as ClaimRefundErrorType; } // e.g. EnergyMarketNothingToClaim` */
export type ClaimRefundErrorType = WriteErrorType;

/**
 * Pays the caller its whole market balance: refunds, payments for delivered energy, released collateral and
 * imbalance compensation.
 *
 * @example
 * ```ts
 * const owed = await getMarketBalance(city, { address });
 * if (owed > 0n) await claimRefund(city, { wait: true });
 * ```
 */
export async function claimRefund(context: CityContext, parameters: ClaimRefundParameters = {}): Promise<ClaimRefundReturnType> {
  const address = energyAddress(context, "claimRefund");
  return write(context, "claimRefund", parameters, (publicClient, account) =>
    publicClient.simulateContract({ address, abi: energyMarketAbi, functionName: "claimRefund", args: [], account }),
  );
}
