import type { Address } from "viem";
import { moduleAddress } from "./module";
import type { CityContext } from "../../types";

/**
 * The EnergyMarket address of the deployment, or a {@link ContractNotDeployedError} naming the action.
 * @example `const address = energyAddress(context, "ask");`
 * @internal
 */
export function energyAddress(context: CityContext, action: string): Address {
  return moduleAddress(context, "EnergyMarket", action);
}

/**
 * The MeterRegistry address of the deployment, or a {@link ContractNotDeployedError} naming the action.
 * @example `const address = meterRegistryAddress(context, "settle");`
 * @internal
 */
export function meterRegistryAddress(context: CityContext, action: string): Address {
  return moduleAddress(context, "MeterRegistry", action);
}
