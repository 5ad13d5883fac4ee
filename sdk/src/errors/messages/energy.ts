/** The SDK's explanations of the custom errors of MeterRegistry and EnergyMarket: meters, readings, orders, clearing, settlement. */
import type { CityErrorMessageTable } from "./types";

/**
 * How the custom errors of MeterRegistry read (see `CityErrorExplanation`).
 * @example `meterMessages.MeterRegistryZeroAddress.message(args, {})`
 */
export const meterMessages = {
  MeterRegistryZeroAddress: {
    message: () => "a meter or member address is zero",
    hint: () => "Pass the meter's own signing address and the member's address.",
  },
  MeterRegistryInvalidKind: {
    message: ([kind]) => `meter kind ${kind} is not production (1), consumption (2) or both (3)`,
    hint: () => "Pick the kind the device measures.",
  },
  MeterRegistryNotAMember: {
    message: ([member]) => `account ${member} is not an active member`,
    hint: () => "Meters are registered for active members only; check the account with getMember().",
  },
  MeterRegistryAddressUsed: {
    message: ([meter, status]) => `meter address ${meter} was already used (status ${status})`,
    hint: () => "A meter address is used once: generate a new device key.",
  },
  MeterRegistryNotActive: {
    message: ([meter, status]) => `meter ${meter} is not active (status ${status})`,
    hint: () => "Only an active meter is replaced, revoked, given a baseline or signs readings: use its replacement's.",
  },
  MeterRegistryTooManyMeters: {
    message: ([member, max]) => `member ${member} already has ${max} active meters`,
    hint: () => "Revoke or replace one of the member's meters first.",
  },
  MeterRegistrySlotNotOver: {
    message: ([slot, endsAt]) => `slot ${slot} runs until ${endsAt}: its readings are not final`,
    hint: () => "Record a slot's readings once it has ended.",
  },
  MeterRegistryInvalidSignature: {
    message: ([meter, signer]) => `the reading of meter ${meter} is signed by ${signer}, not by the meter`,
    hint: () => "The meter's own key signs its EIP-712 MeterReading for that slot (see signReading).",
  },
  MeterRegistryPeakTooLate: {
    message: ([slot, startsAt]) => `slot ${slot} started at ${startsAt}: too late to flag it as a peak`,
  },
  MeterRegistryNotRegistry: {
    message: ([caller]) => `${caller} is not the city registry`,
    hint: () => "Only CityRegistry notifies membership changes.",
  },
} satisfies CityErrorMessageTable;

/**
 * How the custom errors of EnergyMarket read (see `CityErrorExplanation`).
 * @example `energyMarketMessages.EnergyMarketGateClosureOutOfRange.message(args, {})`
 */
