import { cityBallotsAbi } from "../../abis/cityBallots";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { ballotsAddress } from "../internal/ballots";

/** @example `const p: SignPetitionParameters = { petitionId };` */
export interface SignPetitionParameters extends WriteParameters {
  /** Petition id. */
  petitionId: bigint;
}

/** @example `const hash: SignPetitionReturnType = await signPetition(city, { petitionId });` */
export type SignPetitionReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as SignPetitionErrorType; } // e.g. CityBallotsAlreadySigned, CityBallotsNotAPetition` */
export type SignPetitionErrorType = WriteErrorType;

/**
 * Signs an open petition (once per member).
 *
 * @example
 * ```ts
 * await signPetition(city, { petitionId, wait: true });
 * ```
 */
export async function signPetition(context: CityContext, parameters: SignPetitionParameters): Promise<SignPetitionReturnType> {
  const address = ballotsAddress(context, "signPetition");
  return write(context, "signPetition", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: cityBallotsAbi,
      functionName: "sign",
      args: [parameters.petitionId],
      account,
    }),
  );
}
