import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { bytesToHex, keccak256, toHex, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { deployCity } from "../../scripts/lib/deploy";
import { MemoryTree, consistencyRanges } from "@cityledger/sdk/merkle";
import { signCheckpoint, sortSignatures } from "@cityledger/sdk/ledger";
import type { GasEntry } from "./report";
import { gasOf } from "./report";

/** A log of a million entries, anchored once at OLD_SIZE before the measured anchor. */
const OLD_SIZE = 999_000;
const NEW_SIZE = 1_000_000;

/**
 * Anchoring a checkpoint in LedgerAnchor, 3-of-5 witnesses, in its steady state (not the first anchor): the log grew
 * from 999,000 to 1,000,000 entries since the previous anchor, so the consistency proof is a real one of typical
 * depth (tree depth 20; the proof holds 17 hashes and verifying it takes 27 SHA-256 calls), built with MemoryTree
 * over one million synthetic leaf hashes (what the node stores; their inputs do not matter to the proof).
 */
export async function measureLedger(hre: HardhatRuntimeEnvironment): Promise<Record<string, GasEntry>> {
  const { ethers } = hre;
  const [admin, submitter] = await ethers.getSigners();
  const witnesses = Array.from({ length: 5 }, (_, i) => privateKeyToAccount(keccak256(toHex(`bench witness ${i}`))));
  const { ledgerAnchor } = await deployCity(hre, admin, {
    witnesses: { addresses: witnesses.map((w) => w.address), threshold: 3 },
  });

  const tree = new MemoryTree();
  const leaf = new Uint8Array(32);
  const view = new DataView(leaf.buffer);
  for (let i = 0; i < NEW_SIZE; i++) {
    view.setUint32(0, i);
    tree.appendHash(leaf.slice());
  }
  const proof = tree.consistencyProof(OLD_SIZE, NEW_SIZE).map((h) => bytesToHex(h));
  if (proof.length !== consistencyRanges(OLD_SIZE, NEW_SIZE).length) throw new Error("proof plan mismatch");

  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  const anchorAddress = (await ledgerAnchor.getAddress()) as Hex;
  const origin = await ledgerAnchor.origin();
  async function signatures(size: number, root: Hex) {
    const checkpoint = { chainId, anchorAddress, origin, size: BigInt(size), root };
    const own = await Promise.all(witnesses.slice(0, 3).map((w) => signCheckpoint(w, checkpoint)));
    return (await sortSignatures({ ...checkpoint, signatures: own })).signatures;
  }

  const oldRoot = bytesToHex(tree.root(OLD_SIZE));
  await (await ledgerAnchor.connect(submitter).anchor(OLD_SIZE, oldRoot, [], await signatures(OLD_SIZE, oldRoot))).wait();
  const newRoot = bytesToHex(tree.root(NEW_SIZE));
  const anchor = await gasOf(ledgerAnchor.connect(submitter).anchor(NEW_SIZE, newRoot, proof, await signatures(NEW_SIZE, newRoot)));

  return { "ledger.anchor": { gas: anchor } };
}