export const energyMarketMessages = {
  EnergyMarketGateClosureOutOfRange: {
    message: ([value, min, max]) => `gate closure ${value} s is outside [${min}, ${max}] s`,
  },
  EnergyMarketMaxOrdersOutOfRange: {
    message: ([value, min, max]) => `a book of ${value} orders is outside [${min}, ${max}]`,
  },
  EnergyMarketMaxOrdersPerTraderOutOfRange: {
    message: ([value]) => `${value} orders per trader is not allowed`,
    hint: () => "Allow at least 1.",
  },
  EnergyMarketMinOrderWhOutOfRange: {
    message: ([value]) => `a smallest order of ${value} Wh is not allowed`,
    hint: () => "Set at least 1 Wh.",
  },
  EnergyMarketGridPriceOutOfRange: {
    message: ([price]) => `grid price ${price} per kWh is not allowed`,
    hint: () => "The grid reference price must be above 0.",
  },
  EnergyMarketSettlementWindowOutOfRange: {
    message: ([value, min, max]) => `settlement window ${value} s is outside [${min}, ${max}] s`,
  },
  EnergyMarketGateClosed: {
    message: ([slot, closedAt]) => `the book of slot ${slot} closed at ${closedAt}`,
    hint: () => "Place or cancel orders for a later slot.",
  },
  EnergyMarketGateOpen: {
    message: ([slot, closesAt]) => `the book of slot ${slot} is open until ${closesAt}`,
    hint: () => "Clear the slot once its gate has closed.",
  },
  EnergyMarketAlreadyCleared: {
    message: ([slot]) => `slot ${slot} is already cleared`,
    hint: () => "Read its result with slotResult().",
  },
  EnergyMarketOrderTooSmall: {
    message: ([wh, minWh]) => `an order of ${wh} Wh is below the smallest order, ${minWh} Wh`,
    hint: () => "Offer or bid for more energy.",
  },
  EnergyMarketZeroPrice: {
    message: () => "the bid's maximum price is zero",
    hint: () => "Bid a positive price per kWh.",
  },
  EnergyMarketZeroAmount: {
    message: () => "the amount is zero",
    hint: () => "Deposit a positive amount.",
  },
  EnergyMarketNotAMember: {
    message: ([account]) => `account ${account} is not an active member`,
    hint: () => "Only active members trade energy; check the account with getMember().",
  },
  EnergyMarketNotProsumer: {
    message: ([account]) => `member ${account} does not have the prosumer flag`,
    hint: () => "A registrar must set the PROSUMER flag on the membership before it sells energy.",
  },
  EnergyMarketNotProductionMeter: {
    message: ([meter, account]) => `meter ${meter} is not an active production meter of ${account}`,
    hint: () => "Use a production (or both) meter the operator registered for you.",
  },
  EnergyMarketNotConsumptionMeter: {
    message: ([meter, account]) => `meter ${meter} is not an active consumption meter of ${account}`,
    hint: () => "Use a consumption (or both) meter the operator registered for you.",
  },
  EnergyMarketBookFull: {
    message: ([slot, maxOrders]) => `the book of slot ${slot} holds its ${maxOrders} orders and yours beats none of them`,
    hint: () => "Offer a better price than the worst order of your side, or trade in another slot.",
  },
  EnergyMarketOrderValueTooSmall: {
    message: ([locked, minValue]) => `the order would lock ${locked} base units, below the minimum of ${minValue}`,
    hint: () => "Trade more energy or at a higher price.",
  },
  EnergyMarketMinOrderValueOutOfRange: {
    message: ([value]) => `a minimum order value of ${value} is not allowed`,
    hint: () => "Set at least 1 base unit.",
  },
  EnergyMarketNotRegistry: {
    message: ([caller]) => `${caller} is not the city registry`,
    hint: () => "Only CityRegistry notifies membership changes.",
  },
  EnergyMarketFundsHeld: {
    message: ([account, amount]) => `${amount} base units are held for ${account}, which is not an active member`,
    hint: () => "The balance is paid once the membership is active again, or to the new key after a key recovery.",
  },
  EnergyMarketTraderOrdersFull: {
    message: ([slot, trader, maxOrders]) => `${trader} already has ${maxOrders} open orders in slot ${slot}`,
    hint: () => "Cancel one of your orders in that slot first.",
  },
  EnergyMarketUnknownOrder: {
    message: ([orderId]) => `energy order ${orderId} does not exist`,
    hint: () => "Order ids are `slot << 32 | sequence`; read them from the book or the ledger node.",
  },
  EnergyMarketOrderNotOpen: {
    message: ([orderId, status]) => `energy order ${orderId} is not open (status ${status})`,
  },
  EnergyMarketNotTrader: {
    message: ([orderId, caller]) => `account ${caller} did not place energy order ${orderId}`,
    hint: () => "Send from the account that placed the order.",
  },
  EnergyMarketNothingToClaim: {
    message: ([account]) => `account ${account} has no market balance to claim`,
  },
  EnergyMarketNotCleared: {
    message: ([slot]) => `slot ${slot} is not cleared`,
    hint: () => "Call clear(slot) after its gate closure first.",
  },
  EnergyMarketSlotNotOver: {
    message: ([slot, endsAt]) => `slot ${slot} runs until ${endsAt}`,
    hint: () => "Settle once the slot has ended and its meters have signed their readings.",
  },
  EnergyMarketAlreadySettled: {
    message: ([slot]) => `slot ${slot} is already settled`,
  },
  EnergyMarketMissingReading: {
    message: ([slot, seller, deadline]) => `seller ${seller} has no reading for slot ${slot} before ${deadline}`,
    hint: () => "Record its meters' signed readings (recordReadings), or settle after the deadline (it then counts as no delivery).",
  },
} satisfies CityErrorMessageTable;
