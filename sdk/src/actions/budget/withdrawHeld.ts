import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { budgetAddress } from "../internal/budget";

/** @example `const p: WithdrawHeldParameters = { gasless: true };` */
export type WithdrawHeldParameters = WriteParameters;

/** @example `const hash: WithdrawHeldReturnType = await withdrawHeld(city, {});` */
export type WithdrawHeldReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as WithdrawHeldErrorType; } // e.g. ParticipatoryBudgetNothingHeld, ParticipatoryBudgetMemberSuspended` */
export type WithdrawHeldErrorType = WriteErrorType;

/**
 * Pays the caller, an active member, every project tranche held for them (released while they were not an active
 * member: see {@link getHeldTranches}). Gasless-capable (`gasless: true`: the city pays the gas).
 *
 * @example
 * ```ts
 * if ((await getHeldTranches(city, { account })) > 0n) await withdrawHeld(city, { gasless: true, wait: true });
 * ```
 */
export async function withdrawHeld(context: CityContext, parameters: WithdrawHeldParameters = {}): Promise<WithdrawHeldReturnType> {
  const address = budgetAddress(context, "withdrawHeld");
  return write(context, "withdrawHeld", parameters, (publicClient, account) =>
    publicClient.simulateContract({ address, abi: participatoryBudgetAbi, functionName: "withdrawHeld", args: [], account }),
  );
}
