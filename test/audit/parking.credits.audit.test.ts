/**
 * The audit's parking check over issue 13's money paths (credits to suspended parties, a withdrawal, a key recovery
 * moving a party's credit): it balances `escrow + Σ credits` against the exchange's balance, and names the records
 * when a PaymentCredited or a CreditWithdrawn is hidden from the log it audits.
 */
import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { createPublicClient, custom, type PublicClient } from "viem";
import { MemoryTree } from "../../sdk/src/merkle";
import { leafFromLog } from "../../sdk/src/ledger";
import { EventIndex } from "../../scripts/audit/events";
import { parkingCheck } from "../../scripts/audit/checks";
import type { AuditContext, CheckResult } from "../../scripts/audit/types";
import type { RawLog } from "../../ledger-node/src/types";
import { cityLogs } from "../ledger-node/projections.scenario.test";
import { creditsScenario } from "../parking/helpers";

describe("audit parking.escrow with credits", function () {
  let f: Awaited<ReturnType<typeof creditsScenario>>;
  let logs: RawLog[];
  let client: PublicClient;
  let block: bigint;

  before(async function () {
    f = await loadFixture(creditsScenario);
    logs = await cityLogs(f);
    client = createPublicClient({ transport: custom(hre.network.provider) }) as PublicClient;
    block = await client.getBlockNumber();
  });

  async function run(kept: RawLog[]): Promise<CheckResult[]> {
    const tree = new MemoryTree();
    for (const log of kept) tree.appendHash(leafFromLog(log));
    const ctx: AuditContext = {
      deployment: { ...f.record, chainId: 31337 } as unknown as AuditContext["deployment"],
      client,
      block,
      logs: kept,
      tree,
      events: new EventIndex(kept, f.record.contracts as unknown as Record<string, { address: string; abi: readonly unknown[] }>),
      options: {},
      log: () => {},
    };
    return parkingCheck.run(ctx);
  }

  function without(name: string): RawLog[] {
    const events = new EventIndex(logs, f.record.contracts as unknown as Record<string, { address: string; abi: readonly unknown[] }>).of("ParkingExchange");
    const hidden = events.find((e) => e.name === name);
    expect(hidden, name).to.not.equal(undefined);
    return logs.filter((_, seq) => seq !== hidden!.seq);
  }

  it("passes: the balance is the open escrows plus the credits held (owner2's payout)", async function () {
    const results = await run(logs);
    expect(results.filter((r) => r.status === "fail")).to.deep.equal([]);
    const balance = results.find((r) => r.record === "CityCoin.balanceOf(ParkingExchange)")!;
    expect(balance.message).to.match(/credits of 1 parties/);
    expect(balance.figures!.owed).to.equal((await f.coin.balanceOf(f.parking)).toString());
    expect(await f.parking.creditOf(f.owner2)).to.be.greaterThan(0n);
  });

  it("a hidden PaymentCredited: the withdrawal takes more than the events credit, and the balance differs", async function () {
    const bad = (await run(without("PaymentCredited"))).filter((r) => r.status === "fail");
    // alice's credit (the owner's cancellation while she was suspended) is the hidden one: her withdrawal is named.
    expect(bad).to.have.length(2);
    expect(bad[0].record).to.equal(`entry ${bad[0].record.match(/^entry (\d+)/)![1]} (CreditWithdrawn, ${f.alice.address})`);
    expect(bad[0].message).to.match(/^withdraws €[\d.]+; the events credit €0$/);
    expect(bad[1].record).to.equal("CityCoin.balanceOf(ParkingExchange)");
  });

  it("a hidden CreditWithdrawn: ParkingExchange holds less than the credits the events leave", async function () {
    const bad = (await run(without("CreditWithdrawn"))).filter((r) => r.status === "fail");
    expect(bad.map((r) => r.record)).to.deep.equal(["CityCoin.balanceOf(ParkingExchange)"]);
  });
});
