/**
 * The log as C2SP tlog-tiles, checked against our own reading of the spec (https://c2sp.org/tlog-tiles) rather than
 * against the code that serves it: leaf hashes are SHA-256(0x00 || leaf input) from node:crypto, the hash of tile
 * level l, index n, position i is MTH(D[(n·256 + i)·256^l : (n·256 + i + 1)·256^l]) computed here from the leaves,
 * partial widths are floor(size / 256^l) mod 256, bundles are uint16-prefixed leaf inputs. Then the SDK's
 * TileReader, over HTTP, builds proofs from the tiles and they verify against the node's signed checkpoints.
 */
import { expect } from "chai";
import fc from "fast-check";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hexToBytes, keccak256, toHex, type Hex } from "viem";
import { buildApp } from "../../ledger-node/src/api/app";
import { startServer, type RunningServer } from "../../ledger-node/src/api/server";
import { PROBLEM_BASE } from "../../ledger-node/src/api/problems";
import { LogStore } from "../../ledger-node/src/log/store";
import { LogTiles } from "../../ledger-node/src/log/tiles";
import { UpdateBus } from "../../ledger-node/src/updates";
import type { NodeContext } from "../../ledger-node/src/context";
import type { RawLog } from "../../ledger-node/src/types";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { RootMismatchError, verifyConsistency, verifyInclusion } from "../../sdk/src/merkle";
import {
  CityEventDecoder,
  TileError,
  TileReader,
  encodeLeafInput,
  parseTilePath,
  tilePath,
  treeTiles,
  verifierKey,
  verifyCheckpoint,
  type Tile,
} from "../../sdk/src/ledger";

const signer = { name: "cityledger.test/31337", privateKey: new Uint8Array(32).fill(5) };
const KEY = verifierKey(signer);
const genesis = { block: 0n, blockHash: `0x${"00".repeat(32)}` as Hex, size: 0 };

const word = (n: number, salt: number) => `0x${salt.toString(16).padStart(8, "0")}${n.toString(16).padStart(56, "0")}` as Hex;

/** Cheap distinct logs with data of varying length (0 to 96 bytes), so bundle entries differ in size. */
function logsFrom(from: number, count: number, dataBytes = (n: number) => (n * 7) % 97): RawLog[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return {
      chainId: 31337,
      blockNumber: BigInt(1 + Math.floor(n / 50)),
      blockHash: word(Math.floor(n / 50), 1),
      transactionHash: word(n, 2),
      logIndex: n % 50,
      address: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      topics: n % 3 === 0 ? [] : [word(n, 3), word(n % 11, 4)].slice(0, n % 3),
      data: `0x${"ab".repeat(dataBytes(n))}` as Hex,
    };
  });
}

