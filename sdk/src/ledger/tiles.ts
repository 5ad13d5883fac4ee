/**
 * The log as C2SP tlog-tiles (https://c2sp.org/tlog-tiles), browser-safe and pure: tile paths, which tiles a tree
 * of a given size has, entry bundles, and where in which tile a perfect node of the RFC 6962 tree lives. The ledger
 * node serves tiles with these functions and {@link TileReader} reads them; nothing here does I/O.
 *
 * Terms (the spec's): tiles have height 8, so a full tile holds 256 hashes (8,192 bytes). The tile at level `L`,
 * index `N` holds the hashes of tree level `8·L`, nodes `N·256 … N·256 + W − 1`; at level 0 these are leaf hashes.
 * A partial tile (width `W` < 256) is the right edge of its level; its hashes are the first `W` of the full tile it
 * will become. The entry bundle `N` holds the leaf inputs of entries `N·256 …`, each prefixed by its length as a
 * big-endian uint16.
 */
import { CityError } from "../errors/base";
import { HASH_SIZE } from "../merkle/hasher";
import type { NodeId } from "../merkle/ranges";

/** Tree levels per tile. */
export const TILE_HEIGHT = 8;
/** Hashes in a full tile (entries in a full bundle): 2^{@link TILE_HEIGHT}. */
export const TILE_WIDTH = 256;
/** Largest leaf input an entry bundle can carry: its length prefix is a uint16. */
export const MAX_BUNDLE_ENTRY = 0xffff;
/** Highest tile level the spec allows in a path. */
export const MAX_TILE_LEVEL = 63;

/** A tile of hashes (`level` 0–63) or an entry bundle (`level` "entries"), with its width (256 when full). */
export interface Tile {
  level: number | "entries";
  index: number;
  width: number;
}

/** Why a tile, bundle or path was refused. */
export type TileErrorCode = "bad-path" | "not-found" | "http-error" | "unreachable" | "bad-tile" | "bad-bundle" | "entry-too-large";

/**
 * A tile path that does not parse, a tile or bundle that is not there or not well-formed, a server that cannot be
 * reached: `code` says which, `path` names the resource (`tile/0/x001/234.p/7`), `status` is the HTTP status when
 * the server answered.
 *
 * @example
 * ```ts
 * try { await reader.tile({ level: 0, index: 9, width: 256 }); }
 * catch (err) { if (err instanceof TileError && err.code === "not-found") console.log("not in the log yet"); }
 * ```
 */
export class TileError extends CityError {
  readonly code: TileErrorCode;
  readonly path: string;
  readonly status: number | undefined;
  constructor(code: TileErrorCode, path: string, shortMessage: string, options: { hint?: string; status?: number; cause?: unknown } = {}) {
    super(shortMessage, { name: "TileError", metaMessages: options.hint ? [`- ${options.hint}`] : undefined, cause: options.cause });
    this.code = code;
    this.path = path;
    this.status = options.status;
  }
}

/**
 * The spec's encoding of a tile index: zero-padded groups of three digits, all but the last prefixed with `x`.
 *
 * @example
 * ```ts
 * tileIndexPath(1234067) // "x001/x234/067"
 * tileIndexPath(5) // "005"
 * ```
 */
export function tileIndexPath(index: number): string {
  if (!(Number.isSafeInteger(index) && index >= 0)) throw new RangeError(`tile index ${index} is not a non-negative integer`);
  let rest = Math.floor(index / 1000);
  let out = String(index % 1000).padStart(3, "0");
  while (rest > 0) {
    out = `x${String(rest % 1000).padStart(3, "0")}/${out}`;
    rest = Math.floor(rest / 1000);
  }
  return out;
}

/**
 * The path of a tile or entry bundle under the log's prefix, without a leading slash: `.p/<W>` only when partial.
 *
 * @example
 * ```ts
 * tilePath({ level: 1, index: 1000, width: 256 }) // "tile/1/x001/000"
 * tilePath({ level: "entries", index: 3, width: 17 }) // "tile/entries/003.p/17"
 * ```
 */
export function tilePath(tile: Tile): string {
  checkTile(tile);
  const partial = tile.width === TILE_WIDTH ? "" : `.p/${tile.width}`;
  return `tile/${tile.level}/${tileIndexPath(tile.index)}${partial}`;
}

