/**
 * EIP-712 types of what members sign for the relayer: OpenZeppelin ERC2771Forwarder's `ForwardRequest` (the signed
 * fields; the forwarder supplies the member's nonce) and ERC-2612's `Permit`. One copy, shared by the SDK, the
 * ledger node's relayer and the scripts.
 */

/** @example `walletClient.signTypedData({ domain, types: forwardRequestTypes, primaryType: "ForwardRequest", message })` */
export const forwardRequestTypes = {
  ForwardRequest: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "gas", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint48" },
    { name: "data", type: "bytes" },
  ],
} as const;

/** @example `walletClient.signTypedData({ domain, types: permitTypes, primaryType: "Permit", message })` */
export const permitTypes = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;