const sha = (...parts: Uint8Array[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const leafHashOf = (input: Uint8Array) => sha(Uint8Array.of(0), input);
/** MTH of any number of leaf hashes (RFC 6962 §2.1: split at the largest power of two below n). */
function mthOf(hashes: Uint8Array[]): Uint8Array {
  if (hashes.length === 1) return hashes[0];
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return sha(Uint8Array.of(1), mthOf(hashes.slice(0, k)), mthOf(hashes.slice(k)));
}

/** The spec, read independently: leaf inputs, leaf hashes, and the hashes of tile levels 0, 1 and 2. */
class Expected {
  inputs: Uint8Array[] = [];
  levels: Uint8Array[][] = [[], [], []];
  add(logs: RawLog[]): void {
    for (const log of logs) {
      const input = hexToBytes(encodeLeafInput(log));
      this.inputs.push(input);
      this.levels[0].push(leafHashOf(input));
    }
    // Level l, hash j = MTH of leaves [j·256^l, (j + 1)·256^l): built from the level below, 256 at a time.
    for (let l = 1; l < this.levels.length; l++) {
      const below = this.levels[l - 1];
      while ((this.levels[l].length + 1) * 256 <= below.length) {
        const j = this.levels[l].length;
        this.levels[l].push(mthOf(below.slice(j * 256, (j + 1) * 256)));
      }
    }
  }
  tile(level: number, index: number, width: number): Buffer {
    return Buffer.concat(this.levels[level].slice(index * 256, index * 256 + width));
  }
  bundle(index: number, width: number): Buffer {
    return Buffer.concat(this.inputs.slice(index * 256, index * 256 + width).flatMap((e) => [Buffer.from([e.length >> 8, e.length & 0xff]), Buffer.from(e)]));
  }
}

function expectProblem(res: LightMyRequestResponse, status: number, kind: string): Record<string, unknown> {
  expect(res.statusCode, `${res.statusCode} ${res.body}`).to.equal(status);
  expect(res.headers["content-type"]).to.match(/^application\/problem\+json/);
  const body = res.json();
  expect(body).to.include({ type: `${PROBLEM_BASE}${kind}`, status });
  expect(res.body).to.not.match(/\n\s+at /);
  return body;
}

interface Log {
  dir: string;
  store: LogStore;
  ctx: NodeContext;
  close(): Promise<void>;
}

async function openLog(prefix: string): Promise<Log> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const store = await LogStore.open({ dir, origin: signer.name, signer, genesis });
  const follower = { status: () => ({ state: "following" as const, finalBlock: 1n, tentativeBlock: 1n }), tentative: () => [] };
  const ctx: NodeContext = { store, decoder: new CityEventDecoder({ contracts: {} }), follower, updates: new UpdateBus(), verifierKey: KEY, chainId: 31337 };
  return {
    dir,
    store,
    ctx,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let block = 0n;
/** Appends `count` logs in batches of at most 20,000 (a checkpoint is signed at the end of each). */
async function grow(log: Log, expected: Expected, count: number): Promise<void> {
  for (let done = 0; done < count; ) {
    const n = Math.min(20_000, count - done);
    const logs = logsFrom(log.store.size, n);
    block += 1n;
    await log.store.append(logs, { block, blockHash: keccak256(toHex(`cursor-${block}`)) });
    expected.add(logs);
    done += n;
  }
}

describe("the log as C2SP tlog-tiles", function () {
  this.timeout(300_000);
  let log: Log;
  let app: FastifyInstance;
  let server: RunningServer;
  const expected = new Expected();
  const get = (url: string) => app.inject({ url });

  before(async () => {
    log = await openLog("cityledger-tiles-");
    app = await buildApp(log.ctx, { docs: false });
    // The spec's own example: a tree of 70,000 entries.
    await grow(log, expected, 70_000);
  });

  after(async () => {
    await server?.close();
    await app?.close();
    await log?.close();
  });

  it("tile paths: N in x-prefixed groups of 3 digits, .p/W only when partial, one canonical path per tile", () => {
    expect(tilePath({ level: 0, index: 1234067, width: 256 })).to.equal("tile/0/x001/x234/067");
    expect(tilePath({ level: 4, index: 1234067, width: 1 })).to.equal("tile/4/x001/x234/067.p/1");
    expect(tilePath({ level: "entries", index: 1000, width: 17 })).to.equal("tile/entries/x001/000.p/17");
    expect(tilePath({ level: 2, index: 999, width: 256 })).to.equal("tile/2/999");
    expect(parseTilePath("/tile/0/x001/x234/067.p/8")).to.deep.equal({ level: 0, index: 1234067, width: 8 });
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 63 }), fc.constant("entries" as const)),
        fc.maxSafeNat(),
        fc.integer({ min: 1, max: 256 }),
        (level, index, width) => {
          const tile: Tile = { level, index, width };
          const path = tilePath(tile);
          // Every group of N is three digits; only the last lacks the x.
          const groups = path.replace(/\.p\/\d+$/, "").split("/").slice(2);
          expect(groups.slice(0, -1).every((g) => /^x\d{3}$/.test(g)) && /^\d{3}$/.test(groups[groups.length - 1])).to.equal(true);
          expect(Number(groups.map((g) => g.replace("x", "")).join(""))).to.equal(index);
          expect(parseTilePath(path)).to.deep.equal(tile);
        },
      ),
    );
  });

  it("a tree of 70,000 entries has exactly the spec's tiles: 273 full + 1 of width 112 at level 0, 1 full + 1 of 17 at level 1, 1 of 1 at level 2", async () => {
    const listed = treeTiles(70_000);
    const byLevel = (l: number) => listed.filter((t) => t.level === l).map((t) => t.width);
    expect(byLevel(0)).to.deep.equal([...Array(273).fill(256), 112]);
    expect(byLevel(1)).to.deep.equal([256, 17]);
    expect(byLevel(2)).to.deep.equal([1]);
    expect(listed).to.have.length(273 + 1 + 2 + 1);
    // Every one is served, byte for byte the hashes computed here from the leaves.
    for (const t of listed) {
      const res = await get(`/${tilePath(t)}`);
      expect(res.statusCode, tilePath(t)).to.equal(200);
      expect(res.headers["content-type"]).to.equal("application/octet-stream");
      expect(res.rawPayload.equals(expected.tile(t.level as number, t.index, t.width)), tilePath(t)).to.equal(true);
    }
    // The level-2 hash is the MTH of the first 65,536 leaves, computed straight from them.
    expect(Buffer.from(mthOf(expected.levels[0].slice(0, 65_536))).equals((await get("/tile/2/000.p/1")).rawPayload)).to.equal(true);
    // Nothing wider than the tree: the full tile of a partial, a wider partial, a level above the top.
    for (const url of ["/tile/0/273", "/tile/0/273.p/113", "/tile/0/274.p/1", "/tile/1/001", "/tile/1/001.p/18", "/tile/2/000.p/2", "/tile/3/000.p/1", "/tile/63/000.p/1", "/tile/entries/274.p/1", "/tile/entries/273"]) {
      const res = await get(url);
      expect(expectProblem(res, 404, "not-found").detail, url).to.match(/is beyond the log \(size 70000\)/);
      expect(res.headers["cache-control"], url).to.equal("no-cache");
    }
    expect(expectProblem(await get("/tile/0/273"), 404, "not-found").detail).to.contain("the log reaches width 112: tile/0/273.p/112");
  });

  it("entry bundles are each entry's leaf input with a 2-byte big-endian length, 256 to a full bundle", async () => {
    for (const [url, index, width] of [["/tile/entries/000", 0, 256], ["/tile/entries/272", 272, 256], ["/tile/entries/273.p/112", 273, 112], ["/tile/entries/273.p/5", 273, 5]] as const) {
      const res = await get(url);
      expect(res.statusCode, url).to.equal(200);
      expect(res.headers["content-type"]).to.equal("application/octet-stream");
      expect(res.rawPayload.equals(expected.bundle(index, width)), url).to.equal(true);
    }
    // Read back by hand: the i-th entry hashes to the i-th hash of the level-0 tile.
    const bundle = (await get("/tile/entries/273.p/112")).rawPayload;
    const tile = (await get("/tile/0/273.p/112")).rawPayload;
    let at = 0;
    for (let i = 0; i < 112; i++) {
      const length = bundle.readUInt16BE(at);
      expect(Buffer.from(leafHashOf(bundle.subarray(at + 2, at + 2 + length))).equals(tile.subarray(32 * i, 32 * i + 32))).to.equal(true);
      at += 2 + length;
    }
    expect(at).to.equal(bundle.length);
  });

  it("full tiles are immutable, partial ones short-lived, /checkpoint is /v1/checkpoint's note and not cached", async () => {
    expect((await get("/tile/0/000")).headers["cache-control"]).to.equal("public, max-age=31536000, immutable");
    expect((await get("/tile/entries/000")).headers["cache-control"]).to.equal("public, max-age=31536000, immutable");
    expect((await get("/tile/0/273.p/112")).headers["cache-control"]).to.equal("public, max-age=60");
    expect((await get("/tile/entries/273.p/112")).headers["cache-control"]).to.equal("public, max-age=60");
    const checkpoint = await get("/checkpoint");
    expect(checkpoint.statusCode).to.equal(200);
    expect(checkpoint.headers["content-type"]).to.equal("text/plain; charset=utf-8");
    expect(checkpoint.headers["cache-control"]).to.equal("no-cache");
    expect(checkpoint.body).to.equal((await get("/v1/checkpoint")).body);
    expect(verifyCheckpoint(checkpoint.body, KEY).size).to.equal(70_000);
  });

  it("a burst of requests for a bundle not cached yet reads it from the store once", async () => {
    let reads = 0;
    const input = Buffer.alloc(40, 7);
    const tiles = new LogTiles({
      size: 256,
      fullTile: () => Promise.reject(new Error("no hash tile is asked for")),
      perfectNodes: () => Promise.reject(new Error("no hash tile is asked for")),
      leafInputRun: async (_from: number, count: number) => {
        reads += 1;
        await new Promise((resolve) => setTimeout(resolve, 10)); // a range read takes a while: the others arrive meanwhile
        return Array.from({ length: count }, () => input);
      },
    });
    const tile = { level: "entries" as const, index: 0, width: 256 };
    const served = await Promise.all([tiles.read(tile), tiles.read(tile), tiles.read({ ...tile })]);
    expect(reads).to.equal(1);
    const expected = Buffer.concat(Array.from({ length: 256 }, () => Buffer.concat([Buffer.from([0, 40]), input])));
    for (const bytes of served) expect(bytes.equals(expected)).to.equal(true);
    await tiles.read(tile); // kept now
    await tiles.read({ ...tile, width: 3 }); // a prefix of the kept one
    expect(reads).to.equal(1);
  });

  it("malformed tile paths are 400 problems, saying what is wrong", async () => {
    const cases = [
      "/tile/0/1", // N not three digits
      "/tile/0/0001",
      "/tile/0/x000/005", // not canonical: 5 is 005
      "/tile/0/001/002", // all but the last group begin with x
      "/tile/0/x001",
      "/tile/00/000", // leading zero in L
      "/tile/64/000", // L above 63
      "/tile/-1/000",
      "/tile/a/000",
      "/tile/0/005.p/0", // W from 1 to 255
      "/tile/0/005.p/256",
      "/tile/0/005.p/07",
      "/tile/0/005.p/",
      "/tile/0/005.q/5",
      "/tile/0/005.p/5/6",
      "/tile/entries/abc",
      "/tile/entries/",
      "/tile/entries/x999/x999/x999/x999/x999/x999/999", // beyond 2^53
    ];
    for (const url of cases) {
      const body = expectProblem(await get(url), 400, "invalid-parameter");
      expect(body.detail, url).to.match(/^malformed tile path "tile\//);
    }
    expect(expectProblem(await get("/tile/0/x000/005"), 400, "invalid-parameter").detail).to.contain("want tile/0/005");
  });

  it("serves proofs from tiles that verify against the signed checkpoints, as the log grows past tile 1000", async () => {
    server = await startServer(log.ctx, { host: "127.0.0.1", port: 0, docs: false, logger: false });
    const reader = new TileReader({ url: server.url });
    const old = await reader.checkpoint(KEY);
    expect(old.size).to.equal(70_000);

    // Past tile 1000 at level 0 (entries 256,000 and up): 256,300 entries.
    await grow(log, expected, 256_300 - 70_000);
    const latest = await reader.checkpoint(KEY);
    expect(latest.size).to.equal(256_300);
    for (const [url, level, index, width] of [
      ["/tile/0/x001/000", 0, 1000, 256],
      ["/tile/0/x001/001.p/44", 0, 1001, 44],
      ["/tile/1/003.p/233", 1, 3, 233],
      ["/tile/2/000.p/3", 2, 0, 3],
    ] as const) {
      const res = await get(url);
      expect(res.statusCode, url).to.equal(200);
      expect(res.rawPayload.equals(expected.tile(level, index, width)), url).to.equal(true);
    }
    expect((await get("/tile/entries/x001/000")).rawPayload.equals(expected.bundle(1000, 256))).to.equal(true);
    expect((await get("/tile/entries/x001/001.p/44")).rawPayload.equals(expected.bundle(1001, 44))).to.equal(true);
    expectProblem(await get("/tile/0/x001/001.p/45"), 404, "not-found");

    // Inclusion: leaves at tile edges, in the old tree and the new, each against its signed root.
    for (const [seq, tree] of [[0, latest], [255, latest], [256, latest], [69_999, old], [69_999, latest], [65_536, latest], [256_000, latest], [256_299, latest]] as const) {
      const proof = await reader.inclusionProof(seq, tree.size);
      verifyInclusion(expected.levels[0][seq], seq, tree.size, proof, tree.root);
      expect(Buffer.from(await reader.nodeHash({ level: 0, index: seq }, tree.size)).equals(expected.levels[0][seq])).to.equal(true);
    }
    // Consistency from the old checkpoint (and from sizes on tile edges) to the latest, against the signed roots.
    const oldNote = (await get("/v1/checkpoints/70000")).body;
    expect(oldNote).to.equal(old.note);
    verifyConsistency(old.size, latest.size, await reader.consistencyProof(old.size, latest.size), old.root, latest.root);
    for (const size of [1, 255, 256, 257, 65_536, 65_537, 256_000]) {
      const root = await reader.root(size, latest.size);
      expect(Buffer.from(root).equals(mthOf(expected.levels[0].slice(0, size))), `root at ${size}`).to.equal(true);
      verifyConsistency(size, latest.size, await reader.consistencyProof(size, latest.size), root, latest.root);
    }
    // The old tree's tiles (partial widths of size 70,000) are still served and still give its signed root.
    expect(await reader.root(old.size)).to.deep.equal(old.root);
    // The same hashes as the node's proof endpoint.
    const fromEndpoint = (await get(`/v1/proofs/inclusion?seq=123456&treeSize=${latest.size}`)).json() as { proof: Hex[] };
    expect((await reader.inclusionProof(123_456, latest.size)).map((h) => toHex(h))).to.deep.equal(fromEndpoint.proof);

    // Entries across bundle edges, from their bundles.
    const entries = await reader.entries(69_990, 70_300, latest.size);
    expect(entries.map((e) => toHex(e))).to.deep.equal(expected.inputs.slice(69_990, 70_300).map((e) => toHex(e)));
    expect((await reader.entries(256_290, 256_300, latest.size)).map((e) => toHex(e))).to.deep.equal(expected.inputs.slice(256_290).map((e) => toHex(e)));
  });

  it("a proof built from a tampered tile does not verify, and the reader refuses a tile of the wrong length", async () => {
    const latest = verifyCheckpoint((await get("/checkpoint")).body, KEY);
    const flip = (path: string, edit: (b: Uint8Array) => Uint8Array) =>
      new TileReader({
        url: server.url,
        fetch: async (input, init) => {
          const res = await fetch(input, init);
          if (!String(input).endsWith(path)) return res;
          return new Response(new Uint8Array(edit(new Uint8Array(await res.arrayBuffer()))), { status: 200 });
        },
      });
    // Entry 1000 sits in level-0 tile 3; its sibling at hash 1001 is in the proof.
    const tampered = flip("/tile/0/003", (b) => ((b[32 * 1001 - 32 * 768] ^= 1), b));
    const proof = await tampered.inclusionProof(1000, latest.size);
    expect(() => verifyInclusion(expected.levels[0][1000], 1000, latest.size, proof, latest.root)).to.throw(RootMismatchError);
    const short = flip("/tile/0/003", (b) => b.subarray(0, 100));
    const error = await short.inclusionProof(1000, latest.size).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TileError);
    expect(error).to.include({ code: "bad-tile", path: "tile/0/003" });
    const beyond = await new TileReader({ url: server.url }).tile({ level: 0, index: 5000, width: 256 }).catch((e: unknown) => e);
    expect(beyond).to.be.instanceOf(TileError).and.include({ code: "not-found", status: 404 });
  });
});

