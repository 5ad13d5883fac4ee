/**
 * The leaf input of a log straight from its eth_getLogs JSON: the layout the SDK's `encodeLeafInput` documents
 * (`abi.encode(uint256 chainId, uint64 blockNumber, bytes32 blockHash, bytes32 txHash, uint32 logIndex, address
 * emitter, bytes32[] topics, bytes data)`), assembled as one hex string from the JSON's own hex fields, without
 * parsing them into numbers first. The audit's own encoder: it does not share the node's code, and
 * {@link leafInputOfJson} hands anything off the fast path (odd lengths, out-of-range values) to the SDK encoder.
 * `derive.ts` cross-checks the fast path against the SDK encoder on a sample of every range.
 */
import { hexToBytes } from "viem";
import { encodeLeafInput, type LeafLog } from "../../sdk/src/ledger";
import type { JsonRpcLog } from "./derive";

/** A hex quantity left-padded to one 32-byte word; undefined if it is not `0x` hex of at most `maxBytes` bytes. */
function word(hex: string, maxBytes: number): string | undefined {
  if (!hex.startsWith("0x")) return undefined;
  const digits = hex.slice(2).replace(/^0+(?=.)/, "");
  return digits.length > 2 * maxBytes ? undefined : digits.padStart(64, "0");
}

const is0x = (hex: string, chars: number) => hex.length === chars && hex.startsWith("0x");

/**
 * `0x00 || leafInput` of `log` (chain `chainIdWord`: the chain id as a 64-digit hex word), ready to hash as an RFC
 * 6962 leaf, or undefined when the log is off the fast path. The hex is checked by length: `Buffer.from(…, "hex")`
 * stops at the first character that is not hex, so a buffer of the expected size had none.
 */
export function prefixedLeafInput(chainIdWord: string, log: JsonRpcLog): Buffer | undefined {
  const { blockHash, transactionHash, address, topics, data } = log;
  if (!is0x(blockHash, 66) || !is0x(transactionHash, 66) || !is0x(address, 42) || !data.startsWith("0x") || data.length % 2 !== 0) return undefined;
  const block = word(log.blockNumber, 8);
  const index = word(log.logIndex, 4);
  if (block === undefined || index === undefined) return undefined;
  let topicWords = "";
  for (const t of topics) {
    if (!is0x(t, 66)) return undefined;
    topicWords += t.slice(2);
  }
  const dataBytes = (data.length - 2) / 2;
  const dataAt = 32 * (9 + topics.length);
  const padding = (64 - ((data.length - 2) % 64)) % 64;
  const hex =
    "00" +
    chainIdWord +
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
    "0".repeat(padding);
  const out = Buffer.from(hex, "hex");
  return out.length * 2 === hex.length ? out : undefined;
}

/** `0x00 || leafInput` of `log`: the fast path, else the SDK's encoder (which throws viem's error on malformed logs). */
export function prefixedLeafOfJson(chainId: number, chainIdWord: string, log: JsonRpcLog, raw: LeafLog): Buffer {
  return prefixedLeafInput(chainIdWord, log) ?? Buffer.concat([Buffer.of(0), hexToBytes(encodeLeafInput({ ...raw, chainId }))]);
}

export function chainIdWord(chainId: number): string {
  return chainId.toString(16).padStart(64, "0");
}
