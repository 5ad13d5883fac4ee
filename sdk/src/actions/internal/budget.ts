import type { Address } from "viem";
import { ContractNotDeployedError } from "../../errors/deployment";
import type { CityContext } from "../../types";

/**
 * The ParticipatoryBudget address of the deployment, or a {@link ContractNotDeployedError} naming the action.
 * @example `const address = budgetAddress(context, "castBudgetBallot");`
 * @internal
 */
export function budgetAddress(context: CityContext, action: string): Address {
  const address = context.addresses.participatoryBudget;
  if (address === undefined) throw new ContractNotDeployedError("ParticipatoryBudget", action);
  return address;
}
