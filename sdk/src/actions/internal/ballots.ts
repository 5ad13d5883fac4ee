import type { Address } from "viem";
import { ContractNotDeployedError } from "../../errors/deployment";
import type { CityContext } from "../../types";

/**
 * The CityBallots address of the deployment, or a {@link ContractNotDeployedError} naming the action.
 * @example `const address = ballotsAddress(context, "vote");`
 * @internal
 */
export function ballotsAddress(context: CityContext, action: string): Address {
  const address = context.addresses.cityBallots;
  if (address === undefined) throw new ContractNotDeployedError("CityBallots", action);
  return address;
}
