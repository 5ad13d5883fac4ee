import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { MaxUint256 } from "ethers";
import { deployCity } from "../../scripts/lib/deploy";
import { Flags } from "../../scripts/lib/roles";
import type { GasEntry } from "./report";
import { gasOf } from "./report";

const HOUR = 3600;
const WEEK = 168 * HOUR;
/** Monday 00:00 UTC of the unix week grid ParkingExchange uses (the epoch was a Thursday). */
const MONDAY_OFFSET = 72 * HOUR;
const ALL_HOURS = (1n << 168n) - 1n;

/**
 * ParkingExchange operations in their steady state: the spot was booked before in the same week (its calendar word is
 * not empty), the exchange and the owner already hold coins, the driver has approved the exchange once. The booking
 * baseline is what a plain ERC-4907 rental plus payment costs, measured here: the reference `setUser` of a token never
 * lent before (a fresh user slot, as each booking writes a fresh booking slot) plus an OpenZeppelin ERC-20 transfer
 * between holders.
 */
export async function measureParking(hre: HardhatRuntimeEnvironment): Promise<Record<string, GasEntry>> {
  const { ethers } = hre;
  const [admin, registrar, issuer, council, arbiter, owner, alice, bob] = await ethers.getSigners();
  const city = await deployCity(hre, admin, {
    grants: {
      REGISTRAR: [registrar.address],
      ISSUER: [issuer.address], RESERVE_ATTESTER: [admin.address],
      COUNCIL: [council.address],
      ARBITER: [arbiter.address],
    },
  });
  const { registry, coin, parking, forwarder } = city;

  // Baselines.
  const rental = await (await ethers.getContractFactory("Reference4907", admin)).deploy();
  // A rental writes a fresh user slot, as a booking writes a fresh booking slot: token 2 was never lent.
  await (await rental.mint(owner.address, 1)).wait();
  await (await rental.mint(owner.address, 2)).wait();
  await (await rental.connect(owner).setUser(1, alice.address, 1_000)).wait();
  const setUser = await gasOf(rental.connect(owner).setUser(2, bob.address, 2_000));
  const reference = await (await ethers.getContractFactory("ReferenceToken", admin)).deploy(await forwarder.getAddress());
  for (const who of [alice, owner]) await (await reference.mint(who.address, 1_000_000_000n)).wait();
  await (await reference.connect(alice).transfer(owner.address, 1n)).wait();
  const transfer = await gasOf(reference.connect(alice).transfer(owner.address, 2_000_000n));

  // The city: an owner with the parking flag, two drivers holding coins.
  let n = 0;
  await (await registry.connect(registrar).register(owner.address, 1, 1, Flags.RESIDENT | Flags.PARKING_OWNER, ethers.id(`bench-p-${n++}`))).wait();
  for (const who of [alice, bob]) {
    await (await registry.connect(registrar).register(who.address, 1, 1, Flags.RESIDENT, ethers.id(`bench-p-${n++}`))).wait();
  }
  await (await coin.connect(admin).attestReserve(10n ** 15n, ethers.id("report"))).wait();
  for (const who of [alice, bob, owner]) {
    await (await coin.connect(issuer).issue(who.address, 1_000_000_000n, ethers.id(`bench-p-deposit-${n++}`))).wait();
  }
  for (const who of [alice, bob]) await (await coin.connect(who).approve(await parking.getAddress(), MaxUint256)).wait();

  const terms = {
    district: 1,
    geohash: "0x7370757a7362636400000000",
    descriptionHash: ethers.id("a covered spot"),
    hourlyRate: 2_000_000,
    dailyCap: 0,
    presetId: 1,
    checkIn: false,
    deposit: 0,
    weeklyAvailability: ALL_HOURS,
  };
  const list = await gasOf(parking.connect(owner).list(terms));
  await (await parking.connect(owner).list({ ...terms, checkIn: true, deposit: 10_000_000 })).wait();

  const now = (await ethers.provider.getBlock("latest"))!.timestamp;
  const week = Math.floor((now + MONDAY_OFFSET) / WEEK) * WEEK - MONDAY_OFFSET + 2 * WEEK;
  const at = (h: number) => week + h * HOUR;
  await (await parking.connect(bob).book(1, at(8), at(10), MaxUint256)).wait();
  const book = await gasOf(parking.connect(alice).book(1, at(12), at(14), MaxUint256));
  const cancel = await gasOf(parking.connect(alice).cancel(idOf(1, at(12))));

  await (await parking.connect(bob).book(2, at(8), at(10), MaxUint256)).wait();
  await (await parking.connect(alice).book(2, at(12), at(14), MaxUint256)).wait();
  await (await parking.connect(bob).book(1, at(20), at(22), MaxUint256)).wait();
  await hre.network.provider.send("evm_setNextBlockTimestamp", [at(12) + 60]);
  const checkIn = await gasOf(parking.connect(alice).checkIn(idOf(2, at(12))));
  await (await parking.connect(alice).openDispute(idOf(2, at(12)))).wait();
  const resolveDispute = await gasOf(parking.connect(arbiter).resolveDispute(idOf(2, at(12)), 5_000_000n, ethers.id("decision")));
  await hre.network.provider.send("evm_setNextBlockTimestamp", [at(22) + 48 * HOUR]);
  await (await parking.payout(idOf(1, at(8)))).wait();
  const payout = await gasOf(parking.payout(idOf(1, at(20))));

  return {
    "parking.list": { gas: list },
    "parking.book": { gas: book, baseline: setUser + transfer },
    "parking.cancel": { gas: cancel },
    "parking.checkIn": { gas: checkIn },
    "parking.payout": { gas: payout },
    "parking.resolveDispute": { gas: resolveDispute },
  };
}

/** ParkingExchange booking id: the spot in the high bits, the start hour in the low 32. */
function idOf(spotId: number, start: number): bigint {
  return (BigInt(spotId) << 32n) | BigInt(start / HOUR);
}
