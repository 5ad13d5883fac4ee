/**
 * TileTrees: the perfect nodes kept in memory by C2SP tile. The slots are checked against the spec's own numbering
 * (tile (L, N) holds nodes N·256 … N·256+255 of tree level 8L), with a reader whose every node names itself.
 */
import { expect } from "chai";
import fc from "fast-check";
import { TILE_TREE_HASHES, TileTrees, type LevelReader } from "../../ledger-node/src/log/tileTrees";

/** A hash that says which node it is: level in byte 0, index in bytes 1..8. */
function nodeHash(level: number, index: number): Buffer {
  const hash = Buffer.alloc(32);
  hash[0] = level;
  hash.writeBigUInt64BE(BigInt(index), 1);
  return hash;
}

/** A reader of a log of `size` entries that counts its range reads and can be held back or made to lose nodes. */
function fakeLog(size: number, options: { delay?: number; lose?: number } = {}) {
  const calls: { level: number; from: number; count: number }[] = [];
  const read: LevelReader = async (level, from, count) => {
    calls.push({ level, from, count });
    if (options.delay) await new Promise((resolve) => setTimeout(resolve, options.delay));
    if ((from + count) * 2 ** level > size) throw new Error(`asked for incomplete nodes of level ${level}`);
    const kept = count - (options.lose ?? 0);
    return Array.from({ length: kept }, (_, i) => nodeHash(level, from + i));
  };
  return { calls, read };
}

describe("TileTrees (perfect nodes in memory by tile)", () => {
  it("every node of a complete tile tree is at its slot: the hash the store holds for that (level, index)", async () => {
    const size = 3 * 256 * 256 + 5 * 256 + 17; // three complete tiles of level 1, 773 complete of level 0
    const log = fakeLog(size);
    const trees = new TileTrees(log.read);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 15 }), fc.nat(), async (level, seed) => {
        const complete = Math.floor(size / 2 ** level);
        fc.pre(complete > 0);
        const index = seed % complete;
        const slot = TileTrees.slot({ level, index }, size);
        // complete exactly when the 256 base nodes of its tile are: tile N of level L covers 256^(L+1) leaves
        const tileLevel = Math.floor(level / 8);
        const tileIndex = Math.floor((index * 2 ** level) / 256 ** (tileLevel + 1));
        expect(slot !== undefined).to.equal((tileIndex + 1) * 256 ** (tileLevel + 1) <= size);
        if (!slot) return;
        expect(slot.level).to.equal(tileLevel);
        expect(slot.index).to.equal(tileIndex);
        const tree = await trees.load(slot);
        expect(tree.length).to.equal(TILE_TREE_HASHES * 32);
        expect(Buffer.from(tree.subarray(slot.offset, slot.offset + 32)).equals(nodeHash(level, index))).to.equal(true);
        expect(Buffer.from(trees.get(slot)!).equals(nodeHash(level, index))).to.equal(true);
      }),
      { numRuns: 300 },
    );
  });

  it("a node under a tile that is not complete has no slot (its tree may still change)", () => {
    expect(TileTrees.slot({ level: 0, index: 0 }, 255)).to.equal(undefined);
    expect(TileTrees.slot({ level: 0, index: 0 }, 256)).to.deep.include({ level: 0, index: 0, offset: 0 });
    expect(TileTrees.slot({ level: 7, index: 0 }, 256)).to.deep.include({ level: 0, index: 0, offset: 508 * 32 });
    expect(TileTrees.slot({ level: 7, index: 1 }, 256)).to.deep.include({ level: 0, index: 0, offset: 509 * 32 });
    expect(TileTrees.slot({ level: 0, index: 256 }, 511)).to.equal(undefined);
    expect(TileTrees.slot({ level: 8, index: 0 }, 256 * 256 - 1)).to.equal(undefined); // tile 1/000 needs 65,536 leaves
    expect(TileTrees.slot({ level: 8, index: 0 }, 256 * 256)).to.deep.include({ level: 1, index: 0, offset: 0 });
    expect(TileTrees.slot({ level: 9, index: 1 }, 256 * 256)).to.deep.include({ level: 1, index: 0, offset: 257 * 32 });
  });

  it("the tile of (L, N) is the 256 nodes N·256 … N·256+255 of tree level 8L, read with one range read per level", async () => {
    const log = fakeLog(256 * 256 * 2);
    const trees = new TileTrees(log.read);
    const tile = await trees.tile(1, 1);
    expect(tile.length).to.equal(256 * 32);
    for (let i = 0; i < 256; i++) expect(tile.subarray(32 * i, 32 * i + 32).equals(nodeHash(8, 256 + i))).to.equal(true);
    expect(log.calls).to.deep.equal(Array.from({ length: 8 }, (_, h) => ({ level: 8 + h, from: (256 >> h) * 1, count: 256 >> h })));
  });

  it("a burst of loads of a cold tree reads it once; later ones are hits", async () => {
    const log = fakeLog(1024, { delay: 10 });
    const trees = new TileTrees(log.read);
    const slots = [0, 5, 255].map((index) => TileTrees.slot({ level: 0, index }, 1024)!);
    expect(slots.every((slot) => trees.get(slot) === undefined)).to.equal(true);
    const loaded = await Promise.all(slots.map((slot) => trees.load(slot)));
    expect(new Set(loaded).size).to.equal(1);
    expect(log.calls.length).to.equal(8);
    slots.forEach((slot) => expect(trees.get(slot)).to.not.equal(undefined));
    expect(trees.stats).to.deep.equal({ hits: 3, misses: 3, trees: 1 });
  });

  it("keeps at most `limit` trees, dropping the oldest read", async () => {
    const log = fakeLog(4 * 256);
    const trees = new TileTrees(log.read, 2);
    for (const index of [0, 1, 2]) await trees.tile(0, index);
    expect(trees.stats.trees).to.equal(2);
    expect(trees.get(TileTrees.slot({ level: 0, index: 0 }, 1024)!)).to.equal(undefined);
    expect(trees.get(TileTrees.slot({ level: 0, index: 256 }, 1024)!)).to.not.equal(undefined);
    expect(trees.get(TileTrees.slot({ level: 0, index: 512 }, 1024)!)).to.not.equal(undefined);
    log.calls.length = 0;
    await trees.tile(0, 0);
    expect(log.calls.length).to.equal(8); // read again
  });

  it("a tree with missing nodes is an error naming it, is not kept, and the next load reads again", async () => {
    const log = fakeLog(256, { lose: 1 });
    const trees = new TileTrees(log.read);
    const slot = TileTrees.slot({ level: 0, index: 3 }, 256)!;
    await Promise.all([trees.load(slot), trees.load(slot)]).then(
      () => expect.fail("a corrupted tree was served"),
      (error: Error) => expect(error.message).to.match(/log corrupted: tile tree 0\/0 lacks 1 of their 256 nodes of tree level 0/),
    );
    expect(trees.stats.trees).to.equal(0);
    log.calls.length = 0;
    await trees.load(slot).catch(() => undefined);
    expect(log.calls.length).to.equal(8);
  });
});
