import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import { TILE_WIDTH, TileError, appendCosignatures, parseTilePath, tilePath, tileWidth, type Tile } from "@cityledger/sdk/ledger";
import { LogTiles } from "../../log/tiles";
import { ProblemError, problemResponses } from "../problems";
import { SignedNoteText } from "../schemas";
import { IMMUTABLE } from "./log";

/**
 * Partial tiles: a partial tile's bytes never change either (they are the first W of the full tile to come), but the
 * spec lets a log drop a partial tile once its full one exists, so caches keep them a minute, not a year.
 */
export const PARTIAL_TILE = "public, max-age=60";

const OCTETS = "application/octet-stream";
const binary = (description: string) => ({ description, content: { [OCTETS]: { schema: Type.String({ format: "binary" }) } } });

const tileParams = Type.Object({
  "*": Type.String({
    description: "The tile index N in x-prefixed groups of three digits (1234067 → x001/x234/067), then `.p/<W>` for a partial tile of width W (1–255).",
    examples: ["000", "x001/x234/067.p/8"],
  }),
});

/**
 * The log as C2SP tlog-tiles (https://c2sp.org/tlog-tiles): the signed checkpoint, the Merkle tree as tiles of
 * height 8, and the entries as bundles, at the paths the spec gives under the node's root, so any tlog-tiles client,
 * mirror or HTTP cache can read the log with no proof endpoint. Tiles and bundles are derived from the stored tree
 * nodes and entries (see log/tiles.ts).
 */
const tileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store, witnessed } = app.ledger;
  const tiles = new LogTiles(store);

  app.get(
    "/checkpoint",
    {
      schema: {
        tags: ["tiles"],
        summary: "Latest signed checkpoint (tlog-tiles)",
        description: "The same C2SP signed note as /v1/checkpoint, always text/plain, at the path tlog-tiles clients fetch.",
        response: { 200: { description: "The signed note.", content: { "text/plain": { schema: SignedNoteText } } }, ...problemResponses() },
      },
    },
    async (_request, reply) => {
      // With the witnesses' cosignature/v1 lines, as /v1/checkpoint serves it: a tlog-tiles client holding a witness
      // policy reads this path, and the bare note would never meet its quorum.
      const { note } = store.checkpoint;
      return reply
        .header("cache-control", "no-cache")
        .type("text/plain; charset=utf-8")
        .send(appendCosignatures(note, witnessed?.cosignaturesOf(note) ?? []));
    },
  );

  /** Sends `tile` if the log has reached it: full tiles immutable, partial ones short-lived. */
  async function send(reply: FastifyReply, tile: Tile): Promise<FastifyReply> {
    const size = store.size;
    const reached = tileWidth(tile.level, tile.index, size);
    if (reached < tile.width) {
      const hint = reached === 0 ? "the log does not reach it yet" : `the log reaches width ${reached}: ${tilePath({ ...tile, width: reached })}`;
      throw new ProblemError("not-found", `${tilePath(tile)} is beyond the log (size ${size}): ${hint}`, { size }, { "cache-control": "no-cache" });
    }
    let bytes: Buffer;
    try {
      bytes = await tiles.read(tile);
    } catch (error) {
      if (error instanceof TileError && error.code === "entry-too-large") throw new ProblemError("entry-too-large", error.shortMessage, { size });
      throw error;
    }
    return reply
      .header("cache-control", tile.width === TILE_WIDTH ? IMMUTABLE : PARTIAL_TILE)
      .type(OCTETS)
      .send(bytes);
  }

  app.get(
    "/tile/entries/*",
    {
      schema: {
        tags: ["tiles"],
        summary: "An entry bundle (tlog-tiles)",
        description:
          "The leaf inputs of entries N·256 … N·256 + W − 1, each prefixed by its length (big-endian uint16). Full bundles are immutable; an entry longer than 65,535 bytes cannot be bundled (501 entry-too-large: read /v1/entries).",
        params: tileParams,
        response: { 200: binary("The entry bundle."), ...problemResponses(400, 404, 501) },
      },
    },
    async (request, reply) => send(reply, parse(`tile/entries/${request.params["*"]}`)),
  );

  app.get(
    "/tile/:level/*",
    {
      schema: {
        tags: ["tiles"],
        summary: "A tile of Merkle tree hashes (tlog-tiles)",
        description:
          "W (256 when full) consecutive RFC 6962 hashes of tree level 8·L: leaf hashes at level 0, roots of full tiles of the level below above it. Full tiles are immutable.",
        params: Type.Composite([Type.Object({ level: Type.String({ description: "Tile level L, 0 to 63.", examples: ["0"] }) }), tileParams]),
        response: { 200: binary("The tile: W hashes of 32 bytes."), ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => send(reply, parse(`tile/${request.params.level}/${request.params["*"]}`)),
  );
};

function parse(path: string): Tile {
  try {
    return parseTilePath(path);
  } catch (error) {
    if (error instanceof TileError) {
      throw new ProblemError("invalid-parameter", error.shortMessage, { invalidParams: [{ in: "params", name: "*", reason: error.shortMessage }] });
    }
    throw error;
  }
}

export default tileRoutes;
