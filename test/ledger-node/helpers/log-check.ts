/**
 * Checks a stopped node's log against the log re-derived from the chain: opened read-only (no signer), every entry
 * seq i must be chain log i (no gap, no duplicate, (block, logIndex) order), the (txHash, logIndex) index must point
 * back at it, and the stored checkpoint must verify with the node's key and name the re-derived size and root.
 */
import { expect } from "chai";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { bytesToHex } from "viem";
import { LogStore } from "../../../ledger-node/src/log/store";
import { verifierKey, verifyCheckpoint, type Checkpoint } from "../../../sdk/src/ledger";
import type { MemoryTree } from "../../../sdk/src/merkle";
import type { RawLog } from "../../../ledger-node/src/types";
import { CHAIN_ID } from "./chain";

export const ORIGIN = `cityledger.local/${CHAIN_ID}`;

/**
 * Writes a deterministic checkpoint signing key to `file` (what `--key-file` reads) and returns its verifier key.
 * `plus`: whether the key's base64 part must hold a "+" (C2SP verifier keys are `name+hash+base64`, and standard
 * base64 uses "+": about half of all keys have one).
 */
export function writeNodeKey(file: string, options: { plus: boolean; origin?: string }): string {
  for (let i = 0; ; i++) {
    const privateKey = createHash("sha256").update(`cityledger test node key ${i}`).digest();
    const key = verifierKey({ name: options.origin ?? ORIGIN, privateKey });
    if (key.split("+").length > 3 !== options.plus) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, privateKey.toString("hex") + "\n", { mode: 0o600 });
    return key;
  }
}

/** Every field of a log, normalised (hex lower-case), as one string. */
function describeLog(l: RawLog): string {
  return [
    `block ${l.blockNumber} ${l.blockHash.toLowerCase()}`,
    `tx ${l.transactionHash.toLowerCase()} logIndex ${l.logIndex}`,
    `emitter ${l.address.toLowerCase()}`,
    `topics ${l.topics.map((t) => t.toLowerCase()).join(",")}`,
    `data ${l.data.toLowerCase()}`,
  ].join(" | ");
}

export interface StoredLogCheck {
  size: number;
  root: string;
  checkpoint: Checkpoint;
}

export async function checkStoredLog(
  dataDir: string,
  expected: { logs: readonly RawLog[]; tree: MemoryTree; verifierKey: string; origin?: string; pastSizes?: readonly number[] },
): Promise<StoredLogCheck> {
  const store = await LogStore.open({ dir: path.join(dataDir, "log"), origin: expected.origin ?? ORIGIN });
  try {
    const { logs, tree } = expected;
    expect(store.size, "log size = number of chain logs").to.equal(logs.length);
    const entries = await store.entries(0, store.size + 1);
    expect(entries.length, "entries readable").to.equal(logs.length);
    // Plain comparisons (chai per field costs seconds on thousands of entries); chai explains the first mismatch.
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      const want = logs[i];
      if (e.seq === i && describeLog(e.log) === describeLog(want) && bytesToHex(e.leafHash) === bytesToHex(tree.leafHash(i))) continue;
      const where = `entry ${i} (chain log at block ${want.blockNumber}, logIndex ${want.logIndex})`;
      expect(e.seq, `${where}: seq`).to.equal(i);
      expect(describeLog(e.log), `${where}: log`).to.equal(describeLog(want));
      expect(bytesToHex(e.leafHash), `${where}: leaf hash`).to.equal(bytesToHex(tree.leafHash(i)));
    }
    // The (txHash, logIndex) index: each log maps to exactly its own seq (a duplicate would point at a later seq).
    for (let i = 0; i < logs.length; i += Math.max(1, Math.floor(logs.length / 500))) {
      expect(await store.seqOf(logs[i].transactionHash, logs[i].logIndex), `seqOf log ${i}`).to.equal(i);
    }
    const root = bytesToHex(store.root());
    expect(root, "stored root = re-derived root").to.equal(bytesToHex(tree.root()));
    expect(store.cursor.size, "cursor size").to.equal(logs.length);
    const note = await store.checkpointAt(store.size);
    expect(note, "checkpoint stored at the final size").to.be.a("string");
    expect(note).to.equal(store.checkpoint.note);
    const checkpoint = verifyCheckpoint(note!, expected.verifierKey);
    expect(checkpoint.size, "checkpoint size").to.equal(logs.length);
    expect(bytesToHex(checkpoint.root), "checkpoint root").to.equal(bytesToHex(tree.root()));
    expect(checkpoint.origin).to.equal(expected.origin ?? ORIGIN);
    // Every size the log had when a process died or stopped has a signed checkpoint of the re-derived prefix root.
    for (const size of new Set(expected.pastSizes ?? [])) {
      const past = await store.checkpointAt(size);
      if (size === 0 && past === undefined) continue; // the genesis checkpoint is only signed, not stored
      expect(past, `checkpoint at past size ${size}`).to.be.a("string");
      const cp = verifyCheckpoint(past!, expected.verifierKey);
      expect(cp.size).to.equal(size);
      expect(bytesToHex(cp.root), `root at past size ${size}`).to.equal(bytesToHex(tree.root(size)));
      expect(bytesToHex(await store.rootAt(size)), `stored rootAt(${size})`).to.equal(bytesToHex(tree.root(size)));
    }
    return { size: store.size, root, checkpoint };
  } finally {
    await store.close();
  }
}
