/** The SDK's explanations of the custom errors of the relay domain: CityForwarder (relayed meta-transactions). */
import { formatEther } from "viem";
import type { CityErrorMessageTable } from "./types";
import { time } from "./format";

/**
 * How the custom errors of CityForwarder (relayed meta-transactions) read (see `CityErrorExplanation`).
 * @example `relayMessages.ERC2771ForwarderExpiredRequest.message(args, {})`
 */
export const relayMessages = {
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
} satisfies CityErrorMessageTable;