/**
 * Parses a tile or entry bundle path (`tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`, with or without a
 * leading slash). Only the canonical form is accepted (no leading zeroes, no `x000` group, `W` from 1 to 255), so one
 * resource has one URL and a cache holds it once.
 *
 * @throws {TileError} `bad-path`, saying what is wrong.
 * @example
 * ```ts
 * parseTilePath("tile/0/x001/x234/067.p/8") // { level: 0, index: 1234067, width: 8 }
 * ```
 */
export function parseTilePath(path: string): Tile {
  const text = path.startsWith("/") ? path.slice(1) : path;
  const bad = (why: string) => new TileError("bad-path", text, `malformed tile path "${clip(text)}": ${why}`, { hint: "Tile paths are tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>], N in x-prefixed groups of 3 digits (c2sp.org/tlog-tiles)." });
  const parts = text.split("/");
  if (parts.length < 3 || parts[0] !== "tile") throw bad("it does not start with tile/<L>/");
  let level: Tile["level"];
  if (parts[1] === "entries") level = "entries";
  else if (/^(0|[1-9][0-9]?)$/.test(parts[1]) && Number(parts[1]) <= MAX_TILE_LEVEL) level = Number(parts[1]);
  else throw bad(`level "${clip(parts[1])}" is not "entries" or a decimal from 0 to ${MAX_TILE_LEVEL} without leading zeroes`);
  let groups = parts.slice(2);
  let width = TILE_WIDTH;
  const last = groups.length >= 2 ? groups[groups.length - 2] : "";
  if (last.endsWith(".p")) {
    const w = groups[groups.length - 1];
    if (!/^[1-9][0-9]{0,2}$/.test(w) || Number(w) >= TILE_WIDTH) throw bad(`width "${clip(w)}" is not a decimal from 1 to ${TILE_WIDTH - 1} without leading zeroes`);
    width = Number(w);
    groups = [...groups.slice(0, -2), last.slice(0, -2)];
  }
  let index = 0;
  groups.forEach((g, i) => {
    const final = i === groups.length - 1;
    if (!(final ? /^[0-9]{3}$/ : /^x[0-9]{3}$/).test(g)) {
      throw bad(`"${clip(g)}" is not ${final ? "three digits" : "x and three digits"} (all but the last group of N begin with x)`);
    }
    index = index * 1000 + Number(final ? g : g.slice(1));
  });
  if (!Number.isSafeInteger(index)) throw bad("the index is too large");
  const tile = { level, index, width };
  // One URL per resource: "x000/005" names tile 5 but is not its path.
  if (tilePath(tile) !== text) throw bad(`the index is not written canonically (want ${tilePath(tile)})`);
  return tile;
}

/**
 * Hashes at tree level `8·level` that are complete in a tree of `size` entries (`floor(size / 256^level)`); at level
 * 0, the size itself.
 */
export function hashesAtLevel(level: number, size: number): number {
  return Math.floor(size / TILE_WIDTH ** level);
}

/**
 * Width of tile `index` at `level` (`"entries"`: the bundle) in a tree of `size` entries: 256 when full, 1–255 when
 * it is the partial tile at the right edge, 0 when the tree does not reach it (no such tile may be served).
 *
 * @example
 * ```ts
 * tileWidth(0, 273, 70_000) // 112: the partial level-0 tile of the spec's example
 * tileWidth(2, 0, 70_000) // 1
 * ```
 */
export function tileWidth(level: Tile["level"], index: number, size: number): number {
  const available = hashesAtLevel(level === "entries" ? 0 : level, size) - index * TILE_WIDTH;
  return Math.max(0, Math.min(TILE_WIDTH, available));
}

/**
 * Every tile of hashes a tree of `size` entries has, by level then index (full tiles, then the partial one at the
 * right edge of each level): what a mirror copies. Entry bundles are the level-0 tiles' indices and widths.
 *
 * @example
 * ```ts
 * treeTiles(256) // [{ level: 0, index: 0, width: 256 }, { level: 1, index: 0, width: 1 }]
 * ```
 */
export function treeTiles(size: number): Tile[] {
  const out: Tile[] = [];
  for (let level = 0; hashesAtLevel(level, size) > 0; level++) {
    const count = hashesAtLevel(level, size);
    for (let index = 0; index * TILE_WIDTH < count; index++) out.push({ level, index, width: tileWidth(level, index, size) });
  }
  return out;
}

/** Where a perfect node's hash comes from: a tile, and the run of its hashes whose Merkle root it is. */
export interface NodeInTile {
  tile: Tile & { level: number };
  /** First hash of the run in the tile. */
  offset: number;
  /** Hashes in the run: a power of two from 1 to 128 (the node's height above the tile's level). */
  count: number;
}

