import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  bytesToHex,
  encodeAbiParameters,
  encodeEventTopics,
  getAddress,
  hexToBytes,
  keccak256,
  parseAbi,
  toHex,
  type Hex,
} from "viem";
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from "fastify";
import fp from "fastify-plugin";
import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { buildApp, cityApi, serverOptions, type BuildAppOptions } from "../../ledger-node/src/api/app";
import { startServer, type RunningServer } from "../../ledger-node/src/api/server";
import { PROBLEM_BASE } from "../../ledger-node/src/api/problems";
import { LogStore } from "../../ledger-node/src/log/store";
import { CityEventDecoder } from "@cityledger/sdk/ledger";
import { UpdateBus } from "../../ledger-node/src/updates";
import type { FollowerView, NodeContext, TentativeEntry } from "../../ledger-node/src/context";
import type { FollowerStatus, RawLog } from "../../ledger-node/src/types";
import type {
  AccountView,
  IncomeClaimView,
  IncomeProgramView,
  MemberView,
  ProjectionQueries,
} from "../../ledger-node/src/domains";
import type { Page, PageRequest } from "../../ledger-node/src/projections";
import { createQueries } from "../../ledger-node/src/domains";
import { ProjectionEngine } from "../../ledger-node/src/projections";
import { hashLeaf, verifyConsistency, verifyInclusion } from "../../sdk/src/merkle";
import { leafFromLog, verifierKey, verifyCheckpoint } from "../../sdk/src/ledger";
import { syntheticLogs } from "./synthetic";

// ── fixture: a real LogStore with synthetic logs, a decoder that knows one contract, a stub follower ──────────────

const signer = { name: "cityledger.test/31337", privateKey: new Uint8Array(32).fill(9) };
const KEY = verifierKey(signer);
const genesis = { block: 0n, blockHash: `0x${"00".repeat(32)}` as Hex, size: 0 };
const COIN = getAddress("0xe7f1725e7734ce288f8367e1bb143e90bb3f0512");
const ALICE = getAddress("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
const BOB = getAddress("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");
const TRANSFER_ABI = parseAbi(["event Transfer(address indexed from, address indexed to, uint256 value)"]);

/** Logs the decoder explains: CityCoin transfers with values above 2^53 (they must come back as decimal strings). */
function transferLogs(count: number, block: bigint): RawLog[] {
  return Array.from({ length: count }, (_, i) => ({
    chainId: 31337,
    blockNumber: block,
    blockHash: keccak256(toHex(`coin-block-${block}`)),
    transactionHash: keccak256(toHex(`coin-tx-${block}-${i}`)),
    logIndex: i,
    address: COIN,
    topics: encodeEventTopics({ abi: TRANSFER_ABI, eventName: "Transfer", args: { from: ALICE, to: BOB } }) as Hex[],
    data: encodeAbiParameters([{ type: "uint256" }], [10n ** 30n + BigInt(i)]),
  }));
}

/** Batches of the fixture log: a checkpoint is signed at the end of each (sizes 5, 25, 28, 65). */
const BATCHES: RawLog[][] = [syntheticLogs(5), syntheticLogs(20, 5), transferLogs(3, 100n), syntheticLogs(37, 25)];
const ALL_LOGS = BATCHES.flat();
const CHECKPOINT_SIZES = [5, 25, 28, 65];

class StubFollower implements FollowerView {
  state: FollowerStatus = { state: "following", finalBlock: 37n, tentativeBlock: 39n };
  items: TentativeEntry[] = [];
  status(): FollowerStatus {
    return this.state;
  }
  tentative(): readonly TentativeEntry[] {
    return this.items;
  }
}

interface Fixture {
  dir: string;
  store: LogStore;
  follower: StubFollower;
  ctx: NodeContext;
}

async function makeFixture(batches: RawLog[][] = BATCHES): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), "cityledger-api-"));
  const store = await LogStore.open({ dir, origin: signer.name, signer, genesis });
  let block = 0n;
  for (const batch of batches) {
    block += 10n;
    await store.append(batch, { block, blockHash: keccak256(toHex(`cursor-${block}`)) });
  }
  const follower = new StubFollower();
  const decoder = new CityEventDecoder({ contracts: { CityCoin: { address: COIN, abi: TRANSFER_ABI } } });
  const ctx: NodeContext = { store, decoder, follower, updates: new UpdateBus(), verifierKey: KEY, chainId: 31337 };
  return { dir, store, follower, ctx };
}

async function dropFixture(f: Fixture): Promise<void> {
  await f.store.close();
  rmSync(f.dir, { recursive: true, force: true });
}

/** Asserts an RFC 9457 problem of `kind` with `status`, and returns it. */
function expectProblem(res: LightMyRequestResponse, status: number, kind: string) {
  expect(res.statusCode, res.body).to.equal(status);
  expect(res.headers["content-type"]).to.match(/^application\/problem\+json/);
  const body = res.json();
  expect(body.type).to.equal(`${PROBLEM_BASE}${kind}`);
  expect(body.status).to.equal(status);
  expect(body.title).to.be.a("string").and.not.equal("");
  expect(body.detail).to.be.a("string").and.not.equal("");
  expect(body.instance).to.be.a("string");
  expect(res.body).to.not.match(/\n\s+at /); // never a stack trace
  return body;
}

// ── the log ──────────────────────────────────────────────────────────────────────────────────────────────────────

