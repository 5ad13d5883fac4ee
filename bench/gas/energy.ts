import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { MaxUint256, Wallet, id, type TypedDataDomain } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { deployCity } from "../../scripts/lib/deploy";
import { Flags, Roles } from "../../scripts/lib/roles";
import type { EnergyMarket } from "../../typechain-types";
import type { GasEntry } from "./report";
import { gasOf } from "./report";

const SLOT = 900;
/**
 * Grid Singularity's on-chain `placeOrder`, ≈ 161,000 gas: a published figure quoted by issue 7, not measured here
 * (their exchange is not in this repository).
 */
const GSY_PLACE_ORDER = 161_000;
const READING_TYPES = {
  MeterReading: [
    { name: "meter", type: "address" },
    { name: "slot", type: "uint32" },
    { name: "producedWh", type: "uint64" },
    { name: "consumedWh", type: "uint64" },
  ],
};

/**
 * EnergyMarket operations in their steady state: traders hold a market balance (deposited once) and already have an
 * order in a nearby slot, so an order writes its own storage slot and updates words already written (the book's
 * packed ids, the trader's packed counts, its balance). `energy.bidPull` is a bid whose escrow is pulled from the
 * wallet instead. `clearN` clears a book of N orders (N/2 asks, N/2 bids, all crossing, so every order matches);
 * `perMatch` = gas / matched orders. `energy.settle` settles the 10-order slot with its 5 sellers' readings;
 * `energy.reading` is what one more reading adds to a settlement (two identical slots, one with an extra consumer's
 * reading); `energy.settle100` settles the 100-order book (its `perMatch` per order).
 */