describe("an entry too long for a bundle (over 65,535 bytes)", function () {
  this.timeout(60_000);
  let log: Log;
  let server: RunningServer;
  before(async () => {
    log = await openLog("cityledger-tiles-big-");
    await log.store.append(logsFrom(0, 10, (n) => (n === 7 ? 70_000 : 10)), { block: 1n, blockHash: keccak256(toHex("big")) });
    server = await startServer(log.ctx, { host: "127.0.0.1", port: 0, docs: false, logger: false });
  });
  after(async () => {
    await server?.close();
    await log?.close();
  });

  it("its bundle is a 501 entry-too-large problem (read /v1/entries); its tiles and proofs still serve", async () => {
    const res = await fetch(`${server.url}/tile/entries/000.p/10`);
    expect(res.status).to.equal(501);
    expect(res.headers.get("content-type")).to.match(/^application\/problem\+json/);
    expect(((await res.json()) as { type: string }).type).to.equal(`${PROBLEM_BASE}entry-too-large`);
    expect((await fetch(`${server.url}/tile/entries/000.p/7`)).status).to.equal(200); // the entries before it fit
    const reader = new TileReader({ url: server.url });
    const error = await reader.entryBundle(0, 10).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TileError).and.include({ code: "entry-too-large", status: 501 });
    const checkpoint = await reader.checkpoint(KEY);
    const entry = (await (await fetch(`${server.url}/v1/entries/7`)).json()) as { leafInput: Hex };
    verifyInclusion(leafHashOf(hexToBytes(entry.leafInput)), 7, 10, await reader.inclusionProof(7, 10), checkpoint.root);
  });
});
