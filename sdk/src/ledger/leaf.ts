/**
 * The one codec of the log's leaves, browser-safe: a raw log ↔ its RFC 6962 leaf input
 * `abi.encode(uint256 chainId, uint64 blockNumber, bytes32 blockHash, bytes32 txHash, uint32 logIndex, address emitter,
 * bytes32[] topics, bytes data)`. {@link encodeLeafInput} (viem's ABI encoder) is the reference;
 * {@link leafInputOfRpcLog} assembles the same bytes straight from eth_getLogs JSON (the audit's fast path), and
 * {@link parseLeafInput} reads a stored leaf input back into its log (the node's replay, auditors reading entries).
 */
import { encodeAbiParameters, hexToBytes, type Address, type Hex } from "viem";
import { hashLeaf } from "../merkle/hasher";
import { nativeBytesToHex } from "../utils/hex";

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

/** A log as `eth_getLogs` returns it: JSON, integers as hex quantities. */
export interface RpcLog {
  address: string;
  blockNumber: Hex;
  blockHash: Hex;
  transactionHash: Hex;
  logIndex: Hex;
  topics: Hex[];
  data: Hex;
  removed?: boolean;
}

/**
 * A raw EVM log as a leaf holds it (all a leaf is made of, no ABI needed): what {@link parseLeafInput} reads back, hex
 * lower-case, the emitter too (not checksummed), and what the audit re-derives from eth_getLogs.
 */
export interface RawLog {
  chainId: number;
  blockNumber: bigint;
  blockHash: Hex;
  transactionHash: Hex;
  logIndex: number;
  address: Address;
  topics: Hex[];
  data: Hex;
}

/** A hex quantity left-padded to one 32-byte word; undefined if it is not `0x` hex of at most `maxBytes` bytes. */
function quantityWord(hex: string, maxBytes: number): string | undefined {
  if (!hex.startsWith("0x")) return undefined;
  const digits = hex.slice(2).replace(/^0+(?=.)/, "");
  return digits.length > 2 * maxBytes || !/^[0-9a-fA-F]+$/.test(digits) ? undefined : digits.padStart(64, "0");
}

const isHexOf = (hex: string, chars: number) => hex.length === chars && /^0x[0-9a-fA-F]*$/.test(hex);

/**
 * The leaf input of an eth_getLogs JSON log on chain `chainId`, assembled as one hex string from the JSON's own hex
 * fields without parsing them into numbers first (several times faster than {@link encodeLeafInput}, which it equals;
 * anything off that path, such as odd lengths or out-of-range values, goes through `encodeLeafInput`, which throws
 * viem's error on a malformed log).
 *
 * @example
 * ```ts
 * const logs = await publicClient.request({ method: "eth_getLogs", params: [{ address, fromBlock, toBlock }] });
 * const inputs = logs.map((log) => leafInputOfRpcLog(31337, log));
 * ```
 */
export function leafInputOfRpcLog(chainId: number | bigint, log: RpcLog): Hex {
  return fastLeafInput(chainId, log) ?? encodeLeafInput({ ...leafLogOfRpcLog(0, log), chainId });
}

/**
 * The {@link RawLog} of an eth_getLogs JSON log on chain `chainId` (integers parsed, hex as given).
 * @example `const log = leafLogOfRpcLog(31337, json);`
 */
export function leafLogOfRpcLog(chainId: number, log: RpcLog): RawLog {
  return {
    chainId,
    blockNumber: BigInt(log.blockNumber),
    blockHash: log.blockHash,
    transactionHash: log.transactionHash,
    logIndex: Number(log.logIndex),
    address: log.address as Address,
    topics: log.topics,
    data: log.data,
  };
}

function fastLeafInput(chainId: number | bigint, log: RpcLog): Hex | undefined {
  const { blockHash, transactionHash, address, topics, data } = log;
  if (!isHexOf(blockHash, 66) || !isHexOf(transactionHash, 66) || !isHexOf(address, 42)) return undefined;
  if (data.length % 2 !== 0 || !/^0x[0-9a-fA-F]*$/.test(data)) return undefined;
  const block = quantityWord(log.blockNumber, 8);
  const index = quantityWord(log.logIndex, 4);
  if (block === undefined || index === undefined || BigInt(chainId) < 0n) return undefined;
  let topicWords = "";
  for (const t of topics) {
    if (!isHexOf(t, 66)) return undefined;
    topicWords += t.slice(2);
  }
  const chainWord = BigInt(chainId).toString(16);
  if (chainWord.length > 64) return undefined;
  const dataBytes = (data.length - 2) / 2;
  const dataAt = 32 * (9 + topics.length);
  const padding = (64 - ((data.length - 2) % 64)) % 64;
  return `0x${
    chainWord.padStart(64, "0") +
    block +
    blockHash.slice(2) +
    transactionHash.slice(2) +
    index +
    "000000000000000000000000" +
    address.slice(2) +
    "0000000000000000000000000000000000000000000000000000000000000100" +
    dataAt.toString(16).padStart(64, "0") +
    topics.length.toString(16).padStart(64, "0") +
    topicWords +
    dataBytes.toString(16).padStart(64, "0") +
    data.slice(2) +
    "0".repeat(padding)
  }`.toLowerCase() as Hex;
}

/**
 * Reads a leaf input back into its raw log (the inverse of {@link encodeLeafInput}, checked field by field rather than
 * through a general ABI decoder: replay reads millions). Hex comes back lower-case, the emitter too.
 *
 * @throws Error naming the field when the input is not a well-formed leaf.
 * @example
 * ```ts
 * const log = parseLeafInput(hexToBytes(entry.leafInput));
 * ```
 */
export function parseLeafInput(input: Uint8Array | Hex): RawLog {
  const h = typeof input === "string" ? input.slice(2).toLowerCase() : nativeBytesToHex(input).slice(2);
  const words = h.length / 64;
  if (!Number.isInteger(words) || words < 10) throw new Error(`leaf input of ${h.length / 2} bytes is not a log leaf`);
  const word = (i: number) => h.slice(64 * i, 64 * (i + 1));
  const small = (i: number, what: string): number => {
    const w = word(i);
    const n = Number.parseInt(w, 16);
    if (!Number.isSafeInteger(n)) throw new Error(`leaf input: ${what} ${w} is out of range`);
    return n;
  };
  const topicsAt = small(6, "topics offset");
  const dataAt = small(7, "data offset");
  if (topicsAt % 32 !== 0 || dataAt % 32 !== 0) throw new Error("leaf input: unaligned offsets");
  const t = topicsAt / 32;
  const count = small(t, "topic count");
  if (t + 1 + count > words) throw new Error(`leaf input: ${count} topics overrun the input`);
  const topics: Hex[] = new Array(count);
  for (let i = 0; i < count; i++) topics[i] = `0x${word(t + 1 + i)}`;
  const d = dataAt / 32;
  const size = small(d, "data length");
  const start = 64 * (d + 1);
  if (start + 2 * size > h.length) throw new Error(`leaf input: ${size} data bytes overrun the input`);
  return {
    chainId: small(0, "chainId"),
    blockNumber: BigInt(`0x${word(1)}`),
    blockHash: `0x${word(2)}`,
    transactionHash: `0x${word(3)}`,
    logIndex: small(4, "logIndex"),
    address: `0x${word(5).slice(24)}`,
    topics,
    data: `0x${h.slice(start, start + 2 * size)}`,
  };
}
