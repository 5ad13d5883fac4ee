/**
 * The log as C2SP tlog-tiles, derived from what the store already keeps: a tile of level L is a run of the perfect
 * nodes of tree level 8·L (the `n` keys), an entry bundle a run of leaf inputs (the `e` keys). Both are written in
 * the same atomic batch as the entries and the checkpoint, and complete nodes never change, so a tile read at any
 * width the log has reached is the one every later checkpoint implies: tiles cannot disagree with a checkpoint.
 *
 * Full tiles never change either: the store keeps them in memory with the rest of their tile trees (tileTrees.ts),
 * which proofs read too. Full bundles are kept here once read, within a bound. A partial tile or bundle is a prefix
 * of what its full one will be, cut from the full one when the log has reached it.
 */
import { TILE_HEIGHT, TILE_WIDTH, encodeEntryBundle, tilePath, tileWidth, type Tile } from "@cityledger/sdk/ledger";
import { remember } from "./cache";
import type { LogStore } from "./store";

/** Full entry bundles kept: ~25 MiB of typical city events. */
const BUNDLE_CACHE_SIZE = 256;

export class LogTiles {
  private readonly bundles = new Map<number, Buffer>();
  /**
   * Reads in progress, by tile and width: a burst of requests for a tile not cached yet (a CDN filling its cache, a
   * tile that just became full) reads and encodes it once, not once per request.
   */
  private readonly reading = new Map<string, Promise<Buffer>>();

  constructor(private readonly store: Pick<LogStore, "size" | "fullTile" | "perfectNodes" | "leafInputRun">) {}

  /**
   * The bytes of `tile` (hashes, or an entry bundle), which the log must have reached: the caller checks the width
   * against the log's size (`tileWidth`) first.
   *
   * @throws TileError `entry-too-large` when a bundle holds an entry longer than 65,535 bytes.
   */
  read(tile: Tile): Promise<Buffer> {
    const key = `${tile.level}/${tile.index}/${tile.width}`;
    let read = this.reading.get(key);
    if (!read) {
      const work = tile.level === "entries" ? this.bundle(tile.index, tile.width) : this.hashes(tile.level, tile.index, tile.width);
      read = work.finally(() => this.reading.delete(key));
      this.reading.set(key, read);
    }
    return read;
  }

  private async hashes(level: number, index: number, width: number): Promise<Buffer> {
    if (tileWidth(level, index, this.store.size) === TILE_WIDTH) {
      const full = await this.store.fullTile(level, index);
      return width === TILE_WIDTH ? full : full.subarray(0, width * 32);
    }
    return Buffer.concat(await this.store.perfectNodes(level * TILE_HEIGHT, index * TILE_WIDTH, width));
  }

  private async bundle(index: number, width: number): Promise<Buffer> {
    const full = this.bundles.get(index);
    if (full) return width === TILE_WIDTH ? full : prefixOfBundle(full, width);
    const inputs = await this.store.leafInputRun(index * TILE_WIDTH, width);
    const encoded = encodeEntryBundle(inputs, tilePath({ level: "entries", index, width }));
    const bytes = Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
    if (width === TILE_WIDTH) remember(this.bundles, index, bytes, BUNDLE_CACHE_SIZE);
    return bytes;
  }
}

/** The first `width` entries of an encoded bundle (walking its length prefixes). */
function prefixOfBundle(bundle: Buffer, width: number): Buffer {
  let at = 0;
  for (let i = 0; i < width; i++) at += 2 + bundle.readUInt16BE(at);
  return bundle.subarray(0, at);
}
