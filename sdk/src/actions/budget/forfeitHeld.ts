import type { Address, Hex } from "viem";
import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { budgetAddress } from "../internal/budget";

/** @example `const p: ForfeitHeldParameters = { member, reasonHash };` */
export interface ForfeitHeldParameters extends WriteParameters {
  /** A removed member's address (`account`, as in every write, is the sender). */
  member: Address;
  /** Hash of the council's decision. */
  reasonHash: Hex;
}

/** @example `const hash: ForfeitHeldReturnType = await forfeitHeld(council, { member, reasonHash });` */
export type ForfeitHeldReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as ForfeitHeldErrorType; } // e.g. ParticipatoryBudgetNotRemoved, ParticipatoryBudgetNothingHeld` */
export type ForfeitHeldErrorType = WriteErrorType;

/**
 * Returns to the treasury what is held for a removed member (COUNCIL).
 *
 * @example
 * ```ts
 * await forfeitHeld(council, { member, reasonHash: keccak256(toHex("decision 2026-14")), wait: true });
 * ```
 */
export async function forfeitHeld(context: CityContext, parameters: ForfeitHeldParameters): Promise<ForfeitHeldReturnType> {
  const address = budgetAddress(context, "forfeitHeld");
  return write(context, "forfeitHeld", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: participatoryBudgetAbi,
      functionName: "forfeitHeld",
      args: [parameters.member, parameters.reasonHash],
      account,
    }),
  );
}
