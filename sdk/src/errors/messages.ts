import { formatEther, type Hex } from "viem";
import { formatCity } from "../utils/units";
import type { CityErrorArgs, CityErrorName } from "./abi";

/**
 * What a revert's explanation may use besides the error's own arguments.
 * @example `cityErrorMessages.AccessManagedUnauthorized.message([caller], { functionName: "register" })`
 */
export interface CityErrorContext {
  /** The function that reverted, when known (e.g. `"transfer"`). */
  functionName?: string | undefined;
}

/**
 * How one custom error reads: a sentence (lower case, no final dot, so it can follow "transfer reverted: ") and,
 * where there is one, a hint that says how to fix it.
 *
 * @example
 * ```ts
 * const explain: CityErrorExplanation<"CityCoinZeroAmount"> = {
 *   message: () => "the amount is zero",
 *   hint: () => "Send a positive amount.",
 * };
 * ```
 */
export interface CityErrorExplanation<name extends CityErrorName> {
  message: (args: CityErrorArgs<name>, context: CityErrorContext) => string;
  hint?: (args: CityErrorArgs<name>, context: CityErrorContext) => string;
}

/**
 * One explanation per custom error of the five city contracts. The mapped type makes it exhaustive: a contract that
 * gains an error does not compile until the error is explained here.
 *
 * @example
 * ```ts
 * cityErrorMessages.CityCoinTransferNotAllowed.message(["0xAbC…"], {});
 * // "account 0xAbC… is not an active member nor a city account"
 * ```
 */
