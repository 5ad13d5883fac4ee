import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress, keccak256, toHex, type Hex } from "viem";
import { LogStore } from "../../ledger-node/src/log/store";
import { CityEventDecoder, parseLeafInput } from "@cityledger/sdk/ledger";
import { UpdateBus } from "../../ledger-node/src/updates";
import type { LogEntry, RawLog } from "../../ledger-node/src/types";
import { LiveProjections, ProjectionEngine, replay, type CatchUpProgress, type ReplaySource } from "../../ledger-node/src/projections";
import { currencyProjection } from "../../ledger-node/src/domains";
import { cityLogs, scenarioFixture, type Scenario } from "./projections.scenario.test";

const signer = { name: "cityledger.test/31337", privateKey: new Uint8Array(32).fill(1) };
const ZERO_HASH = `0x${"00".repeat(32)}` as Hex;
const genesis = { block: 0n, blockHash: ZERO_HASH, size: 0 };

/** Appends `logs` block by block, as the follower does. */
async function appendByBlock(store: LogStore, logs: readonly RawLog[]): Promise<void> {
  let i = 0;
  while (i < logs.length) {
    const block = logs[i].blockNumber;
    let j = i;
    while (j < logs.length && logs[j].blockNumber === block) j++;
    await store.append(logs.slice(i, j), { block, blockHash: logs[i].blockHash });
    i = j;
  }
}

/** Reference hash: the logs decoded by viem and applied in memory, no store involved. */
function directHash(logs: readonly RawLog[], decoder: CityEventDecoder): string {
  const engine = new ProjectionEngine();
  engine.applyLog(
    logs.map((log, seq): LogEntry => ({ seq, log, leafInput: new Uint8Array(), leafHash: new Uint8Array() })),
    decoder,
  );
  return engine.stateHash();
}

const TRANSFER_TOPIC = keccak256(toHex("Transfer(address,address,uint256)"));
const word = (n: bigint | number) => BigInt(n).toString(16).padStart(64, "0");
const topicOf = (address: string) => `0x${address.slice(2).toLowerCase().padStart(64, "0")}` as Hex;

/**
 * `count` synthetic CityCoin transfers among `accounts` holders (the first `accounts` are issues), deterministic, as
 * the log store would give them back. Values keep every balance non-negative.
 */
function syntheticTransfers(coin: string, count: number, accounts = 1_000, start = 0): RawLog[] {
  const holders = Array.from({ length: accounts }, (_, i) => `0x${(i + 1).toString(16).padStart(40, "0")}`);
  const zero = `0x${"0".repeat(40)}`;
  const address = getAddress(coin);
  const out: RawLog[] = new Array(count);
  let x = 12345;
  for (let k = 0; k < count; k++) {
    const n = start + k;
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const issue = n < accounts;
    const from = issue ? zero : holders[x % accounts];
    const to = issue ? holders[n] : holders[(x >>> 8) % accounts];
    const value = issue ? 1_000_000_000_000n : BigInt(1 + (x % 1000));
    out[k] = {
      chainId: 31337,
      blockNumber: BigInt(1 + Math.floor(n / 50)),
      blockHash: `0x${word(1 + Math.floor(n / 50))}` as Hex,
      transactionHash: `0x${word(n + 1)}` as Hex,
      logIndex: 0,
      address,
      topics: [TRANSFER_TOPIC, topicOf(from), topicOf(to)],
      data: `0x${word(value)}` as Hex,
    };
  }
  return out;
}

