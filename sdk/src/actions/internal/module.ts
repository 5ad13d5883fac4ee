import type { Address } from "viem";
import { cityManifest } from "../../abis/manifest";
import type { CityModuleContractName } from "../../deployment/loadDeployment";
import { ContractNotDeployedError } from "../../errors/deployment";
import type { CityContext } from "../../types";

/**
 * The address of a module contract (one a deployment may lack: not `core` in the manifest), or a
 * {@link ContractNotDeployedError} naming the action that needed it.
 * @example `const address = moduleAddress(context, "ParkingExchange", "book");`
 * @internal
 */
export function moduleAddress(context: CityContext, contract: CityModuleContractName, action: string): Address {
  const address = context.addresses[cityManifest[contract].addressKey];
  if (address === undefined) throw new ContractNotDeployedError(contract, action);
  return address;
}
