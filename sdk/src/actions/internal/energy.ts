import type { Address } from "viem";
import { ContractNotDeployedError } from "../../errors/deployment";
import type { CityContext } from "../../types";

/**
 * The EnergyMarket address of the deployment, or a {@link ContractNotDeployedError} naming the action.
 * @example `const address = energyAddress(context, "ask");`
 * @internal
 */
export function energyAddress(context: CityContext, action: string): Address {
  const address = context.addresses.energyMarket;
  if (address === undefined) throw new ContractNotDeployedError("EnergyMarket", action);
  return address;
}

/**
 * The MeterRegistry address of the deployment, or a {@link ContractNotDeployedError} naming the action.
 * @example `const address = meterRegistryAddress(context, "settle");`
 * @internal
 */
export function meterRegistryAddress(context: CityContext, action: string): Address {
  const address = context.addresses.meterRegistry;
  if (address === undefined) throw new ContractNotDeployedError("MeterRegistry", action);
  return address;
}