describe("ledger API: log routes", () => {
  let f: Fixture;
  let app: FastifyInstance;
  before(async () => {
    f = await makeFixture();
    app = await buildApp(f.ctx);
  });
  after(async () => {
    await app.close();
    await dropFixture(f);
  });

  it("GET /v1/checkpoint serves the signed note as text/plain, and it verifies with the node key", async () => {
    const res = await app.inject({ url: "/v1/checkpoint" });
    expect(res.statusCode).to.equal(200);
    expect(res.headers["content-type"]).to.match(/^text\/plain/);
    const checkpoint = verifyCheckpoint(res.body, KEY);
    expect(checkpoint.size).to.equal(65);
    expect(bytesToHex(checkpoint.root)).to.equal(bytesToHex(f.store.root()));
    expect(res.headers["access-control-allow-origin"]).to.equal("*");
  });

  it("GET /v1/checkpoint with Accept: application/json gives origin, size, root (hex and base64), note and key", async () => {
    for (const accept of ["application/json", "text/plain;q=0.5, application/json", "application/*"]) {
      const res = await app.inject({ url: "/v1/checkpoint", headers: { accept } });
      expect(res.statusCode).to.equal(200);
      expect(res.headers["content-type"]).to.match(/^application\/json/);
      const body = res.json();
      const checkpoint = verifyCheckpoint(body.note, body.verifierKey);
      expect(body).to.deep.equal({
        origin: signer.name,
        size: 65,
        root: bytesToHex(checkpoint.root),
        rootBase64: Buffer.from(checkpoint.root).toString("base64"),
        note: body.note,
        verifierKey: KEY,
        // No witness in this app: no cosignature line.
        cosignatures: [],
      });
    }
    const html = await app.inject({ url: "/v1/checkpoint", headers: { accept: "text/html,*/*;q=0.8" } });
    expect(html.headers["content-type"]).to.match(/^text\/plain/);
    expectProblem(await app.inject({ url: "/v1/checkpoint", headers: { accept: "image/png" } }), 406, "not-acceptable");
  });

  it("GET /v1/checkpoints/:size serves the note signed at each batch end, 404 elsewhere", async () => {
    for (const size of CHECKPOINT_SIZES) {
      const text = await app.inject({ url: `/v1/checkpoints/${size}` });
      expect(text.statusCode).to.equal(200);
      const checkpoint = verifyCheckpoint(text.body, KEY);
      expect(checkpoint.size).to.equal(size);
      expect(bytesToHex(checkpoint.root)).to.equal(bytesToHex(await f.store.rootAt(size)));
      const json = (
        await app.inject({ url: `/v1/checkpoints/${size}`, headers: { accept: "application/json" } })
      ).json();
      expect(json.size).to.equal(size);
      expect(json.root).to.equal(bytesToHex(checkpoint.root));
      expect(json.note).to.equal(text.body);
    }
    expect(expectProblem(await app.inject({ url: "/v1/checkpoints/6" }), 404, "not-found").detail).to.contain(
      "no checkpoint was signed at size 6",
    );
    expect(expectProblem(await app.inject({ url: "/v1/checkpoints/66" }), 404, "not-found").detail).to.contain(
      "the log has 65 entries",
    );
    expectProblem(await app.inject({ url: "/v1/checkpoints/abc" }), 400, "invalid-parameter");
  });

  it("GET /v1/entries pages the whole log; every entry re-derives its leaf and decodes when an ABI explains it", async () => {
    const first = (await app.inject({ url: "/v1/entries" })).json();
    expect(first.entries).to.have.length(65); // default limit 100 > size
    expect(first.next).to.equal(null);

    const seen: Array<Record<string, any>> = [];
    let from: number | null = 0;
    while (from !== null) {
      const res: LightMyRequestResponse = await app.inject({ url: `/v1/entries?from=${from}&limit=10` });
      expect(res.statusCode).to.equal(200);
      const page: { from: number; size: number; entries: Array<Record<string, any>>; next: number | null } = res.json();
      expect(page.from).to.equal(from);
      expect(page.size).to.equal(65);
      seen.push(...page.entries);
      from = page.next;
    }
    expect(seen.map((e) => e.seq)).to.deep.equal([...Array(65).keys()]);
    for (const e of seen) {
      const original = ALL_LOGS[e.seq];
      expect(e.log.blockNumber).to.equal(original.blockNumber.toString());
      expect(e.log.address).to.equal(getAddress(original.address));
      expect(e.log).to.deep.equal({ ...original, blockNumber: original.blockNumber.toString() });
      const leaf = leafFromLog({ ...e.log, blockNumber: BigInt(e.log.blockNumber) });
      expect(e.leafHash).to.equal(bytesToHex(leaf));
      expect(bytesToHex(hashLeaf(hexToBytes(e.leafInput)))).to.equal(e.leafHash);
    }
    // The three CityCoin transfers (seq 25..27) decode, with the uint256 as a decimal string.
    expect(seen[26].event).to.deep.equal({
      contract: "CityCoin",
      name: "Transfer",
      args: { from: ALICE, to: BOB, value: (10n ** 30n + 1n).toString() },
    });
    expect(seen[0].event).to.equal(null);
    expect((await app.inject({ url: "/v1/entries?from=65" })).json()).to.deep.equal({
      from: 65,
      size: 65,
      entries: [],
      next: null,
    });
  });

  it("GET /v1/entries/:seq serves one entry, 404 beyond the log", async () => {
    const page = (await app.inject({ url: "/v1/entries?from=25&limit=1" })).json();
    const res = await app.inject({ url: "/v1/entries/25" });
    expect(res.statusCode).to.equal(200);
    expect(res.headers["cache-control"]).to.contain("immutable");
    expect(res.json()).to.deep.equal(page.entries[0]);
    const missing = expectProblem(await app.inject({ url: "/v1/entries/65" }), 404, "not-found");
    expect(missing.detail).to.equal("entry 65 is not in the log (size 65)");
    expect(missing.size).to.equal(65);
  });

  it("GET /v1/proofs/inclusion proves entries by seq or (txHash, logIndex) against signed roots", async () => {
    const latest = verifyCheckpoint((await app.inject({ url: "/v1/checkpoint" })).body, KEY);
    for (const [seq, treeSize] of [
      [0, undefined],
      [64, undefined],
      [26, 28],
      [3, 5],
      [0, 1],
      [24, 25],
    ] as const) {
      const qs = `seq=${seq}${treeSize === undefined ? "" : `&treeSize=${treeSize}`}`;
      const res = await app.inject({ url: `/v1/proofs/inclusion?${qs}` });
      expect(res.statusCode, res.body).to.equal(200);
      const body = res.json();
      const size = treeSize ?? 65;
      expect(body.seq).to.equal(seq);
      expect(body.treeSize).to.equal(size);
      expect(body.leafHash).to.equal(bytesToHex(leafFromLog(ALL_LOGS[seq])));
      verifyInclusion(
        hexToBytes(body.leafHash),
        seq,
        size,
        body.proof.map((h: Hex) => hexToBytes(h)),
        hexToBytes(body.root),
      );
      if (treeSize === undefined) expect(body.root).to.equal(bytesToHex(latest.root));
      if (CHECKPOINT_SIZES.includes(size)) {
        const signed = verifyCheckpoint(body.checkpoint, KEY);
        expect(signed.size).to.equal(size);
        expect(bytesToHex(signed.root)).to.equal(body.root);
      } else {
        expect(body.checkpoint).to.equal(null);
      }
    }
    const log = ALL_LOGS[27];
    const byTx = (
      await app.inject({
        url: `/v1/proofs/inclusion?txHash=${log.transactionHash.toUpperCase().replace("0X", "0x")}&logIndex=${log.logIndex}`,
      })
    ).json();
    expect(byTx.seq).to.equal(27);
    verifyInclusion(
      leafFromLog(log),
      27,
      65,
      byTx.proof.map((h: Hex) => hexToBytes(h)),
      latest.root,
    );
  });

  it("GET /v1/proofs/inclusion refuses ambiguous, missing and impossible requests", async () => {
    const tx = ALL_LOGS[3].transactionHash;
    expectProblem(
      await app.inject({ url: `/v1/proofs/inclusion?seq=1&txHash=${tx}&logIndex=0` }),
      400,
      "invalid-parameter",
    );
    const missing = expectProblem(
      await app.inject({ url: `/v1/proofs/inclusion?txHash=${tx}` }),
      400,
      "invalid-parameter",
    );
    expect(missing.invalidParams).to.deep.equal([
      { in: "querystring", name: "logIndex", reason: "is required without seq" },
    ]);
    expectProblem(await app.inject({ url: "/v1/proofs/inclusion" }), 400, "invalid-parameter");
    expectProblem(
      await app.inject({ url: `/v1/proofs/inclusion?txHash=${keccak256(toHex("absent"))}&logIndex=0` }),
      404,
      "not-found",
    );
    expectProblem(
      await app.inject({ url: `/v1/proofs/inclusion?txHash=${tx}&logIndex=4294967296` }),
      400,
      "out-of-range",
    );
    expect(
      expectProblem(await app.inject({ url: "/v1/proofs/inclusion?seq=5&treeSize=5" }), 400, "out-of-range").detail,
    ).to.equal("entry 5 is not in a tree of size 5");
    expectProblem(await app.inject({ url: "/v1/proofs/inclusion?seq=0&treeSize=66" }), 400, "out-of-range");
    expectProblem(await app.inject({ url: "/v1/proofs/inclusion?seq=0&treeSize=0" }), 400, "out-of-range");
    expectProblem(await app.inject({ url: "/v1/proofs/inclusion?seq=99999999999999999" }), 400, "invalid-parameter");
    expectProblem(await app.inject({ url: "/v1/proofs/inclusion?seq=9999999999999999" }), 400, "out-of-range");
  });

  it("GET /v1/proofs/consistency proves every signed checkpoint is a prefix of the latest", async () => {
    const latest = verifyCheckpoint((await app.inject({ url: "/v1/checkpoint" })).body, KEY);
    for (const [from, to] of [
      [5, undefined],
      [25, 28],
      [0, 65],
      [28, 28],
      [1, 64],
    ] as const) {
      const res = await app.inject({
        url: `/v1/proofs/consistency?from=${from}${to === undefined ? "" : `&to=${to}`}`,
      });
      expect(res.statusCode, res.body).to.equal(200);
      const body = res.json();
      const size = to ?? 65;
      expect([body.from, body.to]).to.deep.equal([from, size]);
      verifyConsistency(
        from,
        size,
        body.proof.map((h: Hex) => hexToBytes(h)),
        hexToBytes(body.fromRoot),
        hexToBytes(body.toRoot),
      );
      if (to === undefined) expect(body.toRoot).to.equal(bytesToHex(latest.root));
      if (CHECKPOINT_SIZES.includes(from))
        expect(bytesToHex(verifyCheckpoint(body.fromCheckpoint, KEY).root)).to.equal(body.fromRoot);
      else expect(body.fromCheckpoint).to.equal(null);
    }
    expectProblem(await app.inject({ url: "/v1/proofs/consistency?from=30&to=20" }), 400, "out-of-range");
    expectProblem(await app.inject({ url: "/v1/proofs/consistency?from=1&to=66" }), 400, "out-of-range");
    expectProblem(await app.inject({ url: "/v1/proofs/consistency?from=66" }), 400, "out-of-range");
    expectProblem(await app.inject({ url: "/v1/proofs/consistency" }), 400, "invalid-parameter");
  });

  it("GET /v1/tentative marks every item tentative and decodes what it can", async () => {
    const [coin] = transferLogs(1, 40n);
    const [plain] = syntheticLogs(1, 500);
    f.follower.items = [{ log: { ...plain, blockNumber: 39n } }, { log: coin }];
    const body = (await app.inject({ url: "/v1/tentative" })).json();
    expect(body.finalSize).to.equal(65);
    expect(body.items).to.have.length(2);
    for (const item of body.items) expect(item.tentative).to.equal(true);
    expect(body.items[0].log.blockNumber).to.equal("39");
    expect(body.items[0].event).to.equal(null);
    expect(body.items[1].event.args.value).to.equal((10n ** 30n).toString());
    f.follower.items = [];
    expect((await app.inject({ url: "/v1/tentative" })).json()).to.deep.equal({ finalSize: 65, items: [] });
  });
});

