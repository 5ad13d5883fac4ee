import type { Address } from "viem";
import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { budgetAddress } from "../internal/budget";

/** @example `const p: GetHeldTranchesParameters = { account };` */
export interface GetHeldTranchesParameters extends ReadParameters {
  /** The member (after a key recovery, the new key: what was held moves with the membership). */
  account: Address;
}

/** @example `const held: GetHeldTranchesReturnType = await getHeldTranches(city, { account });` */
export type GetHeldTranchesReturnType = bigint;

/** @example `catch (e) { const err = e as GetHeldTranchesErrorType; }` */
export type GetHeldTranchesErrorType = ReadErrorType;

/**
 * Base units of project tranches held for `account` (released while it was not an active member): it withdraws them
 * once active ({@link withdrawHeld}); the council forfeits them to the treasury if it was removed.
 *
 * @example
 * ```ts
 * const held = await getHeldTranches(city, { account: "0x…" });
 * ```
 */
export async function getHeldTranches(context: CityContext, parameters: GetHeldTranchesParameters): Promise<GetHeldTranchesReturnType> {
  const address = budgetAddress(context, "getHeldTranches");
  return read(() =>
    context.publicClient.readContract({ address, abi: participatoryBudgetAbi, functionName: "heldOf", args: [parameters.account], ...blockOf(parameters) }),
  );
}