/**
 * The tile holding perfect node `id` of a tree of `size` entries, as tile width the tree has (so a client fetches the
 * tiles its checkpoint names, never a partial tile it cannot know exists), and the run of hashes in it whose root is
 * the node's hash: a node of tree level `8·L + k` is the root of `2^k` consecutive hashes of tile level `L`.
 * Requires the node to be complete in that tree.
 *
 * @example
 * ```ts
 * nodeInTile({ level: 3, index: 40 }, 1000) // tile 0/001 width 256, hashes 64..71
 * ```
 */
export function nodeInTile(id: NodeId, size: number): NodeInTile {
  const level = Math.floor(id.level / TILE_HEIGHT);
  const count = 2 ** (id.level - level * TILE_HEIGHT);
  const first = id.index * count;
  const index = Math.floor(first / TILE_WIDTH);
  const width = tileWidth(level, index, size);
  const offset = first - index * TILE_WIDTH;
  if (offset + count > width) throw new RangeError(`node (${id.level}, ${id.index}) is not complete in a tree of ${size} entries`);
  return { tile: { level, index, width }, offset, count };
}

/**
 * Splits tile bytes into its hashes, checking the length against the width.
 *
 * @throws {TileError} `bad-tile` when the length is not `32 · width`.
 * @example `const hashes = tileHashes(bytes, { level: 0, index: 0, width: 256 });`
 */
export function tileHashes(bytes: Uint8Array, tile: Tile): Uint8Array[] {
  if (bytes.length !== tile.width * HASH_SIZE) {
    throw new TileError("bad-tile", tilePath(tile), `tile ${tilePath(tile)} is ${bytes.length} bytes, want ${tile.width * HASH_SIZE} (${tile.width} hashes)`);
  }
  const out: Uint8Array[] = new Array(tile.width);
  for (let i = 0; i < tile.width; i++) out[i] = bytes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
  return out;
}

/**
 * An entry bundle: each leaf input prefixed by its length as a big-endian uint16 (the spec's format).
 *
 * @throws {TileError} `entry-too-large` when an entry is longer than {@link MAX_BUNDLE_ENTRY} bytes (the format
 * cannot carry it).
 * @example `const bytes = encodeEntryBundle(leafInputs);`
 */
export function encodeEntryBundle(entries: readonly Uint8Array[], path = "tile/entries"): Uint8Array {
  let total = 0;
  entries.forEach((e, i) => {
    if (e.length > MAX_BUNDLE_ENTRY) {
      throw new TileError("entry-too-large", path, `entry ${i} of ${path} is ${e.length} bytes: an entry bundle carries at most ${MAX_BUNDLE_ENTRY}`, {
        hint: "Read these entries from the node's /v1/entries instead.",
      });
    }
    total += 2 + e.length;
  });
  const out = new Uint8Array(total);
  let at = 0;
  for (const e of entries) {
    out[at] = e.length >> 8;
    out[at + 1] = e.length & 0xff;
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return out;
}

/**
 * The leaf inputs of an entry bundle (views into `bytes`), checking that it holds exactly `width` entries when given.
 *
 * @throws {TileError} `bad-bundle` when a length prefix overruns the bundle or the count differs.
 * @example `const leafInputs = parseEntryBundle(bytes, 256);`
 */
export function parseEntryBundle(bytes: Uint8Array, width?: number, path = "tile/entries"): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 2 > bytes.length) throw new TileError("bad-bundle", path, `${path}: a length prefix is cut off at byte ${at} of ${bytes.length}`);
    const length = (bytes[at] << 8) | bytes[at + 1];
    if (at + 2 + length > bytes.length) {
      throw new TileError("bad-bundle", path, `${path}: entry ${out.length} of ${length} bytes overruns the bundle (${bytes.length - at - 2} bytes left)`);
    }
    out.push(bytes.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  if (width !== undefined && out.length !== width) throw new TileError("bad-bundle", path, `${path} holds ${out.length} entries, want ${width}`);
  return out;
}

function checkTile(tile: Tile): void {
  const levelOk = tile.level === "entries" || (Number.isInteger(tile.level) && tile.level >= 0 && tile.level <= MAX_TILE_LEVEL);
  if (!levelOk || !(Number.isInteger(tile.width) && tile.width >= 1 && tile.width <= TILE_WIDTH)) {
    throw new RangeError(`tile (level ${tile.level}, width ${tile.width}) is not a tile: level 0..${MAX_TILE_LEVEL} or "entries", width 1..${TILE_WIDTH}`);
  }
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