// ── errors ───────────────────────────────────────────────────────────────────────────────────────────────────────

describe("ledger API: every error is a problem", () => {
  let f: Fixture;
  let app: FastifyInstance;
  before(async () => {
    f = await makeFixture();
    app = await buildApp(f.ctx, { queries: stubQueries() });
  });
  after(async () => {
    await app.close();
    await dropFixture(f);
  });

  const cases: Array<
    [string, { method?: string; url: string; headers?: Record<string, string>; payload?: string }, number, string]
  > = [
    ["malformed seq", { url: "/v1/entries/abc" }, 400, "invalid-parameter"],
    ["fractional seq", { url: "/v1/entries/1.5" }, 400, "invalid-parameter"],
    ["hex seq (no coercion)", { url: "/v1/entries/0x10" }, 400, "invalid-parameter"],
    ["exponent seq (no coercion)", { url: "/v1/entries/1e3" }, 400, "invalid-parameter"],
    ["leading zeros", { url: "/v1/entries/007" }, 400, "invalid-parameter"],
    ["negative seq", { url: "/v1/entries/-1" }, 400, "invalid-parameter"],
    ["seq beyond the log", { url: "/v1/entries/1000" }, 404, "not-found"],
    ["limit above the maximum", { url: "/v1/entries?limit=1001" }, 400, "out-of-range"],
    ["limit zero", { url: "/v1/entries?limit=0" }, 400, "out-of-range"],
    ["from beyond the log", { url: "/v1/entries?from=66" }, 400, "out-of-range"],
    ["repeated parameter", { url: "/v1/entries?limit=1&limit=2" }, 400, "invalid-parameter"],
    ["short address", { url: "/v1/members/0x1234" }, 400, "invalid-parameter"],
    ["address without 0x", { url: `/v1/members/${"ab".repeat(20)}` }, 400, "invalid-parameter"],
    ["non-hex address", { url: `/v1/members/0x${"zz".repeat(20)}` }, 400, "invalid-parameter"],
    ["bad address checksum", { url: `/v1/accounts/${ALICE.replace("C5", "c5")}` }, 400, "invalid-parameter"],
    ["bad txHash", { url: "/v1/proofs/inclusion?txHash=0x1234&logIndex=0" }, 400, "invalid-parameter"],
    ["bad Last-Event-ID", { url: "/v1/stream", headers: { "last-event-id": "soon" } }, 400, "invalid-parameter"],
    ["Last-Event-ID beyond the log", { url: "/v1/stream?lastEventId=70" }, 400, "out-of-range"],
    ["paging limit on a domain route", { url: `/v1/accounts/${ALICE}?limit=5000` }, 400, "out-of-range"],
    ["bad order", { url: `/v1/accounts/${ALICE}?order=sideways` }, 400, "invalid-parameter"],
    ["unknown route", { url: "/v1/nothing/here" }, 404, "not-found"],
    ["unknown version", { url: "/v2/checkpoint" }, 404, "not-found"],
    ["malformed percent-encoding", { url: "/v1/entries/%E0%A4%A" }, 400, "invalid-request"],
    ["wrong method", { method: "DELETE", url: "/v1/entries/1" }, 405, "method-not-allowed"],
    [
      "wrong method on a collection",
      { method: "POST", url: "/v1/entries", headers: { "content-type": "application/json" }, payload: "{}" },
      405,
      "method-not-allowed",
    ],
    [
      "oversized body",
      {
        method: "POST",
        url: "/v1/entries",
        headers: { "content-type": "application/json" },
        payload: `"${"x".repeat(70_000)}"`,
      },
      413,
      "payload-too-large",
    ],
    [
      "broken JSON body",
      { method: "PUT", url: "/v1/checkpoint", headers: { "content-type": "application/json" }, payload: "{" },
      400,
      "invalid-request",
    ],
    ["not acceptable", { url: "/v1/checkpoints/5", headers: { accept: "application/xml" } }, 406, "not-acceptable"],
  ];
  for (const [name, request, status, kind] of cases) {
    it(`${name} → ${status} ${kind}`, async () => {
      const res = await app.inject({
        method: (request.method ?? "GET") as "GET",
        url: request.url,
        headers: request.headers,
        payload: request.payload,
      });
      const body = expectProblem(res, status, kind);
      expect(body.instance).to.equal(request.url.split("?")[0]);
    });
  }

  it("a route that takes a body (none yet; the relayer will) gets 413, 415 and 400 problems from fastify's parsers", async () => {
    const custom = Fastify(serverOptions({ bodyLimit: 1024 })).withTypeProvider<TypeBoxTypeProvider>();
    await custom.register(fp(cityApi), { ctx: f.ctx, docs: false });
    custom.post("/v1/echo", { schema: { body: Type.Object({ n: Type.Integer() }) } }, async (request) => request.body);
    await custom.ready();
    try {
      const post = (headers: Record<string, string>, payload: string) =>
        custom.inject({ method: "POST", url: "/v1/echo", headers, payload });
      expect((await post({ "content-type": "application/json" }, '{"n":1}')).json()).to.deep.equal({ n: 1 });
      expectProblem(
        await post({ "content-type": "application/json" }, `{"n":"${"1".repeat(2000)}"}`),
        413,
        "payload-too-large",
      );
      expectProblem(await post({ "content-type": "application/x-tar" }, "tar"), 415, "unsupported-media-type");
      expectProblem(await post({ "content-type": "application/json" }, "{"), 400, "invalid-request");
      expectProblem(await post({ "content-type": "application/json" }, ""), 400, "invalid-request");
      const invalid = expectProblem(
        await post({ "content-type": "application/json" }, '{"n":"x"}'),
        400,
        "invalid-parameter",
      );
      expect(invalid.invalidParams).to.deep.equal([{ in: "body", name: "n", reason: "must be integer" }]);
      const required = expectProblem(
        await post({ "content-type": "application/json" }, "{}"),
        400,
        "invalid-parameter",
      );
      expect(required.invalidParams).to.deep.equal([{ in: "body", name: "n", reason: "is required" }]);
    } finally {
      await custom.close();
    }
  });

  it("names the parameter and what it must be, never a regular expression", async () => {
    const body = expectProblem(await app.inject({ url: "/v1/entries?from=-3" }), 400, "invalid-parameter");
    expect(body.detail).to.equal(
      "querystring/from must be a non-negative decimal integer without sign or leading zeros",
    );
    expect(body.invalidParams).to.deep.equal([
      {
        in: "querystring",
        name: "from",
        reason: "must be a non-negative decimal integer without sign or leading zeros",
      },
    ]);
    const address = expectProblem(await app.inject({ url: "/v1/members/0x1234" }), 400, "invalid-parameter");
    expect(address.detail).to.equal("params/address must be an address: 0x followed by 40 hex digits");
    const checksum = expectProblem(
      await app.inject({ url: `/v1/members/${ALICE.replace("C", "c")}` }),
      400,
      "invalid-parameter",
    );
    expect(checksum.detail).to.contain("not a valid EIP-55 checksum");
  });

  it("405 carries the Allow header; OPTIONS answers it", async () => {
    const res = await app.inject({ method: "PATCH", url: "/v1/checkpoint" });
    expectProblem(res, 405, "method-not-allowed");
    expect(res.headers.allow).to.equal("GET, HEAD, OPTIONS");
    expect(res.json().allow).to.deep.equal(["GET", "HEAD", "OPTIONS"]);
    const options = await app.inject({ method: "OPTIONS", url: "/v1/entries/3" });
    expect(options.statusCode).to.equal(204);
    expect(options.headers.allow).to.equal("GET, HEAD, OPTIONS");
    expect(options.headers["access-control-allow-headers"]).to.contain("Last-Event-ID");
  });

  it("a server fault is logged with its cause and answered 500 without it", async () => {
    const lines: string[] = [];
    const broken = Object.assign(Object.create(f.store) as LogStore, {
      entry: async () => {
        throw new Error("leveldb exploded at /secret/data/dir");
      },
    });
    const faulty = await buildApp({ ...f.ctx, store: broken }, {
      logger: { level: "error", stream: { write: (l: string) => lines.push(l) } },
    } as BuildAppOptions);
    try {
      const res = await faulty.inject({ url: "/v1/entries/3" });
      const body = expectProblem(res, 500, "internal-error");
      expect(res.body).to.not.contain("secret");
      expect(res.body).to.not.contain("leveldb");
      expect(body.detail).to.match(/request id req-\w+/);
      expect(lines.join("")).to.contain("leveldb exploded at /secret/data/dir");
    } finally {
      await faulty.close();
    }
  });
});

