import { parseSignature } from "viem";
import { cityCoinAbi } from "../../abis/cityCoin";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import type { SignedPermit } from "./signPermit";

/** @example `const p: PermitParameters = { permit: signed };` */
export interface PermitParameters extends WriteParameters {
  /** A permit from {@link signPermit}. */
  permit: SignedPermit;
}

/** @example `const hash: PermitReturnType = await permit(city, { permit: signed });` */
export type PermitReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as PermitErrorType; } // e.g. ERC2612InvalidSigner, ERC2612ExpiredSignature` */
export type PermitErrorType = WriteErrorType;

/**
 * Submits a signed permit, setting the owner's allowance for the spender. Anyone may send it (the spender, a relayer).
 *
 * @example
 * ```ts
 * await permit(city, { permit: signed, wait: true });
 * await getAllowance(city, { owner: signed.owner, spender: signed.spender }); // signed.value
 * ```
 */
export async function permit(context: CityContext, parameters: PermitParameters): Promise<PermitReturnType> {
  const { owner, spender, value, deadline, signature } = parameters.permit;
  const { r, s, v, yParity } = parseSignature(signature);
  return write(context, "permit", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address: context.addresses.cityCoin,
      abi: cityCoinAbi,
      functionName: "permit",
      args: [owner, spender, value, deadline, v !== undefined ? Number(v) : yParity + 27, r, s],
      account,
    }),
  );
}
