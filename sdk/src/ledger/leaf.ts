import { encodeAbiParameters, hexToBytes, type Address, type Hex } from "viem";
import { hashLeaf } from "../merkle/hasher";

/** The fields of a raw EVM log that make a leaf: any JSON-RPC node returns them, no ABI needed. */
export interface LeafLog {
  chainId: number | bigint;
  blockNumber: bigint;
  blockHash: Hex;
  transactionHash: Hex;
  logIndex: number;
  address: Address;
  topics: readonly Hex[];
  data: Hex;
}

/** ABI parameters of a leaf input, in order (also used to decode a stored entry back into its log). */
export const LEAF_PARAMETERS = [
  { type: "uint256", name: "chainId" },
  { type: "uint64", name: "blockNumber" },
  { type: "bytes32", name: "blockHash" },
  { type: "bytes32", name: "txHash" },
  { type: "uint32", name: "logIndex" },
  { type: "address", name: "emitter" },
  { type: "bytes32[]", name: "topics" },
  { type: "bytes", name: "data" },
] as const;

/**
 * The RFC 6962 leaf input of a log:
 * `abi.encode(uint256 chainId, uint64 blockNumber, bytes32 blockHash, bytes32 txHash, uint32 logIndex,
 * address emitter, bytes32[] topics, bytes data)`. Anyone re-derives it from any RPC node.
 *
 * @example
 * ```ts
 * const input = encodeLeafInput({ chainId: 31337, ...log });
 * ```
 */
export function encodeLeafInput(log: LeafLog): Hex {
  return encodeAbiParameters(LEAF_PARAMETERS, [
    BigInt(log.chainId),
    log.blockNumber,
    log.blockHash,
    log.transactionHash,
    log.logIndex,
    log.address,
    log.topics,
    log.data,
  ]);
}

/**
 * The RFC 6962 leaf hash of a log (`SHA-256(0x00 || leafInput)`): what an inclusion proof proves.
 *
 * @example
 * ```ts
 * verifyInclusion(leafFromLog({ chainId: 31337, ...log }), seq, size, proof, root);
 * ```
 */
export function leafFromLog(log: LeafLog): Uint8Array {
  return hashLeaf(hexToBytes(encodeLeafInput(log)));
}