// ── ops ──────────────────────────────────────────────────────────────────────────────────────────────────────────

describe("ledger API: health and metrics", () => {
  let f: Fixture;
  let app: FastifyInstance;
  before(async () => {
    f = await makeFixture();
    app = await buildApp(f.ctx);
  });
  after(async () => {
    await app.close();
    await dropFixture(f);
  });

  it("GET /v1/health reports the follower, the size and the cursor", async () => {
    const res = await app.inject({ url: "/v1/health" });
    expect(res.statusCode).to.equal(200);
    expect(res.json()).to.deep.equal({
      status: "following",
      size: 65,
      cursor: { block: "40", blockHash: keccak256(toHex("cursor-40")), size: 65 },
      follower: { state: "following", finalBlock: "37", tentativeBlock: "39" },
      sseSubscribers: 0,
    });
    f.follower.state = { state: "starting" };
    expect((await app.inject({ url: "/v1/health" })).json().status).to.equal("starting");
  });

  it("GET /v1/health is a loud 503 follower-halted problem after a deep reorg", async () => {
    const expectedHash = keccak256(toHex("ours"));
    const actualHash = keccak256(toHex("theirs"));
    f.follower.state = {
      state: "halted",
      reason: "block 40 was reorged below finality",
      atBlock: 40n,
      expectedHash,
      actualHash,
    };
    try {
      const body = expectProblem(await app.inject({ url: "/v1/health" }), 503, "follower-halted");
      expect(body.detail).to.contain("block 40 was reorged below finality");
      expect(body).to.include({ atBlock: "40", expectedHash, actualHash, size: 65 });
      // The log itself stays readable: it is the verifiable record.
      expect((await app.inject({ url: "/v1/checkpoint" })).statusCode).to.equal(200);
    } finally {
      f.follower.state = { state: "following", finalBlock: 37n, tentativeBlock: 39n };
    }
  });

  it("GET /metrics exposes log, ingestion, stream and per-route request metrics in Prometheus text format", async () => {
    await app.inject({ url: "/v1/entries/1" });
    await app.inject({ url: "/v1/entries/1" });
    await app.inject({ url: "/v1/entries/99" });
    await app.inject({ url: "/v1/does-not-exist/123" });
    f.ctx.updates.publish({ kind: "entries", from: 65, to: 70 });
    const res = await app.inject({ url: "/metrics" });
    expect(res.statusCode).to.equal(200);
    expect(res.headers["content-type"]).to.match(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).to.contain("# TYPE ledger_log_size gauge\nledger_log_size 65\n");
    expect(text).to.contain("ledger_cursor_block 40\n");
    expect(text).to.contain("ledger_ingest_entries_total 5\n");
    expect(text).to.contain('ledger_follower_state{state="following"} 1');
    expect(text).to.contain("sse_subscribers 0\n");
    expect(text).to.contain('http_requests_total{method="GET",route="/v1/entries/:seq",status="200"} 2');
    expect(text).to.contain('http_requests_total{method="GET",route="/v1/entries/:seq",status="404"} 1');
    expect(text).to.contain('http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).to.contain(
      'http_request_duration_seconds_bucket{method="GET",route="/v1/entries/:seq",status="200",le="+Inf"} 2',
    );
    expect(text).to.contain(
      'http_request_duration_seconds_count{method="GET",route="/v1/entries/:seq",status="200"} 2',
    );
    expect(text).to.not.contain("does-not-exist");
    // Every sample line is `name{labels} value` or `name value`.
    for (const line of text
      .trim()
      .split("\n")
      .filter((l) => !l.startsWith("#"))) {
      expect(line).to.match(/^[a-z_]+(\{[^}]*\})? [0-9.e+-]+$/);
    }
  });
});