export const cityErrorMessages: { readonly [name in CityErrorName]: CityErrorExplanation<name> } = {
  // ─── CityRegistry ────────────────────────────────────────────────────────────────────────────────────────────
  CityRegistryZeroAddress: {
    message: () => "the zero address cannot be a member",
    hint: () => "Pass the member's real address.",
  },
  CityRegistryAlreadyMember: {
    message: ([account]) => `account ${account} is already a member (active or suspended)`,
    hint: () => "Use update() to change an existing membership, or reinstate() a suspended one.",
  },
  CityRegistryNotAMember: {
    message: ([account]) => `account ${account} is not a member (never registered, or removed)`,
    hint: () => "Check the address, or register() it first.",
  },
  CityRegistryNotActive: {
    message: ([account]) => `member ${account} is not active`,
    hint: () => "Only an active member can be suspended; read its status with getMember().",
  },
  CityRegistryNotSuspended: {
    message: ([account]) => `member ${account} is not suspended`,
    hint: () => "Only a suspended member can be reinstated; read its status with getMember().",
  },
  CityRegistryUnknownCollege: {
    message: ([college]) => `college ${college} does not exist or is disabled`,
    hint: () => "Use an enabled college id (0 PUBLIC, 1 CITIZENS, 2 PRIVATE_PARTNERS, 3 ASSOCIATIONS by default).",
  },
  CityRegistryCollegeOutOfRange: {
    message: ([college, max]) => `college id ${college} is out of range (colleges are 0 to ${max - 1})`,
  },
  CityRegistryTooManyColleges: {
    message: ([count, max]) => `${count} colleges exceed the maximum of ${max}`,
  },
  CityRegistryAddressUsed: {
    message: ([account]) => `${account} held a membership before and cannot receive a migrated one`,
    hint: () => "Recover the member's key to a fresh address that was never registered.",
  },
  CityRegistryEmptyCredential: {
    message: () => "the credential hash is empty",
    hint: () => "Pass the salted hash of the registrar's file on this person (a non-zero bytes32).",
  },
  CityRegistryCredentialInUse: {
    message: ([credentialHash, holder]) => `credential ${short(credentialHash)} is already held by ${holder}`,
    hint: () => "One person holds one membership: to move it to a new key, use startMigration().",
  },
  CityRegistryVotesNotDelegable: {
    message: () => "membership votes cannot be delegated",
    hint: () => "Every member votes for itself; there is nothing to delegate.",
  },
  CityRegistryMigrationPending: {
    message: ([from, to]) => `a migration of ${from} to ${to} is pending`,
    hint: () => "Complete or cancel the pending migration first (completeMigration / cancelMigration).",
  },
  CityRegistryAddressReserved: {
    message: ([account, byMigrationOf]) => `account ${account} is reserved by the pending migration of ${byMigrationOf}`,
    hint: () => "Wait for that migration to complete or be cancelled, or use another address.",
  },
  CityRegistryNoMigration: {
    message: ([from]) => `no migration of ${from} is pending`,
    hint: () => "Read it with getMigration(); a registrar starts one with startMigration().",
  },
  CityRegistryMigrationNotReady: {
    message: ([from, readyAt]) => `the migration of ${from} is not ready before ${time(readyAt)}`,
    hint: () => "Call completeMigration() once the migration delay has passed.",
  },
  CityRegistryUnauthorizedCancel: {
    message: ([caller, from]) => `account ${caller} may not cancel the migration of ${from}`,
    hint: () => "Only the member's old key (even suspended) or the orchestrator can cancel a migration.",
  },
  CityRegistryUnauthorizedApproval: {
    message: ([caller, from]) => `account ${caller} may not approve the migration of ${from}`,
    hint: () => "Only the member's old key or the orchestrator (a second party, not the registrar who started it) can approve a migration.",
  },
  CityRegistryApprovalByStarter: {
    message: ([caller, from]) => `account ${caller} started the migration of ${from} and cannot approve it too`,
    hint: () => "A second party approves a migration: the member's old key or another orchestrator.",
  },
  CityRegistryMigrationAlreadyApproved: {
    message: ([from]) => `the migration of ${from} is already approved`,
    hint: () => "Call completeMigration() once the migration delay has passed.",
  },
  CityRegistryMigrationNotApproved: {
    message: ([from]) => `the migration of ${from} has not been approved`,
    hint: () => "The member's old key or the orchestrator must approveMigration() before it can complete.",
  },
  CityRegistryMigrationDelayOutOfRange: {
    message: ([delay, min, max]) => `a migration delay of ${delay} s is outside [${min}, ${max}] s`,
  },
  CityRegistryTooManyListeners: {
    message: ([count, max]) => `${count} membership listeners exceed the maximum of ${max}`,
  },
  CityRegistryFlagOutOfRange: {
    message: ([bit, max]) => `flag bit ${bit} is out of range (at most ${max})`,
  },
  ERC5805FutureLookup: {
    message: ([timepoint, clock]) => `timepoint ${timepoint} is not in the past (the chain's clock is ${clock})`,
    hint: () => "Snapshots can only be read at a past timestamp; use a timepoint below the latest block's.",
  },
  VotesExpiredSignature: {
    message: ([expiry]) => `the signature expired at ${time(expiry)}`,
  },
  CheckpointUnorderedInsertion: {
    message: () => "a checkpoint was written out of order",
  },

  // ─── CityCoin ────────────────────────────────────────────────────────────────────────────────────────────────
  CityCoinTransferNotAllowed: {
    message: ([account]) => `account ${account} is not an active member nor a city account`,
    hint: ([account]) =>
      `CityCoin moves only between active members and city accounts: register ${account} (registrar), reinstate it, or make it a city account (council).`,
  },
  CityCoinPaused: {
    message: () => "the currency is paused",
    hint: () => "A guardian paused every balance change; wait until it is unpaused.",
  },
  CityCoinNotPaused: {
    message: () => "the currency is not paused",
  },
  CityCoinZeroAmount: {
    message: () => "the amount is zero",
    hint: () => "Use a positive amount (parseCity(\"0.000001\") is the smallest).",
  },
  CityCoinReserveExceeded: {
    message: ([supplyAfter, reserve]) =>
      `issuing would bring the supply to ${city(supplyAfter)}, above the attested reserve of ${city(reserve)}`,
    hint: () => "Attest the euro reserve backing the new coins first (attestReserve), then issue.",
  },
  CityCoinDepositAlreadyIssued: {
    message: ([depositRef]) => `deposit ${short(depositRef)} has already been issued`,
    hint: () => "Each euro deposit issues coins once; use the reference of a new deposit.",
  },
  CityCoinFeeTooHigh: {
    message: ([feeBps, maxFeeBps]) => `a redemption fee of ${feeBps} bps exceeds the maximum of ${maxFeeBps} bps`,
  },
  CityCoinNoCommunityFund: {
    message: () => "no community fund is set to receive the redemption fee",
    hint: () => "The council must set the community fund (setCommunityFund) before redemptions with a fee.",
  },
  CityCoinUnknownRedemption: {
    message: ([id]) => `redemption ${id} does not exist`,
  },
  CityCoinRedemptionAlreadySettled: {
    message: ([id]) => `redemption ${id} is already settled`,
  },
  CityCoinNotRegistry: {
    message: ([caller]) => `caller ${caller} is not the city registry`,
    hint: () => "Membership changes reach CityCoin only through CityRegistry.",
  },
  CityCoinZeroAddress: {
    message: () => "the zero address is not allowed here",
  },
  CityCoinAmountTooLarge: {
    message: ([amount]) => `amount ${amount} base units does not fit in 128 bits`,
  },
  CityCoinAttesterIsIssuer: {
    message: ([account]) => `account ${account} holds ISSUER and may not attest the reserve its own issues draw on`,
    hint: () => "The reserve is attested by a RESERVE_ATTESTER who is not an issuer.",
  },
  ERC20InsufficientBalance: {
    message: ([sender, balance, needed]) => `account ${sender} holds ${city(balance)} but ${city(needed)} is needed`,
    hint: () => "Lower the amount or top up the balance first.",
  },
  ERC20InsufficientAllowance: {
    message: ([spender, allowance, needed]) =>
      `spender ${spender} is allowed ${city(allowance)} but ${city(needed)} is needed`,
    hint: () => "The owner must approve() the spender for at least the amount, or sign a permit (signPermit).",
  },
  ERC20InvalidApprover: {
    message: ([approver]) => `approver ${approver} is invalid`,
  },
  ERC20InvalidReceiver: {
    message: ([receiver]) => `receiver ${receiver} is invalid`,
    hint: () => "Coins cannot be sent to the zero address; use redeem() to take coins out of circulation.",
  },
  ERC20InvalidSender: {
    message: ([sender]) => `sender ${sender} is invalid`,
  },
  ERC20InvalidSpender: {
    message: ([spender]) => `spender ${spender} is invalid`,
  },
  ERC2612ExpiredSignature: {
    message: ([deadline]) => `the permit expired at ${time(deadline)}`,
    hint: () => "Ask the owner to sign a new permit with a later deadline.",
  },
  ERC2612InvalidSigner: {
    message: ([signer, owner]) => `the permit was signed by ${signer}, not by the owner ${owner}`,
    hint: () => "The permit must be signed by the owner, for this chain and contract, with the owner's current nonce.",
  },
  ECDSAInvalidSignature: {
    message: () => "the signature is invalid",
  },
  ECDSAInvalidSignatureLength: {
    message: ([length]) => `the signature has an invalid length of ${length} bytes`,
  },
  ECDSAInvalidSignatureS: {
    message: ([s]) => `the signature's s value ${short(s)} is malleable (not in the lower half order)`,
  },

  // ─── BasicIncome ─────────────────────────────────────────────────────────────────────────────────────────────
  BasicIncomeUnknownProgram: {
    message: ([programId]) => `income program ${programId} does not exist`,
    hint: () => "Program ids start at 1; read the number of programs with getProgramCount().",
  },
  BasicIncomeInvalidSchedule: {
    message: ([start, periodLength, periodCount]) =>
      `the schedule (start ${time(start)}, ${periodCount} periods of ${periodLength} s) is invalid`,
    hint: () => "Start no earlier than now, with periods of at least one hour and at least one period.",
  },
  BasicIncomeEmptyEligibility: {
    message: () => "the program names no eligible college",
    hint: () => "Set at least one bit of collegeMask (bit i = college i).",
  },
  BasicIncomeFlagOutOfRange: {
    message: ([flagBit, max]) => `flag bit ${flagBit} is out of range (at most ${max})`,
    hint: () => "Use flagBit 0 for no flag requirement, else 1 + the bit of the required member flag.",
  },
  BasicIncomeZeroAmount: {
    message: () => "the amount is zero",
    hint: () => "Use a positive amount.",
  },
  BasicIncomeNotStarted: {
    message: ([programId, start]) => `income program ${programId} starts at ${time(start)}`,
    hint: () => "Claims open with the program's first period.",
  },
  BasicIncomeEnded: {
    message: ([programId]) => `income program ${programId} has ended`,
  },
  BasicIncomeNotEnded: {
    message: ([programId, endsAt]) => `income program ${programId} runs until ${time(endsAt)}`,
    hint: () => "Withdraw the remaining budget once the program has ended.",
  },
  BasicIncomeNotEligible: {
    message: ([programId, period, account]) =>
      `account ${account} is not eligible for period ${period} of income program ${programId}`,
    hint: () =>
      "Eligibility is read at the second before the period starts: the member must have been active then, in one of the program's colleges (and carry its flag).",
  },
  BasicIncomeAlreadyClaimed: {
    message: ([programId, period, account]) =>
      `account ${account} already claimed period ${period} of income program ${programId}`,
    hint: () => "One claim per member per period; the next period opens after this one ends.",
  },
  BasicIncomeBudgetExhausted: {
    message: ([programId, period]) => `period ${period} of income program ${programId} has no budget left`,
    hint: () => "The council must fund() the program before the next period opens.",
  },
  BasicIncomeZeroAddress: {
    message: () => "the zero address is not allowed here",
  },
  BasicIncomeNotRegistry: {
    message: ([caller]) => `${caller} is not the city's registry: only it reports membership changes`,
  },
  // ─── LedgerAnchor (and the RFC 6962 consistency check it runs) ───────────────────────────────────────────────
  LedgerAnchorEmptyOrigin: {
    message: () => "the log origin is empty",
  },
  LedgerAnchorZeroThreshold: {
    message: () => "the witness threshold is 0",
    hint: () => "At least one witness signature must be required.",
  },
  LedgerAnchorThresholdTooHigh: {
    message: ([threshold, count]) => `a threshold of ${threshold} exceeds the ${count} witnesses`,
  },
  LedgerAnchorTooManyWitnesses: {
    message: ([count, max]) => `${count} witnesses exceed the maximum of ${max}`,
  },
  LedgerAnchorZeroWitness: {
    message: ([position]) => `witness ${position} is the zero address`,
  },
  LedgerAnchorDuplicateWitness: {
    message: ([witness]) => `witness ${witness} is listed twice`,
  },
  LedgerAnchorNoWitnesses: {
    message: () => "no witnesses are set, so nothing can be anchored",
    hint: () => "The council must call setWitnesses() first.",
  },
  LedgerAnchorSizeNotGrowing: {
    message: ([anchored, size]) => `a checkpoint of size ${size} does not grow the anchored log (size ${anchored})`,
    hint: () => "Anchor a newer checkpoint: the chain only accepts a log that grew.",
  },
  LedgerAnchorNothingToAnchor: {
    message: ([size]) => `the checkpoint of size ${size} is already anchored`,
  },
  LedgerAnchorConflictingRoot: {
    message: ([size, anchoredRoot, root]) =>
      `root ${short(root)} conflicts with the anchored root ${short(anchoredRoot)} at size ${size}: the log forked`,
    hint: () => "Stop and investigate: two different logs claim the same size.",
  },
  LedgerAnchorNotEnoughSignatures: {
    message: ([count, threshold]) => `${count} witness signatures are fewer than the threshold of ${threshold}`,
    hint: () => "Collect more witness cosignatures before anchoring.",
  },
  LedgerAnchorInvalidSignature: {
    message: ([index]) => `signature ${index} is not a valid signature`,
  },
  LedgerAnchorNotAWitness: {
    message: ([index, signer]) => `signature ${index} is by ${signer}, who is not a witness`,
  },
  LedgerAnchorDuplicateSigner: {
    message: ([index, signer]) => `signature ${index} repeats signer ${signer}`,
  },
  LedgerAnchorUnsortedSigners: {
    message: ([index, previous, signer]) => `signature ${index} by ${signer} is not after ${previous}`,
    hint: () => "Sort signatures by signer address ascending (sortSignatures in the SDK does it).",
  },
  LedgerAnchorUnknownAnchor: {
    message: ([index, count]) => `anchor ${index} does not exist (${count} anchors)`,
  },
  MerkleConsistencyInvalidSizes: {
    message: ([size1, size2]) => `sizes ${size1} and ${size2} are not 0 <= size1 <= size2`,
  },
  MerkleConsistencyWrongProofSize: {
    message: ([got, want]) => `wrong consistency proof size ${got}, want ${want}`,
  },
  MerkleConsistencyRootMismatch: {
    message: ([expected, calculated]) => `consistency proof gives root ${short(calculated)}, expected ${short(expected)}`,
    hint: () => "The checkpoint does not extend the anchored log.",
  },
  SafeERC20FailedOperation: {
    message: ([token]) => `a transfer of token ${token} failed`,
  },

  // ─── MeterRegistry ───────────────────────────────────────────────────────────────────────────────────────────
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

  // ─── EnergyMarket ────────────────────────────────────────────────────────────────────────────────────────────
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

  // ─── ParkingExchange ─────────────────────────────────────────────────────────────────────────────────────────
  ParkingExchangeNotAMember: {
    message: ([account]) => `account ${account} is not an active member`,
    hint: () => "Only active members list and book spots; check the account with getMember().",
  },
  ParkingExchangeNotParkingOwner: {
    message: ([account]) => `member ${account} does not have the parking-owner flag`,
    hint: () => "A registrar must set the PARKING_OWNER flag on the membership (members.update) before it lists spots.",
  },
  ParkingExchangeUnknownSpot: {
    message: ([spotId]) => `parking spot ${spotId} does not exist`,
    hint: () => "Spot ids start at 1; search spots on the ledger node or read getSpot().",
  },
  ParkingExchangeNotSpotOwner: {
    message: ([spotId, account]) => `account ${account} does not own parking spot ${spotId}`,
    hint: () => "Send from the account that listed the spot.",
  },
  ParkingExchangeSpotDelisted: {
    message: ([spotId]) => `parking spot ${spotId} is delisted`,
    hint: () => "A delisted spot takes no bookings and no changes: list a new one.",
  },
  ParkingExchangeSpotPaused: {
    message: ([spotId]) => `parking spot ${spotId} is paused`,
    hint: () => "The owner must resume() the spot before it takes bookings again.",
  },
  ParkingExchangeSpotNotPaused: {
    message: ([spotId]) => `parking spot ${spotId} is not paused`,
  },
  ParkingExchangeZeroRate: {
    message: () => "the hourly rate is zero",
    hint: () => "Set a positive hourlyRate, in CityCoin base units per hour.",
  },
  ParkingExchangeDepositWithoutCheckIn: {
    message: ([deposit]) => `a deposit of ${city(BigInt(deposit))} needs check-in`,
    hint: () => "Set checkIn to true, or the deposit to 0: only check-in spots may charge an overstay.",
  },
  ParkingExchangeUnknownPreset: {
    message: ([presetId]) => `cancellation preset ${presetId} does not exist`,
    hint: () => "Presets start at 1 (1 flexible, 2 moderate, 3 strict by default).",
  },
  ParkingExchangePresetDisabled: {
    message: ([presetId]) => `cancellation preset ${presetId} is disabled`,
    hint: () => "Choose an enabled cancellation preset.",
  },
  ParkingExchangeTooManyPresets: {
    message: () => "no more cancellation presets can be added (255 at most)",
  },
  ParkingExchangeInvalidTierCount: {
    message: ([count, max]) => `${count} cancellation tiers is not between 1 and ${max}`,
  },
  ParkingExchangeTierLengthMismatch: {
    message: ([minNotices, refunds]) => `${minNotices} notice periods but ${refunds} refund rates`,
    hint: () => "Give one refund rate per notice period.",
  },
  ParkingExchangeTierOutOfOrder: {
    message: ([index]) => `cancellation tier ${index} is out of order`,
    hint: () => "Notices must strictly decrease and refunds must not increase from one tier to the next.",
  },
  ParkingExchangeRefundTooHigh: {
    message: ([refundBps]) => `a refund of ${refundBps} basis points is above 100%`,
  },
  ParkingExchangeFeeTooHigh: {
    message: ([feeBps, max]) => `a city fee of ${feeBps} basis points is above the ceiling of ${max}`,
  },
  ParkingExchangeDisputeWindowOutOfRange: {
    message: ([disputeWindow, min, max]) => `a dispute window of ${disputeWindow} s is not between ${min} s and ${max} s`,
  },
  ParkingExchangeMaxBookingHoursOutOfRange: {
    message: ([maxBookingHours, max]) => `a longest booking of ${maxBookingHours} hours is not between 1 and ${max}`,
  },
  ParkingExchangeNotWholeHours: {
    message: ([start, end]) => `the interval ${time(start)} to ${time(end)} is not in whole hours`,
    hint: () => "Bookings start and end on the hour (unix seconds divisible by 3600).",
  },
  ParkingExchangeInvalidInterval: {
    message: ([start, end]) => `the interval ${time(start)} to ${time(end)} is empty or reversed`,
    hint: () => "The end must come after the start.",
  },
  ParkingExchangeBookingTooLong: {
    message: ([hoursBooked, max]) => `a booking of ${hoursBooked} hours is longer than the ${max} hours allowed`,
    hint: () => "Split the stay into several bookings.",
  },
  ParkingExchangeStartInPast: {
    message: ([start, currentHourStart]) => `the booking starts at ${time(start)}, before the current hour ${time(currentHourStart)}`,
    hint: () => "Book from the current hour on.",
  },
  ParkingExchangeOwnSpot: {
    message: ([spotId]) => `the owner of parking spot ${spotId} cannot book it`,
  },
  ParkingExchangeOverlap: {
    message: ([spotId, start, end]) => `parking spot ${spotId} is already booked between ${time(start)} and ${time(end)}`,
    hint: () => "Pick another time or spot: the node's /v1/parking/spots?from&to lists the free ones.",
  },
  ParkingExchangeOutsideAvailability: {
    message: ([spotId, start, end]) =>
      `parking spot ${spotId} is not offered at every hour between ${time(start)} and ${time(end)}`,
    hint: () => "Book within the spot's weekly availability (see its calendar).",
  },
  ParkingExchangeDayBlocked: {
    message: ([spotId, day]) => `the owner blocked day ${day} (${time(day * 86400n)}) of parking spot ${spotId}`,
    hint: () => "Pick other days, or another spot.",
  },
  ParkingExchangeCostAboveLimit: {
    message: ([cost, maxCost]) => `the booking costs ${city(cost)}, more than the ${city(maxCost)} allowed`,
    hint: () => "Read the price with quote() and raise maxCost, or book fewer hours.",
  },
  ParkingExchangeUnknownBooking: {
    message: ([bookingId]) => `booking ${bookingId} does not exist`,
    hint: () => "A booking id is spotId << 32 | start / 3600.",
  },
  ParkingExchangeNotDriver: {
    message: ([bookingId, account]) => `account ${account} is not the driver of booking ${bookingId}`,
  },
  ParkingExchangeNotParty: {
    message: ([bookingId, account]) => `account ${account} is neither the driver nor the owner of booking ${bookingId}`,
  },
  ParkingExchangeInvalidStatus: {
    message: ([bookingId, status]) => `booking ${bookingId} is ${BOOKING_STATUSES[status] ?? `in status ${status}`}`,
    hint: () => "Read the booking with getBooking(): this step is not open in its current status.",
  },
  ParkingExchangeAlreadyStarted: {
    message: ([bookingId, start]) => `booking ${bookingId} started at ${time(start)}`,
    hint: () => "A driver may cancel only before the start; open a dispute instead if something went wrong.",
  },
  ParkingExchangeBookingEnded: {
    message: ([bookingId, end]) => `booking ${bookingId} ended at ${time(end)}`,
  },
  ParkingExchangeAlreadyCheckedIn: {
    message: ([bookingId]) => `the driver already checked in for booking ${bookingId}`,
  },
  ParkingExchangeCheckInNotRequired: {
    message: ([bookingId]) => `booking ${bookingId} has no check-in`,
  },
  ParkingExchangeCheckInClosed: {
    message: ([bookingId, start, end]) => `check-in for booking ${bookingId} is open only from ${time(start)} to ${time(end)}`,
  },
  ParkingExchangeNotCheckedIn: {
    message: ([bookingId]) => `the driver has not checked in for booking ${bookingId}`,
    hint: () => "Check in first.",
  },
  ParkingExchangeAlreadyCheckedOut: {
    message: ([bookingId]) => `the driver already checked out of booking ${bookingId}`,
  },
  ParkingExchangePayoutNotDue: {
    message: ([bookingId, dueAt]) => `booking ${bookingId} cannot be paid out before ${time(dueAt)}`,
    hint: () => "Payout opens when the booking has ended and its dispute window has passed.",
  },
  ParkingExchangeDisputeClosed: {
    message: ([bookingId, opensAt, closesAt]) =>
      `a dispute on booking ${bookingId} may be opened only from ${time(opensAt)} to ${time(closesAt)}`,
  },
  ParkingExchangeSplitExceedsEscrow: {
    message: ([bookingId, toDriver, escrow]) =>
      `${city(toDriver)} to the driver exceeds the ${city(escrow)} in escrow for booking ${bookingId}`,
  },
  ParkingExchangeNotCompleted: {
    message: ([bookingId, end]) => `booking ${bookingId} ends at ${time(end)}: it cannot be rated before`,
  },
  ParkingExchangeAlreadyRated: {
    message: ([bookingId, rater]) => `account ${rater} already rated booking ${bookingId}`,
  },
  ParkingExchangeInvalidScore: {
    message: ([score]) => `score ${score} is not between 1 and 5`,
  },
  ParkingExchangeNoCommunityFund: {
    message: () => "no community fund is set in CityCoin to receive the city fee",
    hint: () => "The council must set CityCoin's community fund first.",
  },
  ParkingExchangeStartTooFar: {
    message: ([start, latestStart]) => `a booking starting at ${start} is beyond the booking horizon (latest start ${latestStart})`,
    hint: () => "Bookings start at most a year (BOOKING_HORIZON) ahead of the current hour; book a nearer start.",
  },
  ParkingExchangeBookingIdTaken: {
    message: ([bookingId]) => `booking id ${bookingId} already holds a booking that is not cancelled`,
    hint: () => "This should never happen: report it. A booking of the same spot and start hour is still live.",
  },
  ParkingExchangeOwnerNotActive: {
    message: ([spotId, owner]) => `the owner ${owner} of parking spot ${spotId} is not an active member`,
    hint: () => "A suspended or removed owner's spots cannot be booked; choose another spot.",
  },
  ParkingExchangeNotRegistry: {
    message: ([caller]) => `${caller} is not the city registry`,
    hint: () => "Only CityRegistry calls the membership hooks, on membership changes and key recoveries.",
  },
  ParkingExchangeNoCredit: {
    message: ([account]) => `account ${account} has no credit held in the parking exchange`,
    hint: () => "Read creditOf(account): credits arise only when a settlement could not pay the account directly.",
  },
  ParkingExchangeCreditFrozen: {
    message: ([account]) => `the parking credit of ${account} is frozen while the membership is suspended`,
    hint: () => "Withdraw once a registrar reinstates the membership, or from the new key after a key recovery.",
  },
  ParkingExchangeTooManyDays: {
    message: ([count, max]) => `${count} days in one call; at most ${max}`,
    hint: () => "Block or unblock days in several calls of at most MAX_DAYS_PER_CALL days.",
  },
  ParkingExchangeDayOutOfRange: {
    message: ([day, firstDay, lastDay]) => `day ${day} is outside the days that may be blocked (${firstDay} to ${lastDay})`,
    hint: () => "Block days from today up to a year (BOOKING_HORIZON) ahead; no booking can start later.",
  },

  // ─── CityBallots ─────────────────────────────────────────────────────────────────────────────────────────────
  CityBallotsUnknownBallot: {
    message: ([ballotId]) => `ballot ${ballotId} does not exist`,
    hint: () => "Ballot ids run from 1 to getBallotCount().",
  },
  CityBallotsInvalidSchedule: {
    message: ([opensAt, closesAt, revealWindow]) =>
      `the schedule opens ${time(opensAt)}, closes ${time(closesAt)} with a reveal window of ${revealWindow} s, which is not valid`,
    hint: () =>
      "Open now or later, close after opening; a sealed ballot needs a reveal window, an open one none. A petition's referendum states opensAt 0 and its duration as closesAt.",
  },
  CityBallotsInvalidOptions: {
    message: ([kind, optionCount, maxApprovals]) =>
      `a ${BALLOT_KINDS[kind] ?? kind} of ${optionCount} options (at most ${maxApprovals} approvals) is not valid`,
    hint: () =>
      "Referendums have 3 options, petitions 1 (and are never sealed); consultations 2 to 64, approval ones with 1 ≤ k ≤ options. Petitions go through createPetition.",
  },
  CityBallotsInvalidThreshold: {
    message: ([kind, bps]) => `a threshold of ${bps} bps is not valid for a ${BALLOT_KINDS[kind] ?? kind}`,
    hint: () => "Use 0 to 10,000 basis points; a petition needs at least 1.",
  },
  CityBallotsEmptyElectorate: {
    message: () => "the electorate names no college",
    hint: () => "Set at least one bit of collegeMask.",
  },
  CityBallotsFlagOutOfRange: {
    message: ([flagBit, max]) => `flag bit ${flagBit} is out of range (at most ${max})`,
    hint: () => "Pass 0 for no flag, else 1 + the member flag's bit.",
  },
  CityBallotsTooManyDistricts: {
    message: ([count, max]) => `${count} districts are more than the ${max} a ballot may name`,
  },
  CityBallotsUncountedElectorate: {
    message: ([districts, bps]) => `a threshold of ${bps} bps cannot apply to an electorate restricted to ${districts} districts`,
    hint: () => "The registry counts members per college and flag, not per district: drop the quorum or the districts.",
  },
  CityBallotsInvalidPetitionTarget: {
    message: ([proposalId, kind]) =>
      proposalId === 0n
        ? `a petition can open a referendum, not a ${BALLOT_KINDS[kind] ?? kind}`
        : `a petition for proposal ${proposalId} cannot also carry a referendum`,
    hint: () => "Give either a Governor proposal id, or proposal 0 and a referendum template.",
  },
  CityBallotsWrongState: {
    message: ([ballotId, state]) => `ballot ${ballotId} is ${BALLOT_STATES[state] ?? state}`,
    hint: ([, state]) =>
      state === 1 ? "Wait until it opens." : state === 3 ? "Voting is closed: reveal now, finalize after the window." : "Check getBallotState() first.",
  },
  CityBallotsWrongMode: {
    message: ([ballotId]) => `ballot ${ballotId} does not take this kind of ballot`,
    hint: () => "Sealed ballots take commitVote/revealVote, open ones vote, petitions signPetition.",
  },
  CityBallotsInvalidChoice: {
    message: ([ballotId, choice]) => `choice ${choice} is not valid on ballot ${ballotId}`,
    hint: () => "Give an option index (single choice), or a non-empty bitmap of at most k options (approval).",
  },
  CityBallotsNotAMember: {
    message: ([ballotId, voter]) => `${voter} was not an active member at the snapshot of ballot ${ballotId}`,
    hint: () => "Only members registered before the ballot was created vote on it.",
  },
  CityBallotsMemberSuspended: {
    message: ([ballotId, voter]) => `${voter} is suspended and cannot vote on ballot ${ballotId}`,
  },
  CityBallotsOutsideElectorate: {
    message: ([ballotId, voter]) => `${voter} is outside the electorate of ballot ${ballotId} (college, flag or district)`,
  },
  CityBallotsAlreadySigned: {
    message: ([petitionId, voter]) => `${voter} already signed petition ${petitionId}`,
  },
  CityBallotsNoCommitment: {
    message: ([ballotId, voter]) => `${voter} committed no vote on ballot ${ballotId}`,
  },
  CityBallotsAlreadyRevealed: {
    message: ([ballotId, voter]) => `${voter} already revealed their vote on ballot ${ballotId}`,
  },
  CityBallotsBadReveal: {
    message: ([ballotId, voter]) => `the choice and salt do not match the last commitment of ${voter} on ballot ${ballotId}`,
    hint: () => "Reveal the choice and salt of the last commitment (the SDK's salt store keeps them).",
  },
  CityBallotsNotAPetition: {
    message: ([ballotId]) => `ballot ${ballotId} is not a petition`,
  },
  CityBallotsInvalidCommitment: {
    message: ([ballotId]) => `the commitment on ballot ${ballotId} is empty`,
    hint: () => "Commit hashCommitment(ballotId, voter, choice, salt).",
  },
  CityBallotsNothingToPage: {
    message: ([ballotId, paged, total]) => `ballot ${ballotId} has no district left to page (${paged} of ${total} paged)`,
    hint: () => "Call finalize to complete the result.",
  },
  CityBallotsPagesRemaining: {
    message: ([ballotId, left, max]) =>
      `ballot ${ballotId} still has ${left} districts to sum, more than one finalization transaction takes (${max})`,
    hint: () => "Call finalizePage until at most that many are left, then finalize (finalizeBallot does it for you).",
  },
  CityBallotsPetitionPending: {
    message: ([member, petitionId]) => `${member} already has petition ${petitionId} collecting signatures`,
    hint: () => "A member opens one petition at a time: wait until it closes or reaches its threshold.",
  },
  CityBallotsMemberPetitionTooNarrow: {
    message: ([collegeMask, flagBit, bps]) =>
      `a member's petition must address every college with no flag and need at least 5% of signatures (got colleges ${collegeMask}, flag ${flagBit}, ${bps} bps)`,
    hint: () => "Set collegeMask 0xffff, flagBit 0 and thresholdBps >= MEMBER_PETITION_MIN_BPS.",
  },
  // ─── Access control (CityAuthority and every managed contract) ───────────────────────────────────────────────
  AccessManagedUnauthorized: {
    message: ([caller], { functionName }) =>
      `account ${caller} may not call ${functionName ? `${functionName}()` : "this function"}`,
    hint: () =>
      "Restricted functions are granted to a role in CityAuthority (see deployment.roles): send from an account holding that role, or ask the authority's admin to grant it.",
  },
  AccessManagedRequiredDelay: {
    message: ([caller, delay]) => `account ${caller} must schedule this call: its role acts after a ${delay} s delay`,
    hint: () => "Schedule the operation in CityAuthority (schedule), wait the delay, then execute it.",
  },
  AccessManagedInvalidAuthority: {
    message: ([authority]) => `${authority} is not a valid authority`,
  },
  AccessManagerAlreadyScheduled: {
    message: ([operationId]) => `operation ${short(operationId)} is already scheduled`,
  },
  AccessManagerBadConfirmation: {
    message: () => "the confirmation does not match the caller",
    hint: () => "Call renounceRole() with the caller's own address.",
  },
  AccessManagerExpired: {
    message: ([operationId]) => `operation ${short(operationId)} has expired`,
    hint: () => "Schedule it again.",
  },
  AccessManagerInvalidInitialAdmin: {
    message: ([initialAdmin]) => `${initialAdmin} cannot be the initial admin`,
  },
  AccessManagerLockedFunction: {
    message: ([selector]) => `function ${selector} is locked`,
  },
  AccessManagerLockedRole: {
    message: ([roleId]) => `role ${roleId} is locked (ADMIN and PUBLIC cannot be changed this way)`,
  },
  AccessManagerNotReady: {
    message: ([operationId]) => `operation ${short(operationId)} is not ready yet`,
    hint: () => "Wait until its scheduled time.",
  },
  AccessManagerNotScheduled: {
    message: ([operationId]) => `operation ${short(operationId)} is not scheduled`,
  },
  AccessManagerUnauthorizedAccount: {
    message: ([account, roleId]) => `account ${account} does not hold role ${roleId}`,
    hint: () => "Ask the authority's admin to grant the role (roles are listed in deployment.roles).",
  },
  AccessManagerUnauthorizedCall: {
    message: ([caller, target, selector]) => `account ${caller} may not call ${selector} on ${target}`,
    hint: () => "Grant the caller the role the authority assigns to that function.",
  },
  AccessManagerUnauthorizedCancel: {
    message: ([msgsender, caller, target, selector]) =>
      `account ${msgsender} may not cancel the call of ${selector} on ${target} scheduled by ${caller}`,
  },
  AccessManagerUnauthorizedConsume: {
    message: ([target]) => `${target} may not consume a scheduled operation for another target`,
  },
  SafeCastOverflowedUintDowncast: {
    message: ([bits, value]) => `value ${value} does not fit in ${bits} bits`,
  },
  AddressEmptyCode: {
    message: ([target]) => `${target} has no code`,
  },
  FailedCall: {
    message: () => "a low-level call failed",
  },
  InsufficientBalance: {
    message: ([balance, needed]) => `the contract holds ${formatEther(balance)} ETH but ${formatEther(needed)} ETH is needed`,
  },

  // ─── City services (the base of the members' services: CityMemberService) ────────────────────────────────────
  CityServiceZeroAddress: {
    message: () => "a city contract's address given at deployment is zero",
    hint: () => "Deploy the city's registry first and pass its address.",
  },
  CityServiceNotRegistry: {
    message: ([caller]) => `${caller} is not the city's registry: only it reports membership changes`,
  },

  // ─── CityForwarder (relayed meta-transactions) ───────────────────────────────────────────────────────────────
  ERC2771ForwarderExpiredRequest: {
    message: ([deadline]) => `the relayed request expired at ${time(deadline)}`,
    hint: () => "Sign the request again with a later deadline.",
  },
  ERC2771ForwarderInvalidSigner: {
    message: ([signer, from]) => `the relayed request was signed by ${signer}, not by ${from}`,
    hint: () => "The request must be signed by its `from` account, with its current forwarder nonce.",
  },
  ERC2771ForwarderMismatchedValue: {
    message: ([requestedValue, msgValue]) =>
      `the request asks for ${formatEther(requestedValue)} ETH but ${formatEther(msgValue)} ETH was sent`,
  },
  ERC2771ForwarderNoRefundReceiver: {
    message: () => "a batch with failed requests needs a refund receiver",
  },
  ERC2771UntrustfulTarget: {
    message: ([target, forwarder]) => `${target} does not trust the forwarder ${forwarder}`,
    hint: () => "Relay only to city contracts, which trust CityForwarder.",
  },
  InvalidAccountNonce: {
    message: ([account, currentNonce]) => `the nonce used for ${account} is not its current nonce ${currentNonce}`,
    hint: () => "Sign again with the current nonce.",
  },
  InvalidShortString: {
    message: () => "a short string is invalid",
  },
  StringTooLong: {
    message: ([str]) => `string "${str}" is too long`,
  },

  // ─── ParticipatoryBudget ─────────────────────────────────────────────────────────────────────────────────────
  ParticipatoryBudgetZeroAddress: {
    message: () => "the treasury cannot be the zero address",
    hint: () => "Pass the city account that funds budget winners.",
  },
  ParticipatoryBudgetInvalidSchedule: {
    message: ([snapshot, proposalsEnd, supportEnd, reviewEnd, voteEnd]) =>
      `the schedule (snapshot ${time(snapshot)}, proposals until ${time(proposalsEnd)}, support until ${time(supportEnd)}, review until ${time(reviewEnd)}, vote until ${time(voteEnd)}) is not in order`,
    hint: () => "Proposals must end in the future; support ends no earlier, review and vote strictly later; the snapshot comes before the vote opens.",
  },
  ParticipatoryBudgetInvalidBallotRule: {
    message: ([rule, maxApprovals]) => `a ${BUDGET_BALLOT_RULES[rule] ?? rule} ballot with at most ${maxApprovals} approvals is not valid`,
    hint: () => "Approval ballots need maxApprovals ≥ 1; knapsack ballots take 0.",
  },
  ParticipatoryBudgetMinSpendTooHigh: {
    message: ([bps]) => `a minimum share of ${bps} bps is over 100%`,
    hint: () => "Use 0 (no minimum) to 10,000 basis points.",
  },
  ParticipatoryBudgetEmptyElectorate: {
    message: () => "the round's electorate names no college",
    hint: () => "Set at least one bit of collegeMask.",
  },
  ParticipatoryBudgetEnvelopeLengthMismatch: {
    message: ([districts, amounts]) => `${districts} districts but ${amounts} district amounts`,
    hint: () => "Give one amount per district envelope.",
  },
  ParticipatoryBudgetTooManyEnvelopes: {
    message: ([count, max]) => `${count} district envelopes are more than the ${max} a round may have`,
  },
  ParticipatoryBudgetDuplicateDistrict: {
    message: ([district]) => `district ${district} has two envelopes`,
    hint: () => "List each district once.",
  },
  ParticipatoryBudgetUnknownRound: {
    message: ([roundId]) => `budget round ${roundId} does not exist`,
    hint: () => "Round ids run from 1 to getBudgetRoundCount().",
  },
  ParticipatoryBudgetWrongPhase: {
    message: ([roundId, current, expected]) =>
      `round ${roundId} is in its ${BUDGET_PHASES[current] ?? current} phase, not ${BUDGET_PHASES[expected] ?? expected}`,
    hint: () => "Read the round's deadlines and phase with getBudgetRound().",
  },
  ParticipatoryBudgetNotAMember: {
    message: ([account]) => `account ${account} is not a member`,
    hint: () => "Only registered, active members take part in budget rounds.",
  },
  ParticipatoryBudgetMemberSuspended: {
    message: ([account]) => `member ${account} is suspended`,
    hint: () => "A suspended member cannot propose, support or vote until reinstated.",
  },
  ParticipatoryBudgetNotInElectorate: {
    message: ([account]) => `member ${account} is not in the round's electorate`,
    hint: () => "The electorate is the members active at the round's snapshot in one of its colleges; joining later gives no vote.",
  },
  ParticipatoryBudgetUnknownEnvelope: {
    message: ([roundId, envelope]) => `round ${roundId} has no envelope ${envelope}`,
    hint: () => "Envelope 0 is city-wide; 1..n are the districts in the order the round lists them.",
  },
  ParticipatoryBudgetInvalidCost: {
    message: ([cost, amount]) => `a cost of ${city(cost)} is not between 0 and the envelope's ${city(amount)}`,
    hint: () => "A project costs something, and no more than its envelope.",
  },
  ParticipatoryBudgetUnknownProject: {
    message: ([roundId, projectId]) => `round ${roundId} has no project ${projectId}`,
  },
  ParticipatoryBudgetAlreadySupported: {
    message: ([roundId, projectId, account]) => `account ${account} already supports project ${projectId} of round ${roundId}`,
  },
  ParticipatoryBudgetNotAdvanced: {
    message: ([roundId, projectId, supports, threshold]) =>
      `project ${projectId} of round ${roundId} has ${supports} supports, fewer than the ${threshold} needed for review`,
  },
  ParticipatoryBudgetAlreadyReviewed: {
    message: ([roundId, projectId]) => `project ${projectId} of round ${roundId} was already reviewed`,
  },
  ParticipatoryBudgetNotFeasible: {
    message: ([roundId, projectId]) => `project ${projectId} of round ${roundId} is not a feasible project on the ballot`,
    hint: () => "Only feasible projects' costs can be revised, during the review phase.",
  },
  ParticipatoryBudgetBallotFull: {
    message: ([roundId, max]) => `the ballot of round ${roundId} already holds ${max} projects`,
  },
  ParticipatoryBudgetEmptyBallot: {
    message: () => "the ballot selects no project",
    hint: () => "Select at least one project (budgetSelection([...ballot indexes])).",
  },
  ParticipatoryBudgetNotOnBallot: {
    message: ([roundId, ballotIndex]) => `ballot index ${ballotIndex} is not a project on round ${roundId}'s ballot`,
    hint: () => "Ballot indexes run from 0 to the round's ballotCount - 1.",
  },
  ParticipatoryBudgetOutsideDistrict: {
    message: ([projectId, district]) => `project ${projectId} is not in the envelope of the voter's district ${district}`,
    hint: () => "A member votes in the city-wide envelope and in their own district's (as registered at the snapshot).",
  },
  ParticipatoryBudgetOverEnvelope: {
    message: ([envelope, cost, amount]) => `the selected projects cost ${city(cost)}, more than envelope ${envelope}'s ${city(amount)}`,
    hint: () => "Select projects whose costs fit the envelope.",
  },
  ParticipatoryBudgetTooManyApprovals: {
    message: ([envelope, count, max]) => `${count} projects selected in envelope ${envelope}, more than the ${max} allowed`,
  },
  ParticipatoryBudgetUnderMinimumSpend: {
    message: ([envelope, cost, minimum]) => `the selected projects of envelope ${envelope} cost ${city(cost)}, less than the round's minimum of ${city(minimum)}`,
    hint: () => "Select more of the envelope, or nothing in it.",
  },
  ParticipatoryBudgetWrongWinnerRule: {
    message: ([roundId, rule]) => `round ${roundId}'s winner rule is ${BUDGET_WINNER_RULES[rule] ?? rule}`,
    hint: ([, rule]) => (rule === 0 ? "A greedy round is tallied on chain with tallyRound()." : "An Equal Shares round takes a posted result: postEqualSharesResult()."),
  },
  ParticipatoryBudgetLogHeadMismatch: {
    message: ([expected, given]) => `the result was computed from ballot log ${short(given)}, not the round's ${short(expected)}`,
    hint: () => "Read the whole ballot log again (getBudgetBallotLog) after the vote closed and recompute.",
  },
  ParticipatoryBudgetAlreadyFunded: {
    message: ([roundId]) => `round ${roundId} is already funded`,
  },
  ParticipatoryBudgetNotFunded: {
    message: ([roundId, projectId]) => `project ${projectId} of round ${roundId} has no escrow (not a winner, not funded yet, or closed)`,
  },
  ParticipatoryBudgetZeroAmount: {
    message: () => "the amount is zero",
    hint: () => "Release a positive amount.",
  },
  ParticipatoryBudgetExceedsEscrow: {
    message: ([roundId, projectId, amount, escrow]) =>
      `releasing ${city(amount)} from project ${projectId} of round ${roundId} exceeds its escrow of ${city(escrow)}`,
  },
  ParticipatoryBudgetChallengeWindowOpen: {
    message: ([roundId, end]) => `the result of round ${roundId} may be challenged until ${end}: it cannot be funded yet`,
    hint: () => "Fund after the challenge window ends.",
  },
  ParticipatoryBudgetResultChallenged: {
    message: ([roundId]) => `the result of round ${roundId} is challenged: the council must resolve it before funding`,
  },
  ParticipatoryBudgetNotChallengeable: {
    message: ([roundId, end]) => `the result of round ${roundId} cannot be challenged now (window end ${end}, once, before funding)`,
  },
  ParticipatoryBudgetSameResult: {
    message: ([roundId]) => `the challenge names the very winners posted for round ${roundId}`,
    hint: () => "A challenge states the winners your recomputation found, which differ from the posted ones.",
  },
  ParticipatoryBudgetNotChallenged: {
    message: ([roundId]) => `the result of round ${roundId} is not challenged`,
  },
  ParticipatoryBudgetNothingHeld: {
    message: ([account]) => `nothing is held for ${account}`,
  },
  ParticipatoryBudgetNotRemoved: {
    message: ([account]) => `${account} is not a removed member: what is held for them stays theirs`,
  },
  ParticipatoryBudgetNotRegistry: {
    message: ([caller]) => `${caller} is not the city's registry: only it reports membership changes`,
  },
  // ─── Governance (CityGovernor, CityCharter, CitizensVeto) ────────────────────────────────────────────────────
  CityGovernorAlreadyVoted: {
    message: ([proposalId, voter]) => `${voter} already voted on proposal ${proposalId}`,
    hint: () => "A member votes once per proposal; read hasVoted() first.",
  },
  CityGovernorCancelWithoutReason: {
    message: () => "a cancellation needs a reason",
    hint: () => "Pass a non-empty reason: it is published with the cancellation.",
  },
  CityGovernorCollegeNotInCharter: {
    message: ([proposalId, college]) => `college ${college} has no seat in the charter proposal ${proposalId} is counted under`,
    hint: () => "Only members of the charter's colleges vote on it; read getCharter() for them.",
  },
  CityGovernorCosignLengthMismatch: {
    message: ([cosigners, signatures]) => `${cosigners} co-signers but ${signatures} signatures`,
    hint: () => "Give one signature per co-signer, in the same order.",
  },
  CityGovernorCosignatureExpired: {
    message: ([deadline]) => `the co-signatures expired at ${time(deadline)}`,
    hint: () => "Collect new co-signatures with a later deadline.",
  },
  CityGovernorCosignersNotAscending: {
    message: ([cosigner]) => `co-signer ${cosigner} is out of order or repeated`,
    hint: () => "List co-signers once each, sorted by address (ascending).",
  },
  CityGovernorDuplicateSigner: {
    message: ([signer]) => `${signer} is the proposer and cannot co-sign their own proposal`,
    hint: () => "Remove the proposer from the co-signers.",
  },
  CityGovernorInvalidCosignature: {
    message: ([cosigner]) => `the co-signature of ${cosigner} does not match the proposal`,
    hint: () => "Each co-signer signs Cosign(proposalId, deadline) for this exact proposal (signCosign()).",
  },
  CityGovernorInvalidSupport: {
    message: ([support]) => `support ${support} is not a vote (0 against, 1 for, 2 abstain)`,
    hint: () => "Vote 0 (against), 1 (for) or 2 (abstain).",
  },
  CityGovernorNoPetitions: {
    message: () => "the governor has no petitions contract",
    hint: () => "A proposal must first set the petitions contract (setPetitions).",
  },
  CityGovernorNotAMember: {
    message: ([account]) => `${account} is not a member who can take part (not an active member at the snapshot, or since replaced)`,
    hint: () => "Only members active at the proposal's snapshot, with the same membership now, vote or co-sign.",
  },
  CityGovernorNotEnoughCosigners: {
    message: ([signers, needed]) => `${signers} signers, the charter needs ${needed}`,
    hint: () => "Collect more co-signatures from active members.",
  },
  CityGovernorPetitionMismatch: {
    message: ([petitionId, petitionProposalId, proposalId]) => `petition ${petitionId} asks for proposal ${petitionProposalId}, not ${proposalId}`,
    hint: () => "Submit exactly the targets, values, calldatas and description the petition was signed for.",
  },
  CityGovernorPetitionNotReached: {
    message: ([petitionId]) => `petition ${petitionId} has not reached its threshold`,
    hint: () => "Wait until enough members sign the petition.",
  },
  CityGovernorMemberProposal: {
    message: ([proposalId]) => `proposal ${proposalId} was put on the agenda by members (co-signed or petitioned): the orchestrator cannot cancel it`,
    hint: () => "The colleges decide a members' proposal by their vote.",
  },
  CityAgendaNotTheGovernorsAgenda: {
    message: ([governor, governorsAgenda]) => `governor ${governor} names ${governorsAgenda} as its agenda, not this contract`,
    hint: () => "Deploy CityAgenda right after CityGovernor, from the deployer whose next address the governor was given (scripts/lib/governance.ts).",
  },
  CityGovernorNotTheAgenda: {
    message: ([caller]) => `${caller} is not the governor's agenda: only CityAgenda proposes for members and petitions`,
    hint: () => "Send a co-signed proposal or a petition's proposal to the deployment's CityAgenda (proposeWithCosigners, proposeByPetition).",
  },
  CityGovernorTooLateToCancel: {
    message: ([proposalId, state]) => `proposal ${proposalId} is ${PROPOSAL_STATES[Number(state)] ?? state}: only a pending proposal can be cancelled`,
    hint: () => "Once the vote has started, the result belongs to the colleges (citizens may still veto a queued proposal).",
  },
  CityCharterCollegeCount: {
    message: ([count, min, max]) => `a charter has ${min} to ${max} colleges, not ${count}`,
    hint: () => "Cooperative law: at least three colleges.",
  },
  CityCharterCollegeOutOfRange: {
    message: ([college, max]) => `college ${college} is out of range (ids below ${max})`,
    hint: () => "Use the registry's college ids.",
  },
  CityCharterCollegesNotAscending: {
    message: ([college]) => `college ${college} is out of order or repeated`,
    hint: () => "List colleges once each, ascending by id.",
  },
  CityCharterCosignShareOutOfBounds: {
    message: ([share]) => `a co-signature share of ${share} bps is out of bounds (1 to 10,000)`,
  },
  CityCharterEmptyCollege: {
    message: ([college]) => `college ${college} has no active member`,
    hint: () => "Register members in every college of the charter before proposing or adopting it.",
  },
  CityCharterOnlyGovernance: {
    message: ([caller]) => `${caller} is not the governance timelock`,
    hint: () => "The charter changes only through a super-majority proposal.",
  },
  CityCharterQuorumOutOfBounds: {
    message: ([college, quorum]) => `college ${college}'s quorum of ${quorum} bps is out of bounds (1 to 10,000)`,
  },
  CityCharterSuperMajorityOutOfBounds: {
    message: ([value, min, max]) => `a super-majority of ${value} bps is out of bounds (${min} to ${max})`,
    hint: () => "The super-majority is at least 2/3 and at least the approval threshold.",
  },
  CityCharterThresholdOutOfBounds: {
    message: ([value, min, max]) => `an approval threshold of ${value} bps is out of bounds (${min} to ${max})`,
  },
  CityCharterVetoCollegeNotInCharter: {
    message: ([college]) => `veto college ${college} is not one of the charter's`,
    hint: () => "Name a college of the charter (CITIZENS, 1, by default).",
  },
  CityCharterVetoThresholdOutOfBounds: {
    message: ([value, min, max]) => `a veto threshold of ${value} bps is out of bounds (${min} to ${max})`,
  },
  CityCharterWeightOutOfBounds: {
    message: ([college, weight, min, max]) => `college ${college} weighs ${weight} bps, outside ${min} to ${max}`,
    hint: () => "Cooperative law: each college holds between 10% and 50% of the votes.",
  },
  CityCharterWeightsSum: {
    message: ([sum]) => `the colleges' weights sum to ${sum} bps, not 10,000`,
    hint: () => "Weights must add up to exactly 100%.",
  },
  CitizensVetoAlreadySigned: {
    message: ([proposalId, citizen]) => `${citizen} already vetoed proposal ${proposalId}`,
  },
  CitizensVetoInvalidSignature: {
    message: ([citizen]) => `the veto signature does not match ${citizen}`,
    hint: () => "The citizen signs Veto(proposalId, citizen) (signVeto()).",
  },
  CitizensVetoNotACitizen: {
    message: ([proposalId, account]) => `${account} was not a member of proposal ${proposalId}'s veto college at its snapshot`,
  },
  CitizensVetoNotQueued: {
    message: ([proposalId, state]) => `proposal ${proposalId} is ${PROPOSAL_STATES[Number(state)] ?? state}, not waiting in the timelock`,
    hint: () => "A veto is possible only while a passed proposal is queued.",
  },
  GovernorAlreadyCastVote: {
    message: ([voter]) => `${voter} already voted`,
  },
  GovernorAlreadyQueuedProposal: {
    message: ([proposalId]) => `proposal ${proposalId} is already queued`,
  },
  GovernorDisabledDeposit: {
    message: () => "the governor takes no deposits (its timelock holds the city's assets)",
  },
  GovernorInsufficientProposerVotes: {
    message: ([proposer, votes, threshold]) => `${proposer} has ${votes} votes, fewer than the ${threshold} needed to propose`,
  },
  GovernorInvalidProposalLength: {
    message: ([targets, calldatas, values]) => `a proposal needs as many targets (${targets}), calldatas (${calldatas}) and values (${values}), at least one`,
  },
  GovernorInvalidSignature: {
    message: ([voter]) => `the vote signature does not match ${voter} (or its nonce was used)`,
    hint: () => "Sign the ballot again with the voter's current nonce (signBallot()).",
  },
  GovernorInvalidVoteParams: {
    message: () => "the vote's params are not accepted",
  },
  GovernorInvalidVoteType: {
    message: () => "the vote type is not supported",
  },
  GovernorInvalidVotingPeriod: {
    message: ([period]) => `a voting period of ${period} seconds is not allowed`,
  },
  GovernorNonexistentProposal: {
    message: ([proposalId]) => `proposal ${proposalId} does not exist`,
    hint: () => "Check the targets, values, calldatas and description hash.",
  },
  GovernorOnlyExecutor: {
    message: ([account]) => `${account} is not the governance timelock`,
    hint: () => "This changes only through an executed proposal.",
  },
  GovernorProposalQueueingFailed: {
    message: ([proposalId]) => `proposal ${proposalId} could not be queued`,
  },
  GovernorProposalQueueingNotRequired: {
    message: ([proposalId]) => `proposal ${proposalId} does not need queuing`,
  },
  GovernorRestrictedProposer: {
    message: ([proposer]) => `the description reserves this proposal for another proposer than ${proposer}`,
  },
  GovernorUnableToCancel: {
    message: ([proposalId, account]) => `${account} cannot cancel proposal ${proposalId}`,
    hint: () => "Only the orchestrator cancels, with a reason, before the vote starts (cancelWithReason).",
  },
  GovernorUnexpectedProposalState: {
    message: ([proposalId, state]) => `proposal ${proposalId} is ${PROPOSAL_STATES[Number(state)] ?? state}, which does not allow this`,
    hint: () => "Read the proposal's state first (getProposalState()).",
  },
};

