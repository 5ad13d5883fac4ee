/** The SDK's explanations of the custom errors of CityCoin: the local currency. */
import type { CityErrorMessageTable } from "./types";
import { city, short, time } from "./format";

/**
 * How the custom errors of CityCoin read (see `CityErrorExplanation`).
 * @example `currencyMessages.CityCoinTransferNotAllowed.message(args, {})`
 */
export const currencyMessages = {
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
} satisfies CityErrorMessageTable;