// ── live updates ─────────────────────────────────────────────────────────────────────────────────────────────────

interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
}

/** A minimal SSE client over node:http: collects events and comments, lets tests wait for the next one. */
class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  status = 0;
  headers: http.IncomingHttpHeaders = {};
  body = "";
  private buffer = "";
  private waiters: Array<() => void> = [];
  private request!: http.ClientRequest;
  ended = false;

  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      client.request = http.get(url, { headers: { accept: "text/event-stream", ...headers } }, (res) => {
        client.status = res.statusCode ?? 0;
        client.headers = res.headers;
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => client.feed(chunk));
        res.on("end", () => {
          client.ended = true;
          client.notify();
        });
        resolve(client);
      });
      client.request.on("error", (err) => (client.status ? undefined : reject(err)));
    });
  }

  private feed(chunk: string): void {
    this.body += chunk;
    this.buffer += chunk;
    let cut: number;
    while ((cut = this.buffer.indexOf("\n\n")) >= 0) {
      const block = this.buffer.slice(0, cut);
      this.buffer = this.buffer.slice(cut + 2);
      const event: SseEvent = {};
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) this.comments.push(line.slice(1).trim());
        else {
          const i = line.indexOf(":");
          const field = line.slice(0, i);
          const value = line.slice(i + 1).replace(/^ /, "");
          if (field === "id" || field === "event" || field === "data") event[field] = value;
        }
      }
      if (event.event) this.events.push(event);
    }
    this.notify();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  /** Waits until `predicate` holds (checked after every chunk), or fails after `ms`. */
  async until(predicate: () => boolean, what: string, ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  close(): void {
    this.request.destroy();
  }
}