export async function measureEnergy(hre: HardhatRuntimeEnvironment): Promise<Record<string, GasEntry>> {
  const { ethers } = hre;
  const [admin, registrar, issuer, council, operator, ...people] = await ethers.getSigners();
  const city = await deployCity(hre, admin, {
    grants: { REGISTRAR: [registrar.address], ISSUER: [issuer.address], RESERVE_ATTESTER: [admin.address], COUNCIL: [council.address] },
  });
  const { registry, coin, meters } = city;
  const market = city.market as EnergyMarket;
  await (await city.authority.grantRole(Roles.METER_OPERATOR, operator.address, 0)).wait();
  await (await coin.connect(admin).attestReserve(10n ** 15n, ethers.id("report"))).wait();
  await (await market.connect(council).setMaxOrdersPerSlot(128)).wait();
  await (await market.connect(council).setMaxOrdersPerTrader(64)).wait();

  // 5 prosumers and 5 consumers, each with a meter whose key is a fresh wallet.
  const sellers = people.slice(0, 5);
  const buyers = people.slice(5, 10);
  const keys = new Map<string, Wallet>();
  let n = 0;
  for (const [i, who] of [...sellers, ...buyers].entries()) {
    const prosumer = i < sellers.length;
    await (await registry.connect(registrar).register(who.address, 1, 1, prosumer ? Flags.PROSUMER : Flags.RESIDENT, ethers.id(`bench-e-${n++}`))).wait();
    // Fixed keys: calldata gas depends on the meters' address bytes, so the figures repeat run after run.
    const key = new Wallet(id(`bench-energy-meter-${i}`));
    keys.set(who.address, key);
    await (await meters.connect(operator).register(key.address, who.address, prosumer ? 1 : 2, 1)).wait();
    await (await coin.connect(issuer).issue(who.address, 10_000_000_000n, ethers.id(`bench-e-deposit-${n++}`))).wait();
    await (await coin.connect(who).approve(await market.getAddress(), MaxUint256)).wait();
    await (await market.connect(who).deposit(5_000_000_000n)).wait();
  }
  const meterOf = (who: HardhatEthersSigner) => keys.get(who.address)!.address;
  const now = (await ethers.provider.getBlock("latest"))!.timestamp;
  const base = Math.floor(now / SLOT) + 4;

  // Steady state: one order of each trader in the slot before.
  for (const s of sellers) await (await market.connect(s).ask(base, meterOf(s), 1_000, 10_000)).wait();
  for (const b of buyers) await (await market.connect(b).bid(base, meterOf(b), 1_000, 200_000)).wait();
  const ask = await gasOf(market.connect(sellers[0]).ask(base, meterOf(sellers[0]), 1_000, 10_000));
  const bid = await gasOf(market.connect(buyers[0]).bid(base, meterOf(buyers[0]), 1_000, 200_000));
  const puller = buyers[1];
  await (await market.connect(puller).claimRefund()).wait();
  const bidPull = await gasOf(market.connect(puller).bid(base, meterOf(puller), 1_000, 200_000));
  // Back to the steady state (a market balance) so that both settlements below write the same kind of words.
  await (await market.connect(puller).deposit(1_000_000n)).wait();

  // Books of 10 (twice: with and without an extra reading), 50 and 100 orders in later slots.
  const books = { clear10: base + 2, clear10b: base + 3, clear50: base + 4, clear100: base + 5 } as const;
  const sizes = { clear10: 10, clear10b: 10, clear50: 50, clear100: 100 } as const;
  for (const [key, slot] of Object.entries(books) as [keyof typeof books, number][]) {
    const half = sizes[key] / 2;
    for (let i = 0; i < half; i++) {
      const s = sellers[i % sellers.length];
      const b = buyers[i % buyers.length];
      await (await market.connect(s).ask(slot, meterOf(s), 500 + i, 10_000 + i * 100)).wait();
      await (await market.connect(b).bid(slot, meterOf(b), 500 + i, 200_000 - i * 100)).wait();
    }
  }
  await hre.network.provider.send("evm_setNextBlockTimestamp", [(base + 5) * SLOT]);
  const clears: Record<string, GasEntry> = {};
  for (const [key, slot] of Object.entries(books) as [keyof typeof books, number][]) {
    const receipt = await (await market.clear(slot)).wait();
    const matched = receipt!.logs
      .map((log) => market.interface.parseLog(log))
      .filter((e) => e?.name === "OrderCleared" && e.args.filledWh > 0n).length;
    const gas = Number(receipt!.gasUsed);
    if (key !== "clear10b") clears[`energy.${key}`] = { gas, perMatch: Math.round(gas / matched) };
  }

  // Settlement after the slots end: every seller's reading, passed to settle (which records them first).
  await hre.network.provider.send("evm_setNextBlockTimestamp", [(base + 6) * SLOT]);
  const { chainId } = await ethers.provider.getNetwork();
  // Meters sign for MeterRegistry, which settle records the readings in (issue 13: readings count whoever settles).
  const domain: TypedDataDomain = { name: "MeterRegistry", version: "1", chainId, verifyingContract: await meters.getAddress() };
  const sign = async (who: HardhatEthersSigner, slot: number, producedWh: bigint, consumedWh: bigint) => {
    const key = keys.get(who.address)!;
    const value = { meter: key.address, slot, producedWh, consumedWh };
    return { ...value, member: who.address, signature: await key.signTypedData(domain, READING_TYPES, value) };
  };
  const readingsFor = async (slot: number, extra: boolean) => {
    const list = await Promise.all(sellers.map((s) => sign(s, slot, 10_000n, 0n)));
    if (extra) list.push(await sign(buyers[0], slot, 0n, 1_200n));
    list.sort((a, b) => (BigInt(a.member) < BigInt(b.member) ? -1 : 1));
    return list.map(({ member: _member, ...r }) => r);
  };
  const settle = await gasOf(market.settle(books.clear10, await readingsFor(books.clear10, false)));
  const settle100 = await gasOf(market.settle(books.clear100, await readingsFor(books.clear100, false)));
  // One more reading, on the same state: estimate the same settlement with and without it.
  const without = await market.settle.estimateGas(books.clear10b, await readingsFor(books.clear10b, false));
  const withOneMore = await market.settle.estimateGas(books.clear10b, await readingsFor(books.clear10b, true));

  return {
    "energy.ask": { gas: ask, baseline: GSY_PLACE_ORDER },
    "energy.bid": { gas: bid, baseline: GSY_PLACE_ORDER },
    "energy.bidPull": { gas: bidPull, baseline: GSY_PLACE_ORDER },
    ...clears,
    "energy.reading": { gas: Number(withOneMore - without) },
    "energy.settle": { gas: settle },
    // Settlement recomputes the fills from the frozen book (clearing stores none): the 100-order book, per order.
    "energy.settle100": { gas: settle100, perMatch: Math.round(settle100 / 100) },
  };
}
