import type { Address } from "viem";
import { ContractNotDeployedError } from "../../errors/deployment";
import type { CityContext } from "../../types";

/**
 * The ParkingExchange address of the deployment, or a {@link ContractNotDeployedError} naming the action.
 * @example `const address = parkingAddress(context, "book");`
 * @internal
 */
export function parkingAddress(context: CityContext, action: string): Address {
  const address = context.addresses.parkingExchange;
  if (address === undefined) throw new ContractNotDeployedError("ParkingExchange", action);
  return address;
}

/** Seconds in an hour: bookings cover whole hours. @internal */
export const HOUR = 3600;