async function waitFor(predicate: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("ledger API: Server-Sent Events", () => {
  let f: Fixture;
  let server: RunningServer;
  beforeEach(async () => {
    f = await makeFixture([syntheticLogs(10)]);
    server = await startServer(f.ctx, { host: "127.0.0.1", port: 0, heartbeatMs: 40, logger: false });
  });
  afterEach(async () => {
    await server.close();
    await dropFixture(f);
  });

  it("streams the current checkpoint, then updates published on the bus, each with id = log size, and heartbeats", async () => {
    const base = f.ctx.updates.subscriberCount; // the metrics counter listens too
    const client = await SseClient.open(`${server.url}/v1/stream`);
    try {
      expect(client.status).to.equal(200);
      expect(client.headers["content-type"]).to.match(/^text\/event-stream/);
      await client.until(() => client.events.length >= 1, "the first checkpoint");
      expect(client.events[0].event).to.equal("checkpoint");
      expect(client.events[0].id).to.equal("10");
      expect(verifyCheckpoint(JSON.parse(client.events[0].data!).note, KEY).size).to.equal(10);
      expect(f.ctx.updates.subscriberCount).to.equal(base + 1);

      const appended = await f.store.append(syntheticLogs(4, 10), { block: 20n, blockHash: keccak256(toHex("b20")) });
      f.ctx.updates.publish({ kind: "entries", from: appended.from, to: appended.to });
      f.ctx.updates.publish({ kind: "checkpoint", checkpoint: appended.checkpoint });
      f.ctx.updates.publish({ kind: "tentative", fromBlock: 21n, toBlock: 22n, count: 2 });
      f.ctx.updates.publish({ kind: "halted", reason: "deep reorg at block 20" });
      await client.until(() => client.events.length >= 5, "four live events");
      const [, entries, checkpoint, tentative, halted] = client.events;
      expect(entries).to.deep.equal({ id: "14", event: "entries", data: JSON.stringify({ from: 10, to: 14 }) });
      expect(checkpoint.event).to.equal("checkpoint");
      expect(checkpoint.id).to.equal("14");
      const cp = JSON.parse(checkpoint.data!);
      expect(bytesToHex(verifyCheckpoint(cp.note, KEY).root)).to.equal(cp.root);
      expect(tentative).to.deep.equal({
        id: "14",
        event: "tentative",
        data: JSON.stringify({ fromBlock: "21", toBlock: "22", count: 2 }),
      });
      expect(halted).to.deep.equal({
        id: "14",
        event: "halted",
        data: JSON.stringify({ reason: "deep reorg at block 20" }),
      });
      await client.until(() => client.comments.includes("heartbeat"), "a heartbeat");

      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).to.contain("sse_subscribers 1\n");
    } finally {
      client.close();
    }
    await waitFor(() => f.ctx.updates.subscriberCount === base, "the subscription to be dropped");
    await waitFor(() => server.app.streams.size === 0, "the stream to be forgotten");
  });

  it("resumes with Last-Event-ID: first an entries event for what the client missed", async () => {
    await f.store.append(syntheticLogs(5, 10), { block: 30n, blockHash: keccak256(toHex("b30")) });
    const client = await SseClient.open(`${server.url}/v1/stream`, { "last-event-id": "7" });
    try {
      await client.until(() => client.events.length >= 2, "catch-up events");
      expect(client.events[0]).to.deep.equal({ id: "15", event: "entries", data: JSON.stringify({ from: 7, to: 15 }) });
      expect(client.events[1].event).to.equal("checkpoint");
      expect(client.events[1].id).to.equal("15");
    } finally {
      client.close();
    }

    // Up to date: nothing to catch up, no checkpoint replayed; the next update arrives as usual.
    const current = await SseClient.open(`${server.url}/v1/stream?lastEventId=15`);
    try {
      f.ctx.updates.publish({ kind: "tentative", fromBlock: 31n, toBlock: 31n, count: 1 });
      await current.until(() => current.events.length >= 1, "the live event");
      expect(current.events.map((e) => e.event)).to.deep.equal(["tentative"]);
    } finally {
      current.close();
    }
  });

  it("does not repeat what the catch-up sent when the follower then publishes that batch", async () => {
    // The follower publishes a batch only after the projections caught up with it: a client connecting in between
    // already gets it in its catch-up.
    const appended = await f.store.append(syntheticLogs(3, 10), { block: 30n, blockHash: keccak256(toHex("b30")) });
    for (const lastEventId of ["10", undefined]) {
      const client = await SseClient.open(`${server.url}/v1/stream`, lastEventId ? { "last-event-id": lastEventId } : {});
      try {
        await client.until(() => client.events.length >= (lastEventId ? 2 : 1), "catch-up events");
        f.ctx.updates.publish({ kind: "entries", from: appended.from, to: appended.to });
        f.ctx.updates.publish({ kind: "checkpoint", checkpoint: appended.checkpoint });
        f.ctx.updates.publish({ kind: "tentative", fromBlock: 31n, toBlock: 31n, count: 0 });
        await client.until(() => client.events.some((e) => e.event === "tentative"), "the live event");
        expect(client.events.map((e) => `${e.event}@${e.id}`)).to.deep.equal([
          ...(lastEventId ? ["entries@13"] : []),
          "checkpoint@13",
          "tentative@13",
        ]);
      } finally {
        client.close();
      }
    }
  });

  it("refuses a Last-Event-ID beyond the log with a problem, before streaming", async () => {
    const base = f.ctx.updates.subscriberCount;
    const client = await SseClient.open(`${server.url}/v1/stream`, { "last-event-id": "11" });
    await client.until(() => client.ended, "the problem body");
    expect(client.status).to.equal(400);
    expect(client.headers["content-type"]).to.match(/^application\/problem\+json/);
    expect(JSON.parse(client.body).type).to.equal(`${PROBLEM_BASE}out-of-range`);
    expect(f.ctx.updates.subscriberCount).to.equal(base);
    expect(server.app.streams.size).to.equal(0);
  });

  it("closes open streams when the server closes, promptly", async () => {
    const client = await SseClient.open(`${server.url}/v1/stream`);
    await client.until(() => client.events.length >= 1, "the first event");
    const started = Date.now();
    await server.close();
    await client.until(() => client.ended, "the end of the stream");
    expect(Date.now() - started).to.be.lessThan(2000);
    expect(f.ctx.updates.subscriberCount).to.equal(0); // streams and the metrics counter all unsubscribed
  });

  it("one client cannot hold every stream: beyond its per-IP cap, 429 rate-limited with Retry-After; a closed one frees a place", async () => {
    await server.close();
    // A global cap far above the per-IP one: before the per-IP cap, one client could take all of them.
    server = await startServer(f.ctx, { host: "127.0.0.1", port: 0, heartbeatMs: 40, logger: false, maxSubscribers: 50, maxStreamsPerIp: 3 });
    const open = await Promise.all([0, 1, 2].map(() => SseClient.open(`${server.url}/v1/stream`)));
    try {
      for (const client of open) await client.until(() => client.events.length >= 1, "the first checkpoint");
      expect(server.app.streams.size).to.equal(3);
      const refused = await fetch(`${server.url}/v1/stream`);
      expect(refused.status).to.equal(429);
      expect(refused.headers.get("content-type")).to.match(/^application\/problem\+json/);
      expect(Number(refused.headers.get("retry-after"))).to.be.greaterThan(0);
      expect(((await refused.json()) as { type: string }).type).to.equal("https://cityledger.dev/problems/rate-limited");
      expect(server.app.streams.size).to.equal(3);

      open.pop()!.close();
      await waitFor(() => server.app.streams.size === 2, "the closed stream to be released");
      const again = await SseClient.open(`${server.url}/v1/stream`);
      open.push(again);
      expect(again.status).to.equal(200);
    } finally {
      for (const client of open) client.close();
    }
    await waitFor(() => server.app.streams.size === 0, "every stream to be released");
  });

  it("behind a trusted proxy, the per-IP stream cap counts the client X-Forwarded-For names, not the proxy", async () => {
    await server.close();
    server = await startServer(f.ctx, { host: "127.0.0.1", port: 0, heartbeatMs: 40, logger: false, maxStreamsPerIp: 1, trustProxy: "127.0.0.1" });
    const open: SseClient[] = [];
    try {
      for (const client of ["198.51.100.1", "198.51.100.2"]) {
        open.push(await SseClient.open(`${server.url}/v1/stream`, { "x-forwarded-for": client }));
        expect(open[open.length - 1].status).to.equal(200);
      }
      const again = await fetch(`${server.url}/v1/stream`, { headers: { "x-forwarded-for": "198.51.100.1" } });
      expect(again.status).to.equal(429);
      await again.body?.cancel();
    } finally {
      for (const client of open) client.close();
    }
    await waitFor(() => server.app.streams.size === 0, "every stream to be released");
  });

  it("answers HEAD /v1/stream with the stream's headers, without opening one", async () => {
    const res = await fetch(`${server.url}/v1/stream`, { method: "HEAD" });
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.match(/^text\/event-stream/);
    expect(server.app.streams.size).to.equal(0);
  });

  it("serves the rest of the API on the same listener", async () => {
    const res = await fetch(`${server.url}/v1/checkpoint`);
    expect(res.status).to.equal(200);
    expect(verifyCheckpoint(await res.text(), KEY).size).to.equal(10);
  });
});

// ── domain routes ────────────────────────────────────────────────────────────────────────────────────────────────

const MEMBER: MemberView = {
  address: ALICE,
  status: "active",
  college: 1,
  district: 4,
  flags: 5n,
  since: 1_700_000_000,
  credentialHash: keccak256(toHex("file")),
  votes: 1n,
  firstSeq: 2,
  history: [{ seq: 2, txHash: keccak256(toHex("reg")), event: "MemberRegistered", status: "active" }],
};

