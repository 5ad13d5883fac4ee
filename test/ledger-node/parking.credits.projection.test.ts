/**
 * The parking projection follows what issue 13 added to ParkingExchange, from the real contract's logs: settlement
 * shares CityCoin refused are credits (`PaymentCredited`, `CreditWithdrawn`), a key recovery re-points a party's
 * spots, bookings, credit and marks (`PartyMigrated`), and a spot's blocked days stay bounded (past days dropped, the
 * contract refusing days beyond its horizon). Every figure is compared with the contract's views.
 */
import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { CityEventDecoder } from "@cityledger/sdk/ledger";
import type { DecodedEntry } from "../../ledger-node/src/types";
import { ProjectionEngine, canonicalJson } from "../../ledger-node/src/projections";
import { createQueries, parkingProjection } from "../../ledger-node/src/domains";
import { buildApp } from "../../ledger-node/src/api/app";
import { UpdateBus } from "../../ledger-node/src/updates";
import type { NodeContext } from "../../ledger-node/src/context";
import { creditsScenario } from "../parking/helpers";
import { cityLogs } from "./projections.scenario.test";

describe("parking projection: credits, key recovery and bounded blocked days", () => {
  let f: Awaited<ReturnType<typeof creditsScenario>>;
  let engine: ProjectionEngine;
  let entries: DecodedEntry[];

  before(async () => {
    f = await loadFixture(creditsScenario);
    const logs = await cityLogs(f);
    const decoder = new CityEventDecoder(f.record);
    const stamps = new Map<bigint, number>();
    entries = [];
    for (const [seq, log] of logs.entries()) {
      if (!stamps.has(log.blockNumber)) stamps.set(log.blockNumber, (await hre.ethers.provider.getBlock(log.blockNumber))!.timestamp);
      const event = decoder.decode(log);
      if (event) entries.push({ seq, log, event, timestamp: stamps.get(log.blockNumber)! });
    }
    engine = new ProjectionEngine();
    engine.apply(entries);
  });

  it("sees PaymentCredited, CreditWithdrawn and PartyMigrated", () => {
    const names = new Set(entries.filter((e) => e.event.contract === "ParkingExchange").map((e) => e.event.name));
    for (const n of ["PaymentCredited", "CreditWithdrawn", "PartyMigrated"]) expect(names, n).to.include(n);
  });

  it("credits match creditOf, and escrow + Σ credits is the exchange's balance", async () => {
    const s = engine.state(parkingProjection);
    for (const who of [f.alice, f.owner, f.fresh, f.owner2, f.bob]) {
      expect(s.credits.get(who.address.toLowerCase()) ?? 0n, who.address).to.equal(await f.parking.creditOf(who));
    }
    expect(s.credits.get(f.owner2.address.toLowerCase())).to.be.greaterThan(0n);
    expect(s.escrow + s.creditTotal).to.equal(await f.coin.balanceOf(f.parking));
  });

  it("re-points the recovered owner's spots, bookings and marks to the new key, as holderOf does", async () => {
    const s = engine.state(parkingProjection);
    const fresh = f.fresh.address.toLowerCase();
    expect(s.spots.get(f.spot1.toString())!.owner).to.equal(fresh);
    expect((await f.parking.spot(f.spot1)).owner.toLowerCase()).to.equal(fresh);
    for (const b of s.bookings.filter((b) => b.spotId === f.spot1)) expect(b.owner).to.equal(fresh);
    expect(s._bookingsByMember.has(f.owner.address.toLowerCase())).to.equal(false);
    expect(s._bookingsByMember.get(fresh)).to.have.length(2);
    expect(s.ownerCancellations.get(fresh)).to.equal(1);
    expect(await f.parking.ownerCancellations(f.fresh)).to.equal(1n);
  });

  it("keeps only the blocked days from the latest event's day on", async () => {
    const s = engine.state(parkingProjection);
    const days = [...s.spots.get(f.spot1.toString())!.blockedDays].sort((a, b) => a - b);
    expect(days).to.deep.equal([f.later + 1, f.today + 300]); // today + 1 and today + 2 are past: dropped
    for (const d of days) expect(await f.parking.isDayBlocked(f.spot1, d)).to.equal(true);
  });

  it("serves a member's credit at /v1/parking/members/:address/credit", async () => {
    const ctx = { updates: new UpdateBus(), chainId: 31337 } as unknown as NodeContext;
    const app = await buildApp(ctx, { queries: createQueries(engine), docs: false });
    try {
      const held = await app.inject({ url: `/v1/parking/members/${f.owner2.address.toLowerCase()}/credit` });
      expect(held.statusCode, held.body).to.equal(200);
      expect(held.json()).to.deep.equal({ account: f.owner2.address, credit: (await f.parking.creditOf(f.owner2)).toString() });
      expect((await app.inject({ url: `/v1/parking/members/${f.alice.address}/credit` })).json().credit).to.equal("0");
      expect((await app.inject({ url: "/v1/parking/members/0x12/credit" })).statusCode).to.equal(400);
    } finally {
      await app.close();
    }
  });

  it("encodes and decodes the credits (the same state hash after a round trip)", () => {
    const s = engine.state(parkingProjection);
    const back = parkingProjection.decode(JSON.parse(canonicalJson(parkingProjection.encode(s))));
    expect(back.creditTotal).to.equal(s.creditTotal);
    expect([...back.credits]).to.deep.equal([...s.credits]);
  });
});
