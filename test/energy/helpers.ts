import { MaxUint256 } from "ethers";
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
export const OrderStatus = { None: 0, Open: 1, Cancelled: 2, Cleared: 3 } as const;

/**
 * {meterFixture} with meters: sol's production meter, ray's production-and-consumption meter, ann's and ben's
 * consumption meters; ann, ben and ray hold €1,000 each and approved the market; `slot` starts 3 to 4 slots ahead.
 */
export async function energyFixture() {
  const f = await meterFixture();
  const [solMeter, rayMeter, annMeter, benMeter, ...otherKeys] = f.keys;
  const op = f.meters.connect(f.meterOperator);
  await (await op.register(solMeter.address, f.sol.address, Kind.Production, 2)).wait();
  await (await op.register(rayMeter.address, f.ray.address, Kind.Both, 2)).wait();
  await (await op.register(annMeter.address, f.ann.address, Kind.Consumption, 1)).wait();
  await (await op.register(benMeter.address, f.ben.address, Kind.Consumption, 1)).wait();
  for (const who of [f.ann, f.ben, f.ray]) {
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
