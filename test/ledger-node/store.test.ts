import { expect } from "chai";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bytesToHex, keccak256, toHex, type Hex } from "viem";
import { syntheticLogs } from "./synthetic";
import { LogStore, ProofRangeError } from "../../ledger-node/src/log/store";
import { MemoryTree, verifyConsistency, verifyInclusion } from "../../sdk/src/merkle";
import { leafFromLog, verifierKey, verifyCheckpoint } from "../../sdk/src/ledger";

const signer = { name: "cityledger.test/31337", privateKey: new Uint8Array(32).fill(7) };
const genesis = { block: 0n, blockHash: `0x${"00".repeat(32)}` as Hex, size: 0 };

export { syntheticLogs } from "./synthetic";

describe("LogStore (LevelDB log + persisted Merkle tree)", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "cityledger-store-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("appends batches atomically and agrees with the in-memory tree on roots and proofs for every size", async () => {
    const store = await LogStore.open({ dir, origin: signer.name, signer, genesis });
    const tree = new MemoryTree();
    const logs = syntheticLogs(130);
    let at = 0;
    for (const n of [1, 2, 5, 0, 17, 64, 41]) {
      const batch = logs.slice(at, at + n);
      const { from, to, checkpoint } = await store.append(batch, { block: BigInt(at + n), blockHash: genesis.blockHash });
      for (const log of batch) tree.appendHash(leafFromLog(log));
      expect([from, to]).to.deep.equal([at, at + n]);
      at += n;
      expect(bytesToHex(store.root())).to.equal(bytesToHex(tree.root()));
      const parsed = verifyCheckpoint(checkpoint.note, verifierKey(signer));
      expect(parsed.size).to.equal(at);
      expect(bytesToHex(parsed.root)).to.equal(bytesToHex(tree.root()));
    }
    for (let size = 0; size <= at; size++) {
      expect(bytesToHex(await store.rootAt(size))).to.equal(bytesToHex(tree.root(size)));
      for (const seq of [0, Math.floor(size / 2), size - 1].filter((s) => s >= 0 && s < size)) {
        const proof = await store.inclusionProof(seq, size);
        expect(proof.map((p) => bytesToHex(p))).to.deep.equal(tree.inclusionProof(seq, size).map((p) => bytesToHex(p)));
        verifyInclusion(tree.leafHash(seq), seq, size, proof, tree.root(size));
      }
      const c = await store.consistencyProof(Math.floor(size / 3), size);
      verifyConsistency(Math.floor(size / 3), size, c, tree.root(Math.floor(size / 3)), tree.root(size));
    }
    await store.close();
  });

  it("serves entries that re-encode to the same leaf, finds them by (txHash, logIndex), and survives a reopen", async () => {
    const logs = syntheticLogs(50);
    let store = await LogStore.open({ dir, origin: signer.name, signer, genesis });
    await store.append(logs.slice(0, 20), { block: 7n, blockHash: genesis.blockHash });
    await store.append(logs.slice(20), { block: 17n, blockHash: genesis.blockHash });
    const root = bytesToHex(store.root());
    await store.close();

    store = await LogStore.open({ dir, origin: signer.name, signer, genesis });
    expect(store.size).to.equal(50);
    expect(store.cursor.block).to.equal(17n);
    expect(bytesToHex(store.root())).to.equal(root);
    const page = await store.entries(10, 5);
    expect(page.map((e) => e.seq)).to.deep.equal([10, 11, 12, 13, 14]);
    for (const e of page) {
      expect(e.log).to.deep.equal(logs[e.seq]);
      expect(bytesToHex(e.leafHash)).to.equal(bytesToHex(leafFromLog(logs[e.seq])));
    }
    expect(await store.seqOf(logs[33].transactionHash, logs[33].logIndex)).to.equal(33);
    expect(await store.seqOf(keccak256(toHex("absent")), 0)).to.equal(undefined);
    expect(await store.entry(50)).to.equal(undefined);
    expect(await store.entries(49, 10)).to.have.length(1);
    await store.close();
  });

  it("opened read-only (no signer) on a directory without a log, says so and creates nothing there", async () => {
    const missing = join(dir, "typo", "log");
    try {
      await LogStore.open({ dir: missing, origin: signer.name });
      expect.fail("opened a log that does not exist");
    } catch (error) {
      expect((error as Error).message).to.match(/no log at .*typo/);
    }
    expect(existsSync(join(dir, "typo")), "created the mistyped directory").to.equal(false);
    // A directory that exists but holds no database: the same message.
    const empty = join(dir, "empty");
    mkdirSync(empty);
    try {
      await LogStore.open({ dir: empty, origin: signer.name });
      expect.fail("opened a log that does not exist");
    } catch (error) {
      expect((error as Error).message).to.match(/no log at .*empty/);
    }
  });

  it("reopened with another key, serves a current checkpoint that verifies with that key; with another origin, refuses to open", async () => {
    let store = await LogStore.open({ dir, origin: signer.name, signer, genesis });
    await store.append(syntheticLogs(5), { block: 5n, blockHash: genesis.blockHash });
    await store.close();
    const rotated = { name: signer.name, privateKey: new Uint8Array(32).fill(8) };
    store = await LogStore.open({ dir, origin: signer.name, signer: rotated, genesis });
    try {
      const parsed = verifyCheckpoint(store.checkpoint.note, verifierKey(rotated));
      expect([parsed.size, bytesToHex(parsed.root)]).to.deep.equal([5, bytesToHex(store.root())]);
    } finally {
      await store.close();
    }
    const other = { name: "elsewhere.example/1", privateKey: signer.privateKey };
    try {
      await LogStore.open({ dir, origin: other.name, signer: other, genesis });
      expect.fail("opened the log under another origin");
    } catch (error) {
      expect((error as Error).message).to.match(/origin "cityledger.test\/31337"/);
    }
    // Read-only (replay) opens it whatever origin it is told, and reports the log's own.
    store = await LogStore.open({ dir, origin: "anything/1" });
    expect(store.checkpoint.origin).to.equal(signer.name);
    await store.close();
  });

  it("proofs and full tiles read through the tile trees agree with the in-memory tree as tiles complete", async () => {
    const store = await LogStore.open({ dir, origin: signer.name, signer, genesis });
    const tree = new MemoryTree();
    const logs = syntheticLogs(800);
    let at = 0;
    for (const n of [255, 1, 1, 255, 288]) {
      const batch = logs.slice(at, at + n);
      await store.append(batch, { block: BigInt(at + n), blockHash: genesis.blockHash });
      for (const log of batch) tree.appendHash(leafFromLog(log));
      at += n;
      // every size so far, leaves in complete tiles and beyond them, before and after a tile's tree is kept
      for (const size of [1, 255, 256, 257, 300, 511, 512, 513, at].filter((s) => s <= at)) {
        for (const seq of [0, 200, 255, 256, 400, 511, 512, size - 1].filter((s) => s < size)) {
          const proof = await store.inclusionProof(seq, size);
          expect(proof.map((p) => bytesToHex(p))).to.deep.equal(tree.inclusionProof(seq, size).map((p) => bytesToHex(p)));
          expect(bytesToHex((await store.leafHash(seq))!)).to.equal(bytesToHex(tree.leafHash(seq)));
        }
        const from = Math.floor(size / 3);
        verifyConsistency(from, size, await store.consistencyProof(from, size), tree.root(from), tree.root(size));
      }
      for (let index = 0; (index + 1) * 256 <= at; index++) {
        const tile = await store.fullTile(0, index);
        expect(tile.equals(Buffer.concat(await store.perfectNodes(0, index * 256, 256)))).to.equal(true);
      }
    }
    await expectRejection(store.fullTile(0, 3), "tile 0/3 is not complete in a log of size 800");
    await expectRejection(store.fullTile(1, 0), "tile 1/0 is not complete");
    const stats = store.tileTreeStats;
    expect(stats.trees).to.equal(3);
    expect(stats.hits).to.be.greaterThan(stats.misses);
    await store.close();
  });

  it("appends one at a time in call order; reads during a big append see the log as it was; a failed append drops whole", async () => {
    const store = await LogStore.open({ dir, origin: signer.name, signer, genesis });
    const tree = new MemoryTree();
    const logs = syntheticLogs(1300);
    for (const log of logs) tree.appendHash(leafFromLog(log));
    const first = store.append(logs.slice(0, 1000), { block: 1n, blockHash: genesis.blockHash });
    const bad = store.append([{ ...logs[1000], data: "0xnot-hex" as Hex }], { block: 2n, blockHash: genesis.blockHash });
    const second = store.append(logs.slice(1000), { block: 3n, blockHash: genesis.blockHash });
    // The first append yields between slices: the log is still empty to readers meanwhile.
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.size).to.equal(0);
    expect(await store.entries(0, 10)).to.deep.equal([]);
    expect((await first).to).to.equal(1000);
    expect(await bad.then(() => "appended", (error: Error) => error.message)).to.match(/Invalid byte sequence/);
    expect(await second).to.deep.include({ from: 1000, to: 1300 });
    expect(store.cursor.block).to.equal(3n);
    expect(bytesToHex(store.root())).to.equal(bytesToHex(tree.root()));
    expect(bytesToHex(await store.rootAt(1000))).to.equal(bytesToHex(tree.root(1000)));
    await store.close();
  });

  it("refuses proofs beyond the log with a ProofRangeError", async () => {
    const store = await LogStore.open({ dir, origin: signer.name, signer, genesis });
    await store.append(syntheticLogs(5), { block: 2n, blockHash: genesis.blockHash });
    await expectRejection(store.inclusionProof(5, 5), "seq 5 is not in a tree of size 5");
    await expectRejection(store.inclusionProof(0, 6), "beyond the log");
    await expectRejection(store.consistencyProof(4, 3), "not 0 <= from <= to");
    await store.close();
  });
});

async function expectRejection(p: Promise<unknown>, message: string) {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(ProofRangeError);
    expect((err as Error).message).to.contain(message);
    return;
  }
  expect.fail("expected a ProofRangeError");
}
