import type { Address, EIP1193Provider, LocalAccount } from "viem";

/**
 * Who signs in this browser: a demo member's public key (dev city only), a city key opened with its passphrase, or a
 * browser wallet (EIP-1193, `window.ethereum`) that keeps its key itself.
 */
export type Signer =
  | { kind: "demo"; index: number; address: Address; account: LocalAccount }
  | { kind: "cityKey"; address: Address; account: LocalAccount }
  | { kind: "injected"; address: Address; provider: EIP1193Provider };
