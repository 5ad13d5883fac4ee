/**
 * The demo's energy market (MeterRegistry, EnergyMarket): the prosumers' production meters and some neighbours'
 * consumption meters, registered by the meter operator; an hour of 15-minute slots traded, cleared by the double
 * auction and settled against the meters' signed readings; and, when the city is ready, a slot a day ahead taking
 * orders.
 */
import { MaxUint256, Wallet, id } from "ethers";
import { meterReadingTypes } from "@cityledger/sdk";
import { Flags } from "../roles";
import type { DemoMember } from "./members";
import { READY, mined, type DemoContext } from "./context";
import { DAY, HOUR, MINUTE } from "./timeline";

/** EnergyMarket's slot length (seconds). */
const SLOT = 900;
/** IMeterRegistry.MeterKind. */
const PRODUCTION = 1;
const CONSUMPTION = 2;
/** Settled slots: an hour of trading. */
const SETTLED_SLOTS = 4;
/** Members who buy (non-prosumers, every district): their consumption meters. */
const CONSUMERS = [2, 4, 8, 11, 14, 16, 22, 35];

export interface DemoEnergy {
  /** Registered meters: production (the prosumers') and consumption. */
  meters: { production: number; consumption: number };
  /** Slots cleared and settled, with their uniform clearing price (base units per kWh) and volume (Wh). */
  settledSlots: { slot: number; price: bigint; volumeWh: bigint }[];
  /** A slot taking orders when the city is ready (its gate closes 5 minutes before it starts, a day later). */
  openSlot: { slot: number; orders: number; gateClosesAt: number };
}

/** The key of demo member `member`'s meter: keccak256("cityledger demo meter " + member). */
export function demoMeterKey(member: number): string {
  return id(`cityledger demo meter ${member}`);
}

interface Order {
  trader: DemoMember;
  side: "ask" | "bid";
  wh: bigint;
  /** Base units per kWh: an ask's minimum, a bid's maximum. */
  price: bigint;
}

/**
 * The orders of slot number `k` of the demo (a pure function): half the prosumers (in turn) each sell 1.0 to 1.75 kWh
 * from €0.08, half the consumers each bid for 0.8 to 1.2 kWh up to €0.10 to €0.16, varying by slot so that prices
 * clear differently.
 */
function ordersOf(k: number, sellers: readonly DemoMember[], buyers: readonly DemoMember[]): Order[] {
  const inTurn = (j: number) => (j + k) % 2 === 0;
  return [
    ...sellers.map((trader, j) => ({ trader, side: "ask" as const, wh: BigInt(1_000 + 250 * ((j + k) % 4)), price: BigInt(80_000 + 10_000 * ((3 * j + k) % 5)) })).filter((_, j) => inTurn(j)),
    ...buyers.map((trader, j) => ({ trader, side: "bid" as const, wh: BigInt(800 + 200 * ((j + k) % 3)), price: BigInt(100_000 + 15_000 * ((j + 2 * k) % 5)) })).filter((_, j) => inTurn(j)),
  ];
}

/** Schedules the meters, the trading and the settlements; the returned function reads what was made, once played. */
export function scheduleEnergy(ctx: DemoContext): () => Promise<DemoEnergy> {
  const { city, timeline, actors, wallets, members } = ctx;
  const { market, meters } = city;
  const t0 = timeline.t0;
  const sellers = members.filter((m) => (m.flags & Flags.PROSUMER) !== 0n);
  const buyers = CONSUMERS.map((i) => members[i]);
  const meterOf = (m: DemoMember) => new Wallet(demoMeterKey(m.index));
  // The first settled slot starts at least two hours after the timeline's start, well after the orders are in.
  const firstSlot = Math.ceil((t0 + 2 * HOUR) / SLOT);
  const openSlot = Math.ceil((t0 + READY + DAY) / SLOT);

  const place = async (slot: number, orders: readonly Order[]) => {
    for (const o of orders) {
      const trader = market.connect(wallets[o.trader.index]);
      const meter = meterOf(o.trader).address;
      await mined(o.side === "ask" ? trader.ask(slot, meter, o.wh, o.price) : trader.bid(slot, meter, o.wh, o.price));
    }
  };

  timeline.at(t0, "energy: meters registered, orders for the next hour", async () => {
    const operator = meters.connect(actors.meterOperator);
    for (const m of sellers) await mined(operator.register(meterOf(m).address, m.address, PRODUCTION, m.district));
    for (const m of buyers) await mined(operator.register(meterOf(m).address, m.address, CONSUMPTION, m.district));
    const marketAddress = await market.getAddress();
    for (const m of [...sellers, ...buyers]) await mined(city.coin.connect(wallets[m.index]).approve(marketAddress, MaxUint256));
    for (let k = 0; k < SETTLED_SLOTS; k++) await place(firstSlot + k, ordersOf(k, sellers, buyers));
  });

  // Each slot is cleared and settled five minutes after it ends, with every meter's signed reading: sellers deliver
  // what they sold but the first, who falls 10% short (the imbalance is paid from its collateral).
  for (let k = 0; k < SETTLED_SLOTS; k++) {
    const slot = firstSlot + k;
    timeline.at((slot + 1) * SLOT + 5 * MINUTE, `energy: slot ${k + 1} of ${SETTLED_SLOTS} cleared and settled`, async () => {
      await mined(market.clear(slot));
      const { chainId } = await ctx.hre.ethers.provider.getNetwork();
      const domain = { name: "MeterRegistry", version: "1", chainId, verifyingContract: await meters.getAddress() };
      const readings = [];
      for (const [j, o] of ordersOf(k, sellers, buyers).entries()) {
        const value = {
          meter: meterOf(o.trader).address,
          slot,
          producedWh: o.side === "ask" ? (j === 0 ? (o.wh * 9n) / 10n : o.wh) : 0n,
          consumedWh: o.side === "bid" ? o.wh : 0n,
        };
        readings.push({ ...value, signature: await meterOf(o.trader).signTypedData(domain, { MeterReading: [...meterReadingTypes.MeterReading] }, value) });
      }
      await mined(market.settle(slot, readings));
    });
  }

  const openOrders = ordersOf(SETTLED_SLOTS, sellers, buyers);
  timeline.at(t0 + READY, "energy: orders for tomorrow", () => place(openSlot, openOrders));

  return async () => {
    const settledSlots = [];
    for (let k = 0; k < SETTLED_SLOTS; k++) {
      const result = await market.slotResult(firstSlot + k);
      settledSlots.push({ slot: firstSlot + k, price: BigInt(result.price), volumeWh: BigInt(result.volume) });
    }
    return {
      meters: { production: sellers.length, consumption: buyers.length },
      settledSlots,
      openSlot: { slot: openSlot, orders: openOrders.length, gateClosesAt: Number(await market.gateClosureOf(openSlot)) },
    };
  };
}