const PROGRAM: IncomeProgramView = {
  id: 1n,
  collegeMask: 3,
  flagBit: 0,
  start: 1_700_000_000,
  periodLength: 2_592_000,
  periodCount: 12,
  amountPerPeriod: 100_000_000n,
  funded: 2n ** 70n,
  spent: 0n,
  openPeriods: 1,
  claimedTotal: 0n,
  claims: 0,
  withdrawn: 0n,
  ended: false,
  createdSeq: 9,
  periods: [
    {
      period: 0,
      amount: 100_000_000n,
      eligible: 2,
      claimed: 0,
      snapshot: 1_700_000_000,
      settled: false,
      openedSeq: 10,
    },
  ],
};

function stubQueries(): ProjectionQueries {
  const transfers = Array.from({ length: 7 }, (_, i) => ({
    seq: 20 + i,
    txHash: keccak256(toHex(`t${i}`)),
    logIndex: 0,
    from: ALICE,
    to: BOB,
    amount: 10n ** 20n + BigInt(i),
    kind: "transfer" as const,
  }));
  const claims: IncomeClaimView[] = [
    { programId: 1n, period: 0, account: ALICE, amount: 100_000_000n, seq: 30, txHash: keccak256(toHex("c")) },
  ];
  const page = <T>(items: T[], p: PageRequest = {}): Page<T> => {
    const offset = p.offset ?? 0;
    const limit = p.limit ?? 50;
    const ordered = p.order === "asc" ? items : [...items].reverse();
    return { items: ordered.slice(offset, offset + limit), total: items.length, offset, limit };
  };
  const unused = () => {
    throw new Error("not used by the API");
  };
  // Every other read is a real, empty projection's.
  const empty = createQueries(new ProjectionEngine());
  return {
    ...empty,
    seq: () => 42,
    members: { ...empty.members, member: (address: string) => (address.toLowerCase() === ALICE.toLowerCase() ? MEMBER : undefined), members: unused },
    currency: {
      ...empty.currency,
      account: (address: string, p?: PageRequest): AccountView => {
        const mine = address.toLowerCase() === ALICE.toLowerCase() ? transfers : [];
        const { items, total, offset, limit } = page(mine, p);
        return {
          address: getAddress(address),
          balance: mine.length ? 10n ** 21n : 0n,
          member: mine.length > 0,
          cityAccount: false,
          history: items,
          total,
          offset,
          limit,
        };
      },
      supply: unused,
    },
    income: {
      program: (id: bigint) => (id === 1n ? PROGRAM : undefined),
      programs: () => [PROGRAM],
      claims: (address: string, p?: PageRequest) => page(address.toLowerCase() === ALICE.toLowerCase() ? claims : [], p),
    },
  };
}

describe("ledger API: domain routes (projections)", () => {
  let f: Fixture;
  let app: FastifyInstance;
  before(async () => {
    f = await makeFixture([syntheticLogs(3)]);
    app = await buildApp(f.ctx, { queries: stubQueries() });
  });
  after(async () => {
    await app.close();
    await dropFixture(f);
  });

  it("GET /v1/members/:address serves a record with big integers as decimal strings, any address case", async () => {
    for (const address of [ALICE, ALICE.toLowerCase(), `0x${ALICE.slice(2).toUpperCase()}`]) {
      const res = await app.inject({ url: `/v1/members/${address}` });
      expect(res.statusCode, res.body).to.equal(200);
      expect(res.headers["x-projection-seq"]).to.equal("42");
      expect(res.json()).to.deep.equal({ ...MEMBER, flags: "5", votes: "1" });
    }
    expect(expectProblem(await app.inject({ url: `/v1/members/${BOB}` }), 404, "not-found").detail).to.equal(
      `${BOB} never was a member`,
    );
  });

  it("GET /v1/accounts/:address pages the transfers", async () => {
    const body = (await app.inject({ url: `/v1/accounts/${ALICE.toLowerCase()}?offset=2&limit=3&order=asc` })).json();
    expect(body.address).to.equal(ALICE);
    expect(body.balance).to.equal((10n ** 21n).toString());
    expect(body.history.map((t: { seq: number }) => t.seq)).to.deep.equal([22, 23, 24]);
    expect(body.history[0].amount).to.equal((10n ** 20n + 2n).toString());
    expect([body.total, body.offset, body.limit]).to.deep.equal([7, 2, 3]);
    const defaults = (await app.inject({ url: `/v1/accounts/${ALICE}` })).json();
    expect([defaults.offset, defaults.limit, defaults.history[0].seq]).to.deep.equal([0, 50, 26]);
    const unknown = (await app.inject({ url: `/v1/accounts/${BOB}` })).json();
    expect([unknown.balance, unknown.history, unknown.total]).to.deep.equal(["0", [], 0]);
  });

  it("GET /v1/income/programs, /v1/income/programs/:id and /v1/income/claims/:address", async () => {
    const programs = (await app.inject({ url: "/v1/income/programs" })).json();
    expect(programs.total).to.equal(1);
    expect(programs.items[0].funded).to.equal((2n ** 70n).toString());
    const one = (await app.inject({ url: "/v1/income/programs/1" })).json();
    expect(one).to.deep.equal(programs.items[0]);
    expect(one.periods[0]).to.deep.equal({
      period: 0,
      amount: "100000000",
      eligible: 2,
      claimed: 0,
      snapshot: 1_700_000_000,
      settled: false,
      openedSeq: 10,
    });
    expectProblem(await app.inject({ url: "/v1/income/programs/2" }), 404, "not-found");
    expectProblem(await app.inject({ url: `/v1/income/programs/1${"0".repeat(80)}` }), 400, "invalid-parameter");
    expectProblem(await app.inject({ url: "/v1/income/programs/-1" }), 400, "invalid-parameter");
    const claims = (await app.inject({ url: `/v1/income/claims/${ALICE}` })).json();
    expect(claims).to.deep.equal({
      items: [
        { programId: "1", period: 0, account: ALICE, amount: "100000000", seq: 30, txHash: keccak256(toHex("c")) },
      ],
      total: 1,
      offset: 0,
      limit: 50,
    });
  });

  it("answers 503 not-ready while the node has no projections", async () => {
    const bare = await buildApp(f.ctx);
    try {
      for (const url of [
        `/v1/members/${ALICE}`,
        `/v1/accounts/${ALICE}`,
        "/v1/income/programs",
        "/v1/income/programs/1",
        `/v1/income/claims/${ALICE}`,
      ]) {
        const res = await bare.inject({ url });
        expect(expectProblem(res, 503, "not-ready").detail).to.contain("projections not ready");
        expect(res.headers["retry-after"]).to.equal("10");
      }
      // Input is still checked first: a bad address is the caller's problem, not the node's.
      expectProblem(await bare.inject({ url: "/v1/members/0x12" }), 400, "invalid-parameter");
    } finally {
      await bare.close();
    }
  });

  describe("paging, one way on every listing route", () => {
    const lists = [
      "/v1/entries",
      `/v1/accounts/${ALICE}`,
      `/v1/income/claims/${ALICE}`,
      "/v1/parking/spots",
      `/v1/parking/members/${ALICE}/bookings`,
      "/v1/ballots",
      "/v1/ballots/1/commitments",
      "/v1/governance/proposals",
      "/v1/budget/rounds",
      "/v1/budget/rounds/1/projects",
      "/v1/energy/slots",
      "/v1/energy/meters",
      `/v1/energy/meters/${ALICE}/readings`,
      `/v1/energy/meters/${ALICE}/reductions`,
    ];
    const malformed = ["limit=abc", "limit=-1", "limit=1e3", "limit=1.5", "offset=-3", "offset=0x10", "limit=1&limit=2", `offset=${"9".repeat(40)}`];
    const outOfRange = ["limit=0", "limit=1001", `limit=${"9".repeat(16)}`, "offset=9999999999999999"];

    it("answers a malformed paging parameter 400 invalid-parameter, naming it", async () => {
      for (const url of lists) {
        if (url === "/v1/entries") continue; // no offset: its cursor is `from`
        for (const q of malformed) {
          const body = expectProblem(await app.inject({ url: `${url}?${q}` }), 400, "invalid-parameter");
          expect(body.invalidParams[0].name, `${url}?${q}`).to.equal(q.split("=")[0]);
        }
      }
    });

    it("answers a well-formed value out of bounds 400 out-of-range, with one message", async () => {
      for (const url of lists) {
        for (const q of outOfRange) {
          if (url === "/v1/entries" && q.startsWith("offset")) continue;
          const [name, value] = q.split("=");
          const body = expectProblem(await app.inject({ url: `${url}?${q}` }), 400, "out-of-range");
          expect(body.detail, `${url}?${q}`).to.match(new RegExp(`^${name} ${value} is not between \\d+ and \\d+$`));
          expect(body.invalidParams).to.deep.equal([{ in: "querystring", name, reason: body.detail.slice(name.length + value.length + 2).replace("is not", "must be") }]);
        }
      }
    });

    it("serves the largest page and the first one", async () => {
      for (const url of lists) {
        const res = await app.inject({ url: `${url}?limit=1000` });
        expect(res.statusCode, `${url}: ${res.body}`).to.be.oneOf([200, 404]);
      }
    });
  });
});

