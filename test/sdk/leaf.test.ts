/**
 * The SDK's one leaf codec (`sdk/src/ledger/leaf.ts`): parse is the inverse of encode on random logs, the eth_getLogs
 * JSON fast path equals the reference encoder, and malformed inputs are refused with the field named.
 */
import { expect } from "chai";
import fc from "fast-check";
import { bytesToHex, hexToBytes, toHex, type Address, type Hex } from "viem";
import { encodeLeafInput, leafInputOfRpcLog, parseLeafInput, type LeafLog, type RpcLog } from "../../sdk/src/ledger";

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => bytesToHex(b));

const logArb: fc.Arbitrary<LeafLog & { chainId: number }> = fc.record({
  chainId: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  blockNumber: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  blockHash: bytes(32),
  transactionHash: bytes(32),
  logIndex: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  address: bytes(20).map((a) => a as Address),
  topics: fc.array(bytes(32), { maxLength: 4 }),
  data: fc.uint8Array({ maxLength: 200 }).map((b) => bytesToHex(b)),
});

/** The JSON eth_getLogs gives for `log`: quantities without leading zeros; hashes in either case. */
function rpcLogOf(log: LeafLog, upper: boolean): RpcLog {
  const cased = (h: Hex) => (upper ? (`0x${h.slice(2).toUpperCase()}` as Hex) : h);
  return {
    address: cased(log.address),
    blockNumber: toHex(log.blockNumber),
    blockHash: cased(log.blockHash),
    transactionHash: cased(log.transactionHash),
    logIndex: toHex(log.logIndex),
    topics: log.topics.map(cased),
    data: cased(log.data),
  };
}

describe("SDK: leaf codec", () => {
  it("parse ∘ encode is the identity on random logs (hex lower-cased), and encode ∘ parse on their leaf inputs", () => {
    fc.assert(
      fc.property(logArb, (log) => {
        const input = encodeLeafInput(log);
        const parsed = parseLeafInput(hexToBytes(input));
        expect(parsed).to.deep.equal({ ...log, address: log.address.toLowerCase(), topics: [...log.topics] });
        expect(parseLeafInput(input)).to.deep.equal(parsed);
        expect(encodeLeafInput(parsed)).to.equal(input);
      }),
      { numRuns: 500 },
    );
  });

  it("assembles the leaf input of an eth_getLogs JSON log exactly as encodeLeafInput does", () => {
    fc.assert(
      fc.property(logArb, fc.boolean(), (log, upper) => {
        expect(leafInputOfRpcLog(log.chainId, rpcLogOf(log, upper))).to.equal(encodeLeafInput(log).toLowerCase());
      }),
      { numRuns: 500 },
    );
  });

  it("hands logs off the fast path to encodeLeafInput: same bytes, or viem's error", () => {
    const log: LeafLog = {
      chainId: 31337,
      blockNumber: 7n,
      blockHash: `0x${"11".repeat(32)}`,
      transactionHash: `0x${"22".repeat(32)}`,
      logIndex: 3,
      address: `0x${"33".repeat(20)}`,
      topics: [`0x${"44".repeat(32)}`],
      data: "0x5566",
    };
    // A quantity with leading zeros beyond its width is still read by value.
    const padded = { ...rpcLogOf(log, false), blockNumber: `0x${"0".repeat(40)}7` as Hex };
    expect(leafInputOfRpcLog(31337, padded)).to.equal(encodeLeafInput(log).toLowerCase());
    expect(() => leafInputOfRpcLog(31337, { ...rpcLogOf(log, false), blockHash: "0x1234" })).to.throw();
  });

  it("refuses malformed leaf inputs, naming what is wrong", () => {
    const input = hexToBytes(
      encodeLeafInput({ chainId: 1, blockNumber: 1n, blockHash: `0x${"11".repeat(32)}`, transactionHash: `0x${"22".repeat(32)}`, logIndex: 0, address: `0x${"33".repeat(20)}`, topics: [`0x${"44".repeat(32)}`], data: "0x5566" }),
    );
    expect(() => parseLeafInput(input.subarray(0, 100))).to.throw("leaf input of 100 bytes is not a log leaf");
    expect(() => parseLeafInput(input.subarray(0, input.length - 32))).to.throw("data bytes overrun the input");
    const badOffset = input.slice();
    badOffset[7 * 32 + 31] = 1;
    expect(() => parseLeafInput(badOffset)).to.throw("unaligned offsets");
    const manyTopics = input.slice();
    manyTopics[8 * 32 + 31] = 200;
    expect(() => parseLeafInput(manyTopics)).to.throw("200 topics overrun the input");
  });
});
