import { bytesToHex, encodeAbiParameters, keccak256, type Address, type Hex } from "viem";

/**
 * The commitment CityBallots checks at reveal: `keccak256(abi.encode(choice, salt, voter, ballotId, chainId))`.
 * @example `const commitment = hashCommitment({ ballotId: 1n, voter, choice: 0n, salt, chainId: 31337 });`
 */
export function hashCommitment(p: { ballotId: bigint; voter: Address; choice: bigint; salt: Hex; chainId: number | bigint }): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "uint64" }, { type: "bytes32" }, { type: "address" }, { type: "uint256" }, { type: "uint256" }],
      [p.choice, p.salt, p.voter, p.ballotId, BigInt(p.chainId)],
    ),
  );
}

/** A fresh random 32-byte salt (Web Crypto). @example `const salt = randomSalt();` */
export function randomSalt(): Hex {
  return bytesToHex(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * What a voter must keep between commit and reveal: lose it and the vote counts as turnout only.
 * @example `const kept: SealedVote = { choice: 1n, salt, commitment };`
 */
export interface SealedVote {
  choice: bigint;
  salt: Hex;
  commitment: Hex;
}

/**
 * Where the SDK keeps sealed votes until they are revealed (an app persists it: local storage, a file…). Keys
 * name the chain, the ballot and the voter.
 *
 * @example
 * ```ts
 * const store: SaltStore = memorySaltStore();
 * ```
 */
export interface SaltStore {
  get(key: string): SealedVote | undefined | Promise<SealedVote | undefined>;
  set(key: string, vote: SealedVote): void | Promise<void>;
}

/** A {@link SaltStore} in memory, optionally seeded (e.g. from a JSON backup). @example `const store = memorySaltStore();` */
export function memorySaltStore(initial: Record<string, SealedVote> = {}): SaltStore & { entries(): Record<string, SealedVote> } {
  const map = new Map(Object.entries(initial));
  return {
    get: (key) => map.get(key),
    set: (key, vote) => void map.set(key, vote),
    entries: () => Object.fromEntries(map),
  };
}

/** The store key of a sealed vote. @example `saltKey(31337, 1n, voter) // "31337:1:0xabc…"` */
export function saltKey(chainId: number | bigint, ballotId: bigint, voter: Address): string {
  return `${chainId}:${ballotId}:${voter.toLowerCase()}`;
}
