import type { Address } from "viem";
import { moduleAddress } from "./module";
import type { CityContext } from "../../types";

/**
 * The ParticipatoryBudget address of the deployment, or a {@link ContractNotDeployedError} naming the action.
 * @example `const address = budgetAddress(context, "castBudgetBallot");`
 * @internal
 */
export function budgetAddress(context: CityContext, action: string): Address {
  return moduleAddress(context, "ParticipatoryBudget", action);
}
