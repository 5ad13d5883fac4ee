/**
 * Every membership listener the city deploys (the contracts that follow suspensions, removals and key recoveries)
 * takes its hooks from CityRegistry alone: anyone else calling `onMembershipChanged` or `onMembershipMigrated` could
 * freeze a member's money or move it to another key. One table-driven test for all of them, so a listener added later
 * is checked by being registered.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { BaseContract } from "ethers";
import { cityFixture } from "../fixtures";

describe("membership listeners", function () {
  it("every listener of the deployed city refuses both hooks from anyone but the registry (<Contract>NotRegistry)", async function () {
    const f = await loadFixture(cityFixture);
    const member = f.people[0]!;
    const candidates: [string, BaseContract][] = [
      ["CityCoin", f.coin],
      ["ParkingExchange", f.parking],
      ["MeterRegistry", f.meters],
      ["EnergyMarket", f.market],
      ["BasicIncome", f.income],
      ["ParticipatoryBudget", f.budget],
    ];
    const byAddress = new Map(await Promise.all(candidates.map(async ([name, c]) => [await c.getAddress(), [name, c]] as const)));
    const listeners = await f.registry.membershipListeners();
    // The services that follow key recoveries are exactly these; a listener not in the table fails here, not silently.
    expect([...listeners].sort()).to.deep.equal([...byAddress.keys()].sort());
    for (const address of listeners) {
      const [name, contract] = byAddress.get(address)!;
      for (const caller of [f.outsider, f.admin, f.registrar, member]) {
        const hooks = contract.connect(caller) as unknown as {
          onMembershipChanged(account: string, active: boolean): Promise<unknown>;
          onMembershipMigrated(from: string, to: string): Promise<unknown>;
        };
        await expect(hooks.onMembershipChanged(member.address, false), `${name}.onMembershipChanged from ${caller.address}`)
          .to.be.revertedWithCustomError(contract, `${name}NotRegistry`)
          .withArgs(caller.address);
        await expect(hooks.onMembershipMigrated(member.address, caller.address), `${name}.onMembershipMigrated from ${caller.address}`)
          .to.be.revertedWithCustomError(contract, `${name}NotRegistry`)
          .withArgs(caller.address);
      }
    }
  });
});
