import { expect } from "chai";
import hre from "hardhat";
import { MaxUint256 } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Flags, Roles } from "../../scripts/lib/roles";
import { ENERGY_GATE_CLOSURE } from "../../scripts/lib/deploy";
import { cityFixture, coins, issue, now, register } from "../fixtures";

/** IMeterRegistry.MeterKind. */
export const Kind = { None: 0, Production: 1, Consumption: 2, Both: 3 } as const;
/** IMeterRegistry.MeterStatus. */
export const MeterStatus = { None: 0, Active: 1, Replaced: 2, Revoked: 3 } as const;

/**
 * The city with a meter operator (METER_OPERATOR role), prosumers sol and ray (members with the PROSUMER flag),
 * consumers ann and ben (members), a member without meter and a fresh signer per meter key.
 */
export async function meterFixture() {
  const f = await cityFixture();
  const [meterOperator, sol, ray, ann, ben, plain, ...keys] = f.people;
  await (await f.authority.connect(f.admin).grantRole(Roles.METER_OPERATOR, meterOperator.address, 0)).wait();
  await register(f, sol, { flags: Flags.RESIDENT | Flags.PROSUMER, district: 2 });
  await register(f, ray, { flags: Flags.PROSUMER, district: 2 });
  for (const who of [ann, ben, plain]) await register(f, who);
  return { ...f, meterOperator, sol, ray, ann, ben, plain, keys };
}
export type MeterCtx = Awaited<ReturnType<typeof meterFixture>>;

export const SLOT = 900;
/** IEnergyMarket.Side and OrderStatus. */
export const Side = { Ask: 0, Bid: 1 } as const;
export const OrderStatus = { None: 0, Open: 1, Cancelled: 2, Cleared: 3, Settled: 4, Evicted: 5 } as const;

/**
 * {meterFixture} with meters: sol's production meter, ray's production-and-consumption meter, ann's and ben's
 * consumption meters; ann, ben, ray and sol hold €1,000 each and approved the market; `slot` starts 3 to 4 slots ahead.
 */
export async function energyFixture() {
  const f = await meterFixture();
  const [solMeter, rayMeter, annMeter, benMeter, ...otherKeys] = f.keys;
  const op = f.meters.connect(f.meterOperator);
  await (await op.register(solMeter.address, f.sol.address, Kind.Production, 2)).wait();
  await (await op.register(rayMeter.address, f.ray.address, Kind.Both, 2)).wait();
  await (await op.register(annMeter.address, f.ann.address, Kind.Consumption, 1)).wait();
  await (await op.register(benMeter.address, f.ben.address, Kind.Consumption, 1)).wait();
  for (const who of [f.ann, f.ben, f.ray, f.sol]) {
    await issue(f, who, coins(1_000));
    await (await f.coin.connect(who).approve(f.market, MaxUint256)).wait();
  }
  const slot = Math.floor((await now()) / SLOT) + 4;
  return {
    ...f,
    solMeter: solMeter.address,
    rayMeter: rayMeter.address,
    annMeter: annMeter.address,
    benMeter: benMeter.address,
    otherKeys,
    slot,
    closesAt: slot * SLOT - ENERGY_GATE_CLOSURE,
  };
}
export type EnergyCtx = Awaited<ReturnType<typeof energyFixture>>;

/** An order id: `slot << 32 | sequence` (the sequence is `orderCount()` right after the order was placed). */
export const orderIdOf = (slot: number, seq: bigint | number) => (BigInt(slot) << 32n) | BigInt(seq);

/**
 * {energyFixture} with room for many small orders: smallest order 1 Wh locking at least 1 base unit, 16 open orders
 * per trader and slot.
 */
export async function looseEnergyFixture() {
  const f = await energyFixture();
  await (await f.market.connect(f.council).setMinOrderWh(1)).wait();
  await (await f.market.connect(f.council).setMinOrderValue(1)).wait();
  await (await f.market.connect(f.council).setMaxOrdersPerTrader(16)).wait();
  return f;
}

/** A meter's reading of a slot, as {IMeterRegistry.Reading}. */
export interface SignedReading {
  meter: string;
  slot: number;
  producedWh: bigint;
  consumedWh: bigint;
  signature: string;
}

export const READING_TYPES = {
  MeterReading: [
    { name: "meter", type: "address" },
    { name: "slot", type: "uint32" },
    { name: "producedWh", type: "uint64" },
    { name: "consumedWh", type: "uint64" },
  ],
};

/**
 * `key` signs (EIP-712) a reading of `meter` (default: its own address) for `slot`; `signedSlot` lets a test sign
 * another slot than the one it claims.
 */
export async function signReading(
  f: EnergyCtx,
  key: HardhatEthersSigner,
  r: { slot: number; producedWh?: number | bigint; consumedWh?: number | bigint; meter?: string },
): Promise<SignedReading> {
  const { chainId } = await hre.ethers.provider.getNetwork();
  const value = {
    meter: r.meter ?? key.address,
    slot: r.slot,
    producedWh: BigInt(r.producedWh ?? 0),
    consumedWh: BigInt(r.consumedWh ?? 0),
  };
  const domain = { name: "MeterRegistry", version: "1", chainId, verifyingContract: await f.meters.getAddress() };
  return { ...value, signature: await key.signTypedData(domain, READING_TYPES, value) };
}

/** The signer of a meter of the fixture, by the meter's address. */
export function meterKey(f: EnergyCtx, meter: string): HardhatEthersSigner {
  const key = f.keys.find((k) => k.address === meter);
  if (!key) throw new Error(`no key for meter ${meter}`);
  return key;
}

/** Sorts readings by member, then by meter (addresses compared as numbers): any order is accepted; tests sort to
 * compare event sequences. */
export async function sortReadings(f: EnergyCtx, readings: SignedReading[]): Promise<SignedReading[]> {
  const keyed = await Promise.all(readings.map(async (r) => ({ r, member: BigInt((await f.meters.meterOf(r.meter)).member) })));
  keyed.sort((a, b) => (a.member !== b.member ? (a.member < b.member ? -1 : 1) : BigInt(a.r.meter) < BigInt(b.r.meter) ? -1 : 1));
  return keyed.map((k) => k.r);
}

/**
 * The market's money invariant: its CityCoin balance is the market balances of `accounts` (every account that ever
 * traded) plus what the open and cleared-unsettled orders `ids` lock (a bid's escrow, an ask's collateral).
 */
export async function expectConserved(f: EnergyCtx, ids: bigint[], accounts: string[]) {
  let held = 0n;
  for (const account of accounts) held += await f.market.balanceOf(account);
  for (const orderId of ids) {
    const o = await f.market.order(orderId);
    if (o.status !== BigInt(OrderStatus.Open) && o.status !== BigInt(OrderStatus.Cleared)) continue;
    const { gridPrice } = await f.market.slotResult(orderId >> 32n);
    const rate = o.side === BigInt(Side.Bid) ? o.price : gridPrice;
    held += (o.wh * rate + 999n) / 1000n;
  }
  expect(await f.coin.balanceOf(f.market)).to.equal(held);
}