// ── docs ─────────────────────────────────────────────────────────────────────────────────────────────────────────

describe("ledger API: OpenAPI and Swagger UI", () => {
  let f: Fixture;
  let app: FastifyInstance;
  before(async () => {
    f = await makeFixture([syntheticLogs(1)]);
    app = await buildApp(f.ctx);
  });
  after(async () => {
    await app.close();
    await dropFixture(f);
  });

  /**
   * Every route the API registers (its URL in OpenAPI's `{param}` form → its methods), seen by an onRoute hook on a
   * fresh instance: derived, so a new domain's routes need no edit here to be required in the document.
   */
  async function registeredRoutes(): Promise<Map<string, Set<string>>> {
    const routes = new Map<string, Set<string>>();
    const probe = Fastify(serverOptions());
    probe.addHook("onRoute", (route) => {
      if (route.schema?.hide || route.url.startsWith("/docs")) return; // the app's catch-all and Swagger UI's own files
      // OpenAPI's form: `:param` → `{param}`, a trailing wildcard (the tile paths) → `{*}`, as @fastify/swagger writes them.
      const url = route.url.replace(/:(\w+)/g, "{$1}").replace(/\*$/, "{*}");
      const methods = routes.get(url) ?? new Set<string>();
      for (const method of [route.method].flat()) if (method !== "HEAD") methods.add(method.toLowerCase());
      routes.set(url, methods);
    });
    await probe.register(fp(cityApi), { ctx: f.ctx });
    await probe.ready();
    await probe.close();
    return routes;
  }

  it("GET /docs/json is an OpenAPI 3 document listing every route, each with its problem responses", async () => {
    const res = await app.inject({ url: "/docs/json" });
    expect(res.statusCode).to.equal(200);
    const doc = res.json();
    expect(doc.openapi).to.match(/^3\./);
    const routes = await registeredRoutes();
    // The routes every node has, whatever its domains: the derived list must not be vacuous.
    expect([...routes.keys()]).to.include.members(["/metrics", "/v1/checkpoint", "/v1/entries/{seq}", "/v1/relay", "/v1/deployment", "/v1/stream", "/checkpoint", "/tile/{level}/{*}", "/tile/entries/{*}"]);
    expect(Object.keys(doc.paths).sort()).to.deep.equal([...routes.keys()].sort());
    expect(doc.components.schemas.Problem.required).to.deep.equal(["type", "title", "status", "detail", "instance"]);
    for (const [path, item] of Object.entries<Record<string, { responses: Record<string, any> }>>(doc.paths)) {
      const methods = [...routes.get(path)!].sort();
      expect(Object.keys(item).sort(), path).to.deep.equal(methods);
      for (const method of methods) {
        const responses = item[method].responses;
        // A GET has one success; a write may have two (a records submission: 201 stored, 200 already had them).
        const ok = Object.keys(responses).filter((status) => /^2\d\d$/.test(status));
        expect(ok.length, `${method} ${path}: its success statuses`).to.be.within(1, method === "get" ? 1 : 2);
        for (const [status, response] of Object.entries(responses)) {
          if (ok.includes(status)) continue;
          expect(response.content["application/problem+json"].schema.$ref, `${path} ${status}`).to.equal(
            "#/components/schemas/Problem",
          );
        }
        expect(responses["5XX"], path).to.not.equal(undefined);
      }
    }
    // Write routes as they are today: a POST that appears or disappears is a decision, made here.
    const writes = [...routes].filter(([, methods]) => !methods.has("get") || methods.size > 1).map(([path, methods]) => `${[...methods].sort().join("+")} ${path}`);
    expect(writes.sort()).to.deep.equal(["get+post /v1/datause/batches/{processorId}/{period}/records", "get+post /v1/relay", "post /v1/witness/cosign"]);
    expect(doc.paths["/v1/checkpoint"].get.responses["200"].content).to.have.keys("text/plain", "application/json");
    expect(doc.paths["/v1/stream"].get.responses["200"].content).to.have.keys("text/event-stream");
  });

  it("GET /docs serves Swagger UI from the installed package", async () => {
    const page = await app.inject({ url: "/docs" });
    expect(page.statusCode).to.equal(200);
    expect(page.headers["content-type"]).to.match(/^text\/html/);
    const css = await app.inject({ url: "/docs/static/swagger-ui.css" });
    expect(css.statusCode).to.equal(200);
    expectProblem(await app.inject({ url: "/docs/static/nothing-here.js" }), 404, "not-found");
  });

  it("can leave the docs out", async () => {
    const bare = await buildApp(f.ctx, { docs: false });
    try {
      expectProblem(await bare.inject({ url: "/docs" }), 404, "not-found");
    } finally {
      await bare.close();
    }
  });
});
