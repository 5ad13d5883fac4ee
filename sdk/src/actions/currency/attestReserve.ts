import type { Hex } from "viem";
import { cityCoinAbi } from "../../abis/cityCoin";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";

/** @example `const p: AttestReserveParameters = { reserve: parseCity("1000000"), reportHash: sha256(reportPdf) };` */
export interface AttestReserveParameters extends WriteParameters {
  /** The euro reserve, in base units (replaces the previous attestation). */
  reserve: bigint;
  /** Hash of the certifying report. */
  reportHash: Hex;
}

/** @example `const hash: AttestReserveReturnType = await attestReserve(city, params);` */
export type AttestReserveReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as AttestReserveErrorType; } // e.g. AccessManagedUnauthorized` */
export type AttestReserveErrorType = WriteErrorType;

/**
 * Records the euro reserve backing the currency, as certified by a report (ISSUER role).
 *
 * @example
 * ```ts
 * await attestReserve(city, { reserve: parseCity("1000000"), reportHash: keccak256(toHex(reportText)) });
 * ```
 */
export async function attestReserve(
  context: CityContext,
  parameters: AttestReserveParameters,
): Promise<AttestReserveReturnType> {
  return write(context, "attestReserve", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address: context.addresses.cityCoin,
      abi: cityCoinAbi,
      functionName: "attestReserve",
      args: [parameters.reserve, parameters.reportHash],
      account,
    }),
  );
}
