import { dataUseRegistryAbi } from "../../abis/dataUseRegistry";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { moduleAddress } from "../internal/module";

/** @example `const p: WithdrawConsentParameters = { purposeId: 1n };` */
export interface WithdrawConsentParameters extends WriteParameters {
  purposeId: bigint;
}

/** @example `const hash: WithdrawConsentReturnType = await withdrawConsent(city, { purposeId });` */
export type WithdrawConsentReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as WithdrawConsentErrorType; } // e.g. DataUseRegistryNoConsent` */
export type WithdrawConsentErrorType = WriteErrorType;

/**
 * Withdraws the wallet account's consent to a purpose, effective from the block that includes it
 * (DataUseRegistry.withdrawConsent; relayed when `gasless`). Never refused to whoever holds a consent.
 *
 * @example
 * ```ts
 * await withdrawConsent(city, { purposeId: 2n, gasless: true, wait: true });
 * ```
 */
export async function withdrawConsent(context: CityContext, parameters: WithdrawConsentParameters): Promise<WithdrawConsentReturnType> {
  const address = moduleAddress(context, "DataUseRegistry", "withdrawConsent");
  return write(context, "withdrawConsent", parameters, (publicClient, account) =>
    publicClient.simulateContract({ address, abi: dataUseRegistryAbi, functionName: "withdrawConsent", args: [parameters.purposeId], account }),
  );
}
