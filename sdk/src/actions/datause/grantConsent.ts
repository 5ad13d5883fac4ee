import { dataUseRegistryAbi } from "../../abis/dataUseRegistry";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { moduleAddress } from "../internal/module";

/** @example `const p: GrantConsentParameters = { purposeId: 1n, gasless: true };` */
export interface GrantConsentParameters extends WriteParameters {
  /** A consent-based purpose (legal basis "consent") of an active processor. */
  purposeId: bigint;
}

/** @example `const hash: GrantConsentReturnType = await grantConsent(city, { purposeId });` */
export type GrantConsentReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as GrantConsentErrorType; } // e.g. DataUseRegistryNotConsentBased` */
export type GrantConsentErrorType = WriteErrorType;

/**
 * Consents, as the wallet's member account, to a purpose of data use (DataUseRegistry.grantConsent; relayed when
 * `gasless`). The consent holds until withdrawn or until the purpose changes materially (then it lapses).
 *
 * @example
 * ```ts
 * await grantConsent(city, { purposeId: 2n, gasless: true, wait: true });
 * ```
 */
export async function grantConsent(context: CityContext, parameters: GrantConsentParameters): Promise<GrantConsentReturnType> {
  const address = moduleAddress(context, "DataUseRegistry", "grantConsent");
  return write(context, "grantConsent", parameters, (publicClient, account) =>
    publicClient.simulateContract({ address, abi: dataUseRegistryAbi, functionName: "grantConsent", args: [parameters.purposeId], account }),
  );
}
