import type { Address } from "viem";
import { moduleAddress } from "./module";
import type { CityContext } from "../../types";

/**
 * The ParkingExchange address of the deployment, or a {@link ContractNotDeployedError} naming the action.
 * @example `const address = parkingAddress(context, "book");`
 * @internal
 */
export function parkingAddress(context: CityContext, action: string): Address {
  return moduleAddress(context, "ParkingExchange", action);
}

/** Seconds in an hour: bookings cover whole hours. @internal */
export const HOUR = 3600;
