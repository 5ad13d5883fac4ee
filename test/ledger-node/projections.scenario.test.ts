/**
 * The city scenario the projection and replay suites reduce (no suite here: shared by projections.test.ts and
 * replay.test.ts). Every domain moves: colleges, registrations, suspension, reinstatement, removal, an update, a
 * completed and a cancelled key migration, issues, transfers, redemptions with a fee (one settled), reserve
 * attestations, parameter changes, a pause, role grants and revocations, and an income program claimed across two
 * periods then settled.
 */
import hre from "hardhat";
import { MaxUint256, id } from "ethers";
import { getAddress, type Hex } from "viem";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { Flags, Roles } from "../../scripts/lib/roles";
import { MIGRATION_DELAY, cityFixture, coins, issue, now, register, type CityFixture } from "../fixtures";
import type { RawLog } from "../../ledger-node/src/types";

const DAY = 24 * 3600;

export async function scenarioFixture() {
  const f = await cityFixture();
  const [alice, bob, carol, dave, erin, frank, grace, heidi] = f.people;
  const r = f.registry;
  const send = async (tx: Promise<{ wait(): Promise<unknown> }>) => {
    await (await tx).wait();
  };

  // Members in every college.
  await register(f, alice);
  await register(f, bob);
  await register(f, carol, { college: 1, district: 2 });
  await register(f, dave, { college: 2, district: 3, flags: Flags.MERCHANT });
  await register(f, erin, { college: 3, district: 4, flags: Flags.ASSOCIATION });
  await register(f, frank, { college: 0, district: 1, flags: Flags.RESIDENT | Flags.PROSUMER });
  await send(f.registry.connect(f.council).configureCollege(4, "YOUTH", true));

  // Coins.
  await issue(f, alice, coins(1_000));
  await issue(f, bob, coins(500));
  await issue(f, dave, coins(300));
  await issue(f, f.admin, coins(100_000)); // the community fund, a city account: the income treasury
  await send(f.coin.connect(alice).transfer(bob.address, coins(100)));
  await send(f.coin.connect(bob).transfer(dave.address, coins(50)));
  await send(f.coin.connect(dave).transfer(frank.address, coins(25)));

  // Membership changes.
  await send(r.connect(f.registrar).suspend(carol.address, id("reason: check")));
  await send(r.connect(f.registrar).reinstate(carol.address));
  await send(r.connect(f.registrar).suspend(erin.address, id("reason: dispute")));
  await send(r.connect(f.registrar).remove(frank.address, id("reason: moved away")));
  await send(r.connect(f.registrar).update(dave.address, 2, 5, Flags.MERCHANT | Flags.PARKING_OWNER, id("dave-new-file")));

  // Key migrations: bob → grace completes (coins follow), alice → heidi is cancelled by alice.
  await send(r.connect(f.registrar).startMigration(bob.address, grace.address));
  await send(r.connect(f.orchestrator).approveMigration(bob.address));
  await send(r.connect(f.registrar).startMigration(alice.address, heidi.address));
  await send(r.connect(alice).cancelMigration(alice.address));
  await time.increase(MIGRATION_DELAY + 1);
  await send(r.connect(f.outsider).completeMigration(bob.address));

  // Redemptions (1% fee to the fund), one settled; a new attestation; parameters.
  await send(f.coin.connect(alice).redeem(coins(200)));
  await send(f.coin.connect(dave).redeem(coins(30)));
  await send(f.coin.connect(f.issuer).settleRedemption(1n, id("bank transfer 1")));
  await send(f.coin.connect(f.attester).attestReserve(coins(2_000_000), id("reserve report 2")));
  await send(f.coin.connect(f.council).setRedemptionFee(200));
  await send(f.coin.connect(f.guardian).pause());
  await send(f.coin.connect(f.guardian).unpause());

  // Roles: a grant with a delay, a revocation, a label.
  await send(f.authority.connect(f.admin).grantRole(Roles.ARBITER, heidi.address, 3600));
  await send(f.authority.connect(f.admin).grantRole(Roles.WITNESS, heidi.address, 0));
  await send(f.authority.connect(f.admin).revokeRole(Roles.WITNESS, heidi.address));
  await send(f.authority.connect(f.admin).labelRole(Roles.ARBITER, "ARBITRATOR"));

  // Basic income: CITIZENS, 3 daily periods of €10, funded by the treasury; claims in periods 0 and 1.
  const start = (await now()) + 1000;
  await send(f.income.connect(f.council).createProgram(1 << 1, 0, start, DAY, 3, coins(10)));
  await send(f.income.connect(f.council).createProgram(1 << 2, 2, start + DAY, DAY, 2, coins(5)));
  await send(f.coin.connect(f.admin).approve(await f.income.getAddress(), MaxUint256));
  await send(f.income.connect(f.admin).fund(1n, coins(1_000)));
  await send(f.income.connect(f.admin).fund(2n, coins(100)));
  await send(f.income.connect(f.council).setAmountPerPeriod(2n, coins(7)));
  await time.increaseTo(start);
  await send(f.income.connect(alice).claim(1n));
  await send(f.income.connect(grace).claim(1n));
  await time.increaseTo(start + DAY);
  await send(f.income.connect(alice).claim(1n));
  await send(f.income.connect(carol).claim(1n));
  await send(f.income.connect(dave).claim(2n));
  await send(f.income.connect(f.council).endProgram(2n));
  await time.increaseTo(start + 2 * DAY);
  await send(f.income.connect(f.outsider).openPeriod(1n));
  await send(f.income.connect(f.council).withdrawRemaining(2n, f.admin.address));
  await send(f.coin.connect(grace).transfer(alice.address, coins(5)));

  return { ...f, alice, bob, carol, dave, erin, frank, grace, heidi };
}
export type Scenario = Awaited<ReturnType<typeof scenarioFixture>>;

/** Every log of the city's contracts since deployment, as the follower would store them. */
export async function cityLogs(f: CityFixture): Promise<RawLog[]> {
  const logs = await hre.ethers.provider.getLogs({
    address: Object.values(f.record.contracts).map((c) => c.address),
    fromBlock: f.record.deployBlock,
    toBlock: "latest",
  });
  return logs.map((l) => ({
    chainId: 31337,
    blockNumber: BigInt(l.blockNumber),
    blockHash: l.blockHash as Hex,
    transactionHash: l.transactionHash as Hex,
    logIndex: l.index,
    address: getAddress(l.address),
    topics: [...l.topics] as Hex[],
    data: l.data as Hex,
  }));
}