describe("replay (the log in a LogStore, rebuilt from entry 0)", () => {
  let f: Scenario;
  let logs: RawLog[];
  let dir: string;

  before(async () => {
    f = await loadFixture(scenarioFixture);
    logs = await cityLogs(f);
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "cityledger-replay-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("gives the hash of the projections reduced directly, with either decoder, page after page", async () => {
    const store = await LogStore.open({ dir: join(dir, "log"), origin: signer.name, signer, genesis });
    await appendByBlock(store, logs);
    expect(store.size).to.equal(logs.length);
    const expected = directHash(logs, new CityEventDecoder(f.record));

    const progress: CatchUpProgress[] = [];
    const slow = await replay({ store, decoder: new CityEventDecoder(f.record), pageSize: 40, onProgress: (p) => progress.push(p) });
    expect(slow.stateHash).to.equal(expected);
    expect(slow.seq).to.equal(logs.length);
    expect(slow.entries).to.equal(logs.length);
    expect(progress.length).to.equal(Math.ceil(logs.length / 40));
    expect(progress.map((p) => p.seq)).to.deep.equal(progress.map((_, i) => Math.min(logs.length, 40 * (i + 1))));
    expect(progress.at(-1)).to.deep.include({ seq: logs.length, size: logs.length, applied: logs.length });

    const fast = await replay({ store, decoder: new CityEventDecoder(f.record) });
    expect(fast.stateHash).to.equal(expected);
    expect(fast.domains).to.deep.equal(slow.domains);
    // The replayed state is the chain's.
    expect(fast.engine.state(currencyProjection).supply).to.equal(await f.coin.totalSupply());

    // A store that hands out raw leaf inputs is read through the leaf parser: same hash.
    const raw: ReplaySource = {
      get size() {
        return store.size;
      },
      entries: (from, limit) => store.entries(from, limit),
      rootAt: (size) => store.rootAt(size),
      leafInputs: async (from, limit) => (await store.entries(from, limit)).map((e) => ({ seq: e.seq, leafInput: e.leafInput })),
    };
    expect((await replay({ store: raw, decoder: new CityEventDecoder(f.record), pageSize: 33 })).stateHash).to.equal(expected);
    expect((await replay({ store: raw, decoder: new CityEventDecoder(f.record) })).stateHash).to.equal(expected);
    await store.close();
  });

  it("parses leaf inputs back into their logs (hex lower-cased), and rejects malformed ones", async () => {
    const store = await LogStore.open({ dir: join(dir, "log"), origin: signer.name, signer, genesis });
    await appendByBlock(store, logs);
    const lower = (l: RawLog) => ({ ...l, address: l.address.toLowerCase() });
    for (const e of await store.entries(0, store.size)) {
      expect(parseLeafInput(e.leafInput)).to.deep.equal(lower(e.log));
      expect(lower(e.log)).to.deep.equal(lower(logs[e.seq]));
    }
    const input = (await store.entry(0))!.leafInput;
    expect(() => parseLeafInput(input.slice(0, input.length - 32))).to.throw(/overrun|not a log leaf/);
    expect(() => parseLeafInput(input.slice(0, 100))).to.throw(/not a log leaf/);
    const badOffset = input.slice();
    badOffset[7 * 32 - 1] = 0xff; // topics offset far beyond the input
    expect(() => parseLeafInput(badOffset)).to.throw(/unaligned|overrun/);
    await store.close();
  });

  it("live: snapshots every N entries, catches up on updates, restarts from its snapshot, equals the replay", async () => {
    const store = await LogStore.open({ dir: join(dir, "log"), origin: signer.name, signer, genesis });
    const decoder = new CityEventDecoder(f.record);
    const half = logs.findIndex((l) => l.blockNumber > logs[Math.floor(logs.length / 2)].blockNumber);
    await appendByBlock(store, logs.slice(0, half));

    const notes: string[] = [];
    let live = await LiveProjections.open({ dir: join(dir, "projections"), store, decoder, snapshotEvery: 20, pageSize: 25, onNote: (n) => notes.push(n) });
    expect(notes).to.deep.equal([]);
    expect(live.engine.seq).to.equal(half);
    expect(live.engine.snapshotSeq).to.be.greaterThan(0);
    expect(live.engine.snapshotSeq).to.be.greaterThan(half - 45); // at most a page and an interval behind

    // The follower appends the rest and publishes; the projections follow.
    const updates = new UpdateBus();
    const errors: unknown[] = [];
    const stop = live.follow(updates, (e) => errors.push(e));
    const from = store.size;
    await appendByBlock(store, logs.slice(half));
    updates.publish({ kind: "entries", from, to: store.size });
    await live.catchUp();
    expect(errors).to.deep.equal([]);
    expect(live.engine.seq).to.equal(logs.length);
    const replayed = await replay({ store, decoder });
    expect(live.queries.stateHash().stateHash).to.equal(replayed.stateHash);
    stop();
    await live.close();

    // Restart: the snapshot written on close holds everything; nothing is replayed.
    live = await LiveProjections.open({ dir: join(dir, "projections"), store, decoder, onNote: (n) => notes.push(n) });
    expect(notes).to.deep.equal([]);
    expect(live.engine.snapshotSeq).to.equal(logs.length);
    expect(live.engine.stateHash()).to.equal(replayed.stateHash);
    await live.close();
    await store.close();
  });

  it("ignores a snapshot taken on another log and replays from 0", async () => {
    const a = await LogStore.open({ dir: join(dir, "a"), origin: signer.name, signer, genesis });
    await appendByBlock(a, logs);
    const decoder = new CityEventDecoder(f.record);
    await (await LiveProjections.open({ dir: join(dir, "projections"), store: a, decoder })).close();
    await a.close();

    const b = await LogStore.open({ dir: join(dir, "b"), origin: signer.name, signer, genesis });
    await appendByBlock(b, logs.slice(0, logs.length - 5));
    const notes: string[] = [];
    const live = await LiveProjections.open({ dir: join(dir, "projections"), store: b, decoder, onNote: (n) => notes.push(n) });
    expect(notes).to.have.length(1);
    expect(notes[0]).to.match(/another log/);
    expect(live.engine.stateHash()).to.equal((await replay({ store: b, decoder })).stateHash);
    await live.close();
    await b.close();
  });

  it("reduces synthetic CityCoin transfers fast (in memory and through the store)", async function () {
    this.timeout(600_000);
    const coin = await f.coin.getAddress();
    const decoder = new CityEventDecoder(f.record);

    // In memory: decode (fast path) + reduce, pages of 5,000, no store.
    const N = 200_000;
    const synthetic = syntheticTransfers(coin, N);
    const engine = new ProjectionEngine();
    const page = 5_000;
    const t0 = performance.now();
    for (let i = 0; i < N; i += page) {
      engine.applyLog(
        synthetic.slice(i, i + page).map((log, k): LogEntry => ({ seq: i + k, log, leafInput: new Uint8Array(), leafHash: new Uint8Array() })),
        decoder,
      );
    }
    const reduceMs = performance.now() - t0;
    const t1 = performance.now();
    engine.stateHash();
    const hashMs = performance.now() - t1;
    const state = engine.state(currencyProjection);
    expect(state.transfers).to.have.length(N);
    expect(state.supply).to.equal(1_000n * 1_000_000_000_000n);
    let sum = 0n;
    for (const a of state.accounts.values()) {
      expect(a.balance >= 0n).to.equal(true);
      sum += a.balance;
    }
    expect(sum).to.equal(state.supply);
    const inMemory = Math.round((N * 1000) / reduceMs);
    console.log(`      in memory: ${N} entries reduced in ${reduceMs.toFixed(0)} ms (${inMemory} entries/s), state hashed in ${hashMs.toFixed(0)} ms`);
    // Generous floor (the machine is shared); 1M entries in well under 30 s needs > 33k/s end to end.
    expect(inMemory).to.be.greaterThan(20_000);

    // Through the store: the full `cityledger replay` path.
    const M = 20_000;
    const store = await LogStore.open({ dir: join(dir, "log"), origin: signer.name, signer, genesis });
    for (let i = 0; i < M; i += page) await store.append(synthetic.slice(i, i + page), { block: BigInt(i + page), blockHash: ZERO_HASH });
    const replayed = await replay({ store, decoder });
    const prefix = new ProjectionEngine();
    prefix.applyLog(
      synthetic.slice(0, M).map((log, seq): LogEntry => ({ seq, log, leafInput: new Uint8Array(), leafHash: new Uint8Array() })),
      decoder,
    );
    expect(replayed.stateHash).to.equal(prefix.stateHash());
    console.log(`      through the LogStore: ${M} entries in ${replayed.reduceMs.toFixed(0)} ms (${replayed.entriesPerSecond} entries/s)`);
    await store.close();
  });
});
