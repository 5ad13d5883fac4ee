import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { id } from "ethers";
import { MIGRATION_DELAY, cityFixture, issue, register } from "../fixtures";
import { Roles } from "../../scripts/lib/roles";

const coins = (n: number) => BigInt(n) * 10n ** 6n;

/** Alice, a member holding €50; the registrar's own fresh key; a new key alice really asked for. */
async function victimFixture() {
  const f = await cityFixture();
  const [alice, registrarKey, aliceNewKey] = f.people;
  await register(f, alice);
  await issue(f, alice, coins(50));
  return { ...f, alice, registrarKey, aliceNewKey };
}

describe("Registrar capture (issue 13, item 4): a migration needs a second party, and the member can always cancel", function () {
  it("a REGISTRAR alone cannot take a member's balance (suspend, migrate to itself, wait, complete, reinstate)", async function () {
    const f = await loadFixture(victimFixture);
    const r = f.registry.connect(f.registrar);
    await (await r.suspend(f.alice.address, id("pretext"))).wait();
    await (await r.startMigration(f.alice.address, f.registrarKey.address)).wait();
    await time.increase(MIGRATION_DELAY + 1);
    await expect(f.registry.completeMigration(f.alice.address))
      .to.be.revertedWithCustomError(f.registry, "CityRegistryMigrationNotApproved")
      .withArgs(f.alice.address);
    // The registrar cannot approve its own migration either, even holding the approving role as well.
    await (await f.authority.connect(f.admin).grantRole(Roles.ORCHESTRATOR, f.registrar.address, 0)).wait();
    await expect(r.approveMigration(f.alice.address))
      .to.be.revertedWithCustomError(f.registry, "CityRegistryApprovalByStarter")
      .withArgs(f.registrar.address, f.alice.address);
    expect(await f.coin.balanceOf(f.alice.address)).to.equal(coins(50));
    expect(await f.coin.balanceOf(f.registrarKey.address)).to.equal(0n);
  });

  it("the suspended member cancels a migration of its own membership", async function () {
    const f = await loadFixture(victimFixture);
    const r = f.registry.connect(f.registrar);
    await (await r.suspend(f.alice.address, id("pretext"))).wait();
    await (await r.startMigration(f.alice.address, f.registrarKey.address)).wait();
    await expect(f.registry.connect(f.alice).cancelMigration(f.alice.address))
      .to.emit(f.registry, "MigrationCancelled")
      .withArgs(f.alice.address, f.registrarKey.address, f.alice.address);
    expect((await f.registry.migrationOf(f.alice.address)).to).to.equal("0x0000000000000000000000000000000000000000");
  });

  it("a lost key is recovered with the orchestrator's approval (a second role), evented", async function () {
    const f = await loadFixture(victimFixture);
    await (await f.registry.connect(f.registrar).startMigration(f.alice.address, f.aliceNewKey.address)).wait();
    await expect(f.registry.connect(f.orchestrator).approveMigration(f.alice.address))
      .to.emit(f.registry, "MigrationApproved")
      .withArgs(f.alice.address, f.aliceNewKey.address, f.orchestrator.address);
    const pending = await f.registry.migrationOf(f.alice.address);
    expect([pending.approved, pending.startedBy]).to.deep.equal([true, f.registrar.address]);
    await expect(f.registry.connect(f.orchestrator).approveMigration(f.alice.address))
      .to.be.revertedWithCustomError(f.registry, "CityRegistryMigrationAlreadyApproved")
      .withArgs(f.alice.address);
    await expect(f.registry.completeMigration(f.alice.address)).to.be.revertedWithCustomError(f.registry, "CityRegistryMigrationNotReady");
    await time.increase(MIGRATION_DELAY + 1);
    await expect(f.registry.completeMigration(f.alice.address)).to.emit(f.coin, "BalanceMigrated").withArgs(f.alice.address, f.aliceNewKey.address, coins(50));
  });

  it("a member who still has the old key consents by approving it; nobody else may", async function () {
    const f = await loadFixture(victimFixture);
    await (await f.registry.connect(f.registrar).startMigration(f.alice.address, f.aliceNewKey.address)).wait();
    for (const who of [f.aliceNewKey, f.issuer, f.guardian, f.outsider, f.registrar]) {
      await expect(f.registry.connect(who).approveMigration(f.alice.address))
        .to.be.revertedWithCustomError(f.registry, "CityRegistryUnauthorizedApproval")
        .withArgs(who.address, f.alice.address);
    }
    await expect(f.registry.connect(f.alice).approveMigration(f.alice.address))
      .to.emit(f.registry, "MigrationApproved")
      .withArgs(f.alice.address, f.aliceNewKey.address, f.alice.address);
    await expect(f.registry.connect(f.orchestrator).approveMigration(f.outsider.address))
      .to.be.revertedWithCustomError(f.registry, "CityRegistryNoMigration")
      .withArgs(f.outsider.address);
  });
});
