/**
 * The audit's `energy.escrow` check on a market where orders were evicted, a member was suspended with money in the
 * market (held for it) and another recovered its key (its balance and orders moved): the check balances, and hiding an
 * eviction or a key-recovery move is caught.
 */
import { expect } from "chai";
import { Wallet, id } from "ethers";
import hre from "hardhat";
import { loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { MemoryTree } from "../../sdk/src/merkle";
import { leafFromLog } from "../../sdk/src/ledger";
import { EventIndex } from "../../scripts/audit/events";
import { energyCheck } from "../../scripts/audit/checks";
import type { AuditContext, CheckResult } from "../../scripts/audit/types";
import type { NodeDeployment } from "../../ledger-node/src/node";
import type { RawLog } from "../../ledger-node/src/types";
import { MIGRATION_DELAY } from "../fixtures";
import { publicClient } from "../sdk/helpers";
import { cityLogs } from "../ledger-node/projections.scenario.test";
import { SLOT, energyFixture, meterKey, orderIdOf, signReading } from "../energy/helpers";

async function scenario() {
  const f = await energyFixture();
  const m = f.market;
  await (await m.connect(f.council).setMaxOrdersPerSlot(2)).wait();
  await (await m.connect(f.sol).ask(f.slot, f.solMeter, 100, 100_000)).wait();
  await (await m.connect(f.ann).bid(f.slot, f.annMeter, 100, 200_000)).wait();
  // full: ray's better ask evicts sol's
  await (await m.connect(f.ray).ask(f.slot, f.rayMeter, 100, 90_000)).wait();
  await time.increaseTo(f.closesAt);
  await (await m.clear(f.slot)).wait();
  await time.increaseTo((f.slot + 1) * SLOT);
  await (await m.settle(f.slot, [await signReading(f, meterKey(f, f.rayMeter), { slot: f.slot, producedWh: 100 })])).wait();
  // ray is suspended with its revenue in the market; ann recovers her key
  await (await f.registry.connect(f.registrar).suspend(f.ray.address, id("audit"))).wait();
  const annKey = Wallet.createRandom().connect(hre.ethers.provider);
  await setBalance(annKey.address, 10n ** 20n);
  await (await f.registry.connect(f.registrar).startMigration(f.ann.address, annKey.address)).wait();
  await (await f.registry.connect(f.orchestrator).approveMigration(f.ann.address)).wait();
  await time.increase(MIGRATION_DELAY);
  await (await f.registry.completeMigration(f.ann.address)).wait();
  await (await m.connect(f.sol).claimRefund()).wait();
  // the new key claims what moved (it never deposited: its claim is exactly the moved balance)
  await (await m.connect(annKey).claimRefund()).wait();
  return { ...f, annNew: annKey.address, evicted: orderIdOf(f.slot, 1) };
}

describe("audit: energy.escrow with evictions, held balances and key recoveries", function () {
  async function run(f: Awaited<ReturnType<typeof scenario>>, logs: RawLog[]): Promise<CheckResult[]> {
    const tree = new MemoryTree();
    for (const log of logs) tree.appendHash(leafFromLog(log));
    const deployment = f.record as unknown as NodeDeployment;
    const ctx: AuditContext = {
      deployment,
      client: publicClient as unknown as AuditContext["client"],
      block: await publicClient.getBlockNumber(),
      logs,
      tree,
      events: new EventIndex(logs, deployment.contracts),
      options: {},
      log: () => {},
    };
    return energyCheck.run(ctx);
  }

  it("balances: the market holds what it owes, a suspended member's money included", async function () {
    const f = await loadFixture(scenario);
    const results = await run(f, await cityLogs(f));
    expect(results.filter((r) => r.status === "fail")).to.deep.equal([]);
    const held = await f.market.balanceOf(f.ray.address);
    expect(held > 0n).to.equal(true);
    expect(await f.market.balanceOf(f.annNew)).to.equal(0);
    expect(await f.coin.balanceOf(f.market)).to.equal(held);
  });

  for (const [hidden, claimant] of [["OrderEvicted", "sol"], ["BalanceMigrated", "annNew"]] as const) {
    it(`catches a hidden ${hidden}: the claim that followed it is more than the events gave`, async function () {
      const f = await loadFixture(scenario);
      const logs = await cityLogs(f);
      const index = new EventIndex(logs, (f.record as unknown as NodeDeployment).contracts);
      const event = index.of("EnergyMarket").find((e) => e.name === hidden)!;
      expect(event, hidden).to.not.equal(undefined);
      const bad = (await run(f, logs.filter((_, seq) => seq !== event.seq))).filter((r) => r.status === "fail");
      const who = claimant === "sol" ? f.sol.address : f.annNew;
      // the claim's entry number in the shortened log: one less, the hidden entry came before it
      expect(bad.map((r) => r.record)).to.include(`entry ${index.of("EnergyMarket").find((e) => e.name === "RefundClaimed" && e.args.account === who)!.seq - 1} (RefundClaimed, ${who})`);
    });
  }
});
