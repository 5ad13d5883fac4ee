import { keccak256, toHex } from "viem";
import type { RawLog } from "../../ledger-node/src/types";

/** Deterministic synthetic logs: block b holds logs with logIndex 0..k. */
export function syntheticLogs(count: number, start = 0): RawLog[] {
  return Array.from({ length: count }, (_, i) => {
    const n = start + i;
    const block = BigInt(1 + Math.floor(n / 3));
    return {
      chainId: 31337,
      blockNumber: block,
      blockHash: keccak256(toHex(`block-${block}`)),
      transactionHash: keccak256(toHex(`tx-${n}`)),
      logIndex: n % 3,
      address: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      topics: [keccak256(toHex("Transfer(address,address,uint256)")), keccak256(toHex(`topic-${n}`))],
      data: toHex(`data-${n}`),
    };
  });
}

