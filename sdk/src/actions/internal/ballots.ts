import type { Address } from "viem";
import { moduleAddress } from "./module";
import type { CityContext } from "../../types";

/**
 * The CityBallots address of the deployment, or a {@link ContractNotDeployedError} naming the action.
 * @example `const address = ballotsAddress(context, "vote");`
 * @internal
 */
export function ballotsAddress(context: CityContext, action: string): Address {
  return moduleAddress(context, "CityBallots", action);
}
