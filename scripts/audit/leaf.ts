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

const HEX = /^0x[0-9a-fA-F]*$/;

/** A hex quantity or string of bytes left-padded to one 32-byte word; undefined if longer than `maxBytes`. */
function word(hex: string, maxBytes = 32): string | undefined {
  const digits = hex.slice(2).replace(/^0+(?=.)/, "");
  return digits.length > 2 * maxBytes ? undefined : digits.padStart(64, "0");
}

/** The leaf input of `log` (chain `chainIdWord`: the chain id as a 64-digit hex word). */
export function fastLeafInput(chainIdWord: string, log: JsonRpcLog): Buffer | undefined {
  const { blockHash, transactionHash, address, topics, data } = log;
  if (blockHash.length !== 66 || transactionHash.length !== 66 || address.length !== 42 || data.length % 2 !== 0) return undefined;
  if (!HEX.test(data) || !HEX.test(blockHash) || !HEX.test(transactionHash) || !HEX.test(address)) return undefined;
  const block = word(log.blockNumber, 8);
  const index = word(log.logIndex, 4);
  if (block === undefined || index === undefined || !HEX.test(log.blockNumber) || !HEX.test(log.logIndex)) return undefined;
  let topicWords = "";
  for (const t of topics) {
    if (t.length !== 66 || !HEX.test(t)) return undefined;
    topicWords += t.slice(2);
  }
  const dataBytes = (data.length - 2) / 2;
  const dataAt = 32 * (9 + topics.length);
  const padded = data.slice(2) + "0".repeat((64 - ((data.length - 2) % 64)) % 64);
  const hex =
    chainIdWord +
    block +
    blockHash.slice(2) +
    transactionHash.slice(2) +
    index +
    address.slice(2).padStart(64, "0") +
    (256).toString(16).padStart(64, "0") +
    dataAt.toString(16).padStart(64, "0") +
    topics.length.toString(16).padStart(64, "0") +
    topicWords +
    dataBytes.toString(16).padStart(64, "0") +
    padded;
  return Buffer.from(hex, "hex");
}

/** The leaf input of `log`: the fast path, else the SDK's encoder (which throws viem's error on malformed logs). */
export function leafInputOfJson(chainId: number, chainIdWord: string, log: JsonRpcLog, raw: LeafLog): Uint8Array {
  return fastLeafInput(chainIdWord, log) ?? hexToBytes(encodeLeafInput({ ...raw, chainId }));
}

export function chainIdWord(chainId: number): string {
  return chainId.toString(16).padStart(64, "0");
}
