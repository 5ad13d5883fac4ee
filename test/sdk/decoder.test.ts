/**
 * The SDK's one event decoder (`sdk/src/ledger/decoder.ts`): its fast path gives what viem gives (addresses
 * lower-cased, integers typed alike) on every log of a real city's log and on random words for every static event of
 * every city ABI; logs no city ABI explains decode to undefined.
 */
import { expect } from "chai";
import fc from "fast-check";
import hre from "hardhat";
import { encodeEventTopics, toEventSelector, type AbiEvent, type Hex } from "viem";
import { CityEventDecoder, cityAbis, type CityContractName, type CityEvent } from "../../sdk/src/ledger";
import { auditedCity } from "../audit/helpers";
import { chainLogs } from "../ledger-node/helpers/chain";
import type { RawLog } from "../../ledger-node/src/types";

const lower = (v: unknown): unknown =>
  typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v) ? v.toLowerCase() : Array.isArray(v) ? v.map(lower) : v;
const normal = (args: object) => Object.fromEntries(Object.entries(args).map(([k, v]) => [k, lower(v)]));
const kinds = (args: object) => Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v]));

/** The fast path and viem agree: same contract, name, arguments (addresses compared lower-case) and argument types. */
function expectSame(fast: CityEvent | undefined, slow: CityEvent | undefined, what: string): void {
  if (slow === undefined) return void expect(fast, what).to.equal(undefined);
  expect(fast, what).to.not.equal(undefined);
  expect(fast!.contract, what).to.equal(slow.contract);
  expect(fast!.name, what).to.equal(slow.name);
  expect(Object.keys(fast!.args), what).to.deep.equal(Object.keys(slow.args));
  expect(kinds(fast!.args), what).to.deep.equal(kinds(slow.args));
  expect(normal(fast!.args), what).to.deep.equal(normal(slow.args));
}

describe("SDK: CityEventDecoder", () => {
  let logs: RawLog[];
  let record: { contracts: Record<string, { address: string }> };

  before(async () => {
    const [, , , w1, w2] = await hre.ethers.getSigners();
    const city = await auditedCity([w1.address, w2.address]);
    record = city.record;
    logs = await chainLogs(hre, city.record);
  });

  it("decodes every log of a real city, the fast path equal to viem's (addresses lower-case, uint ≤ 48 bits as numbers)", () => {
    const decoder = new CityEventDecoder(record);
    const seen = new Set<string>();
    for (const [seq, log] of logs.entries()) {
      const slow = decoder.decode(log);
      expect(slow, `entry ${seq} decodes`).to.not.equal(undefined);
      expectSame(decoder.decodeFast(log), slow, `entry ${seq} (${slow!.contract}.${slow!.name})`);
      seen.add(`${slow!.contract}.${slow!.name}`);
    }
    // Every domain of the audited city is in the log.
    for (const contract of ["CityRegistry", "CityCoin", "BasicIncome", "ParkingExchange", "EnergyMarket", "CityBallots", "ParticipatoryBudget", "CityGovernor", "LedgerAnchor"]) {
      expect([...seen].some((s) => s.startsWith(`${contract}.`)), contract).to.equal(true);
    }
    expect(seen.size).to.be.greaterThan(40);
  });

  it("types arguments from the ABIs: a narrowed event reads its fields without casts", () => {
    const decoder = new CityEventDecoder(record);
    const transfers = logs.map((l) => decoder.decodeFast(l)).filter((e) => e?.contract === "CityCoin" && e.name === "Transfer");
    expect(transfers.length).to.be.greaterThan(0);
    for (const e of transfers) {
      if (e?.contract !== "CityCoin" || e.name !== "Transfer") throw new Error("narrowing");
      const value: bigint = e.args.value;
      const from: `0x${string}` = e.args.from;
      expect(typeof value).to.equal("bigint");
      expect(from).to.equal(from.toLowerCase());
    }
  });

  it("names the deployment's contracts and follows every address, decoding only what a city ABI explains", () => {
    const stranger = "0x00000000000000000000000000000000000000aa";
    const decoder = new CityEventDecoder({ contracts: { ...record.contracts, Stranger: { address: stranger } } });
    expect(decoder.addresses).to.include(stranger);
    expect(decoder.addresses).to.include(record.contracts.CityCoin.address.toLowerCase());
    expect(decoder.contractAt(record.contracts.CityCoin.address.toUpperCase().replace("0X", "0x"))).to.equal("CityCoin");
    expect(decoder.contractAt(stranger)).to.equal("Stranger");
    const transfer = logs.find((l) => l.address.toLowerCase() === record.contracts.CityCoin.address.toLowerCase())!;
    for (const log of [
      { ...transfer, address: stranger }, // not a city ABI
      { ...transfer, address: "0x00000000000000000000000000000000000000bb" }, // not in the deployment
      { ...transfer, topics: [] }, // anonymous
      { ...transfer, topics: [`0x${"ab".repeat(32)}`, ...transfer.topics.slice(1)] as Hex[] }, // no such event
    ]) {
      expect(decoder.decode(log)).to.equal(undefined);
      expect(decoder.decodeFast(log)).to.equal(undefined);
    }
  });

  it("agrees with viem on random words for every event of every city ABI (out-of-range small uints and non-boolean bools included)", () => {
    const addresses = Object.fromEntries(Object.keys(cityAbis).map((name, i) => [name, { address: `0x${(i + 1).toString(16).padStart(40, "0")}` }]));
    const decoder = new CityEventDecoder({ contracts: addresses });
    const events = (Object.keys(cityAbis) as CityContractName[]).flatMap((contract) =>
      (cityAbis[contract] as readonly { type: string }[]).filter((i): i is AbiEvent => i.type === "event").map((event) => ({ contract, event })),
    );
    const word = fc.oneof(
      fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
      fc.bigInt({ min: 0n, max: 2n ** 48n }),
      fc.bigInt({ min: 2n ** 48n - 2n, max: 2n ** 54n }),
      fc.constantFrom(0n, 1n, 2n),
    ).map((n) => n.toString(16).padStart(64, "0"));
    fc.assert(
      fc.property(fc.constantFrom(...events), fc.array(word, { minLength: 0, maxLength: 12 }), fc.array(word, { maxLength: 4 }), ({ contract, event }, dataWords, topicWords) => {
        const indexed = event.inputs.filter((i) => i.indexed).length;
        const topics = [toEventSelector(event), ...topicWords.slice(0, indexed).map((w) => `0x${w}` as Hex)];
        while (topics.length < indexed + 1) topics.push(`0x${"0".repeat(64)}`);
        const log = { address: addresses[contract].address, topics, data: `0x${dataWords.join("")}` as Hex };
        expectSame(decoder.decodeFast(log), decoder.decode(log), `${contract}.${event.name}`);
      }),
      { numRuns: 2_000 },
    );
    // A sanity check of the generator: the encoded topics of a real event are what the decoder reads back.
    const transfer = cityAbis.CityCoin.find((i) => i.type === "event" && i.name === "Transfer") as AbiEvent;
    const topics = encodeEventTopics({ abi: [transfer], args: { from: addresses.CityCoin.address as Hex, to: addresses.CityBallots.address as Hex } });
    const e = decoder.decodeFast({ address: addresses.CityCoin.address, topics: topics as Hex[], data: `0x${"0".repeat(63)}5` });
    expect(e).to.deep.equal({ contract: "CityCoin", name: "Transfer", args: { from: addresses.CityCoin.address, to: addresses.CityBallots.address, value: 5n } });
  });
});