/** `ICityBallots.BallotKind`, by code. */
const BALLOT_KINDS: readonly string[] = ["referendum", "consultation", "petition"];
/** `ICityBallots.BallotState`, by code, as read in a sentence. */
const BALLOT_STATES: readonly string[] = ["unknown", "not open yet", "open", "in its reveal window", "closed", "finalized"];

/** `IParkingExchange.BookingStatus`, by code, as read in a sentence. */
const BOOKING_STATUSES: readonly string[] = ["unknown", "booked", "disputed", "cancelled", "paid out", "resolved"];

/** `IParticipatoryBudget.BallotRule`, `WinnerRule` and `Phase`, by code, as read in a sentence. */
const BUDGET_BALLOT_RULES: readonly string[] = ["knapsack", "approval"];
const BUDGET_WINNER_RULES: readonly string[] = ["greedy", "Equal Shares (add1)", "Equal Shares (Wieliczka)", "Equal Shares (Assen)"];
const BUDGET_PHASES: readonly string[] = ["unknown", "proposals", "support", "review", "vote", "tally", "funding"];

/** OpenZeppelin's `IGovernor.ProposalState`, by code, as read in a sentence. */
const PROPOSAL_STATES: readonly string[] = ["pending", "active", "canceled", "defeated", "succeeded", "queued", "expired", "executed"];

/** A CityCoin amount with its unit. */
function city(units: bigint): string {
  return `${formatCity(units)} CITY`;
}

/** A unix time (seconds) as an ISO date, with the raw value. */
function time(seconds: bigint | number): string {
  const ms = Number(seconds) * 1000;
  return Number.isSafeInteger(ms) && ms <= 8.64e15 ? `${new Date(ms).toISOString()} (${seconds})` : `${seconds}`;
}

/** The first and last bytes of a 32-byte value. */
function short(value: Hex): string {
  return value.length > 14 ? `${value.slice(0, 10)}…${value.slice(-4)}` : value;
}
