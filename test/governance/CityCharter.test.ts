import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { CHARTER_BOUNDS, DEFAULT_CHARTER, type CharterInput } from "../../scripts/lib/governance";
import { CONSTITUTIONAL_ROLES, Roles } from "../../scripts/lib/roles";
import { cityFixture } from "../fixtures";
import { COLLEGE_SIZES, charterOf, populate } from "./helpers";

/** A CityCharter whose governance is a plain signer, over a city with members in the four colleges. */
async function charterFixture() {
  const f = await cityFixture();
  await populate(f, COLLEGE_SIZES);
  const [, , , , , , , , governance] = await hre.ethers.getSigners();
  const charter = await (await hre.ethers.getContractFactory("CityCharter", f.admin)).deploy(
    governance.address,
    await f.registry.getAddress(),
    DEFAULT_CHARTER,
    [{ target: await f.ledgerAnchor.getAddress(), selector: f.ledgerAnchor.interface.getFunction("setWitnesses")!.selector }],
  );
  return { ...f, charter, governance };
}

const four = (weights: [number, number, number, number], quorum = 1_000): CharterInput =>
  charterOf(weights.map((w, c) => [c, w, quorum] as [number, number, number]));

describe("CityCharter: bounds and versions", function () {
  it("mirrors its bounds in scripts/lib/governance.ts", async function () {
    const { charter } = await loadFixture(charterFixture);
    expect(await charter.MIN_COLLEGES()).to.equal(CHARTER_BOUNDS.minColleges);
    expect(await charter.MAX_COLLEGES()).to.equal(CHARTER_BOUNDS.maxColleges);
    expect(await charter.MIN_WEIGHT_BPS()).to.equal(CHARTER_BOUNDS.minWeightBps);
    expect(await charter.MAX_WEIGHT_BPS()).to.equal(CHARTER_BOUNDS.maxWeightBps);
    expect(await charter.MIN_APPROVAL_BPS()).to.equal(CHARTER_BOUNDS.minApprovalBps);
    expect(await charter.MAX_THRESHOLD_BPS()).to.equal(CHARTER_BOUNDS.maxThresholdBps);
    expect(await charter.MIN_SUPER_MAJORITY_BPS()).to.equal(CHARTER_BOUNDS.minSuperMajorityBps);
    expect(await charter.MIN_VETO_BPS()).to.equal(CHARTER_BOUNDS.minVetoBps);
  });

  it("stores version 1 at deployment and reads it back, packed and whole", async function () {
    const { charter } = await loadFixture(charterFixture);
    expect(await charter.version()).to.equal(1);
    const c = await charter.charter(1);
    expect(c.colleges.map((r) => [Number(r.college), Number(r.weightBps), Number(r.quorumBps)])).to.deep.equal(
      DEFAULT_CHARTER.colleges.map((r) => [r.college, r.weightBps, r.quorumBps]),
    );
    expect([c.approvalThresholdBps, c.superMajorityBps, c.cosignShareBps, c.vetoCollege, c.vetoThresholdBps].map(Number)).to.deep.equal([
      DEFAULT_CHARTER.approvalThresholdBps,
      DEFAULT_CHARTER.superMajorityBps,
      DEFAULT_CHARTER.cosignShareBps,
      DEFAULT_CHARTER.vetoCollege,
      DEFAULT_CHARTER.vetoThresholdBps,
    ]);
    const [weights, quorums] = await charter.packedRules(1);
    for (const r of DEFAULT_CHARTER.colleges) {
      expect((weights >> BigInt(16 * r.college)) & 0xffffn).to.equal(BigInt(r.weightBps));
      expect((quorums >> BigInt(16 * r.college)) & 0xffffn).to.equal(BigInt(r.quorumBps));
    }
    expect(await charter.current()).to.deep.equal([1n, 0b1111n]);
    expect((await charter.charter(2)).colleges).to.have.length(0);
  });

  it("only governance replaces the charter; a new version is evented with every field", async function () {
    const { charter, governance, outsider } = await loadFixture(charterFixture);
    const next = four([4_000, 3_000, 2_000, 1_000]);
    await expect(charter.connect(outsider).setCharter(next))
      .to.be.revertedWithCustomError(charter, "CityCharterOnlyGovernance")
      .withArgs(outsider.address);
    const tx = charter.connect(governance).setCharter(next);
    await expect(tx).to.emit(charter, "CharterSet");
    const receipt = await (await tx).wait();
    const event = charter.interface.parseLog(receipt!.logs[0])!;
    expect(event.args.version).to.equal(2);
    expect(event.args.charter.colleges.map((r: { weightBps: bigint }) => Number(r.weightBps))).to.deep.equal([4_000, 3_000, 2_000, 1_000]);
    expect(Number(event.args.charter.vetoThresholdBps)).to.equal(next.vetoThresholdBps);
    expect(await charter.version()).to.equal(2);
    expect((await charter.charter(1)).colleges[0].weightBps).to.equal(2_500n);
  });

  it("rejects a college weighing 9% or 51%, and weights not summing to 100%", async function () {
    const { charter, governance } = await loadFixture(charterFixture);
    const c = charter.connect(governance);
    await expect(c.setCharter(four([900, 4_100, 2_500, 2_500])))
      .to.be.revertedWithCustomError(charter, "CityCharterWeightOutOfBounds")
      .withArgs(0, 900, 1_000, 5_000);
    await expect(c.setCharter(four([5_100, 1_900, 1_500, 1_500])))
      .to.be.revertedWithCustomError(charter, "CityCharterWeightOutOfBounds")
      .withArgs(0, 5_100, 1_000, 5_000);
    await expect(c.setCharter(four([2_500, 2_500, 2_500, 2_400])))
      .to.be.revertedWithCustomError(charter, "CityCharterWeightsSum")
      .withArgs(9_900);
    await expect(c.setCharter(four([2_500, 2_500, 2_500, 2_600])))
      .to.be.revertedWithCustomError(charter, "CityCharterWeightsSum")
      .withArgs(10_100);
    // The boundaries themselves are allowed: 10% and 50%.
    await expect(c.setCharter(charterOf([[0, 5_000, 1_000], [1, 4_000, 1_000], [2, 1_000, 1_000]]))).to.emit(charter, "CharterSet");
  });

  it("rejects fewer than three colleges, more than sixteen, ids out of order or out of range", async function () {
    const { charter, governance } = await loadFixture(charterFixture);
    const c = charter.connect(governance);
    await expect(c.setCharter(charterOf([[0, 5_000, 1_000], [1, 5_000, 1_000]])))
      .to.be.revertedWithCustomError(charter, "CityCharterCollegeCount")
      .withArgs(2, 3, 16);
    const seventeen = charterOf(Array.from({ length: 17 }, (_, i) => [i, 1_000, 1_000] as [number, number, number]));
    await expect(c.setCharter(seventeen)).to.be.revertedWithCustomError(charter, "CityCharterCollegeCount").withArgs(17, 3, 16);
    await expect(c.setCharter(charterOf([[1, 3_000, 1_000], [0, 3_000, 1_000], [2, 4_000, 1_000]])))
      .to.be.revertedWithCustomError(charter, "CityCharterCollegesNotAscending")
      .withArgs(0);
    await expect(c.setCharter(charterOf([[0, 3_000, 1_000], [0, 3_000, 1_000], [2, 4_000, 1_000]])))
      .to.be.revertedWithCustomError(charter, "CityCharterCollegesNotAscending")
      .withArgs(0);
    await expect(c.setCharter(charterOf([[0, 3_000, 1_000], [1, 3_000, 1_000], [16, 4_000, 1_000]])))
      .to.be.revertedWithCustomError(charter, "CityCharterCollegeOutOfRange")
      .withArgs(16, 16);
  });

  it("rejects quorums of 0 or above 100%, thresholds and shares out of bounds, a veto college outside the charter", async function () {
    const { charter, governance } = await loadFixture(charterFixture);
    const c = charter.connect(governance);
    await expect(c.setCharter(four([2_500, 2_500, 2_500, 2_500], 0)))
      .to.be.revertedWithCustomError(charter, "CityCharterQuorumOutOfBounds")
      .withArgs(0, 0);
    await expect(c.setCharter(four([2_500, 2_500, 2_500, 2_500], 10_001)))
      .to.be.revertedWithCustomError(charter, "CityCharterQuorumOutOfBounds")
      .withArgs(0, 10_001);
    const base = four([2_500, 2_500, 2_500, 2_500]);
    await expect(c.setCharter({ ...base, approvalThresholdBps: 4_999 }))
      .to.be.revertedWithCustomError(charter, "CityCharterThresholdOutOfBounds")
      .withArgs(4_999, 5_000, 9_999);
    await expect(c.setCharter({ ...base, approvalThresholdBps: 10_000 }))
      .to.be.revertedWithCustomError(charter, "CityCharterThresholdOutOfBounds")
      .withArgs(10_000, 5_000, 9_999);
    await expect(c.setCharter({ ...base, superMajorityBps: 6_665 }))
      .to.be.revertedWithCustomError(charter, "CityCharterSuperMajorityOutOfBounds")
      .withArgs(6_665, 6_666, 9_999);
    await expect(c.setCharter({ ...base, approvalThresholdBps: 7_000, superMajorityBps: 6_900 }))
      .to.be.revertedWithCustomError(charter, "CityCharterSuperMajorityOutOfBounds")
      .withArgs(6_900, 7_000, 9_999);
    await expect(c.setCharter({ ...base, superMajorityBps: 10_000 }))
      .to.be.revertedWithCustomError(charter, "CityCharterSuperMajorityOutOfBounds")
      .withArgs(10_000, 6_666, 9_999);
    await expect(c.setCharter({ ...base, cosignShareBps: 0 }))
      .to.be.revertedWithCustomError(charter, "CityCharterCosignShareOutOfBounds")
      .withArgs(0);
    await expect(c.setCharter({ ...base, cosignShareBps: 10_001 }))
      .to.be.revertedWithCustomError(charter, "CityCharterCosignShareOutOfBounds")
      .withArgs(10_001);
    await expect(c.setCharter({ ...base, vetoCollege: 5 }))
      .to.be.revertedWithCustomError(charter, "CityCharterVetoCollegeNotInCharter")
      .withArgs(5);
    await expect(c.setCharter({ ...base, vetoCollege: 200 }))
      .to.be.revertedWithCustomError(charter, "CityCharterVetoCollegeNotInCharter")
      .withArgs(200);
    await expect(c.setCharter({ ...base, vetoThresholdBps: 499 }))
      .to.be.revertedWithCustomError(charter, "CityCharterVetoThresholdOutOfBounds")
      .withArgs(499, 500, 10_000);
    await expect(c.setCharter({ ...base, vetoThresholdBps: 10_001 }))
      .to.be.revertedWithCustomError(charter, "CityCharterVetoThresholdOutOfBounds")
      .withArgs(10_001, 500, 10_000);
  });

  it("rejects a charter naming a college with zero members (the first one, at deployment, may: nobody is registered yet)", async function () {
    const { charter, governance, council, registry } = await loadFixture(charterFixture);
    await (await registry.connect(council).configureCollege(4, "NEIGHBOURHOODS", true)).wait();
    await expect(charter.connect(governance).setCharter(charterOf([[0, 3_000, 1_000], [1, 3_000, 1_000], [4, 4_000, 1_000]])))
      .to.be.revertedWithCustomError(charter, "CityCharterEmptyCollege")
      .withArgs(4);
    await charter.requirePopulated();
  });

  describe("constitutional roles", function () {
    it("start as every role but ARBITER and RELAYER: the list scripts/lib/roles.ts names, evented at deployment", async function () {
      const { charter } = await loadFixture(charterFixture);
      const mask = await charter.constitutionalRoles();
      expect(mask).to.equal(await charter.DEFAULT_CONSTITUTIONAL_ROLES());
      for (const [name, role] of Object.entries(Roles)) {
        const expected = name === "ADMIN" || CONSTITUTIONAL_ROLES.includes(name as (typeof CONSTITUTIONAL_ROLES)[number]);
        if (name === "ADMIN") continue; // ADMIN is always constitutional, whatever its bit says.
        expect(((mask >> role) & 1n) === 1n, name).to.equal(expected);
      }
      await expect(charter.deploymentTransaction()).to.emit(charter, "ConstitutionalRolesSet").withArgs(mask);
    });

    it("only governance changes them, evented", async function () {
      const { charter, governance, admin } = await loadFixture(charterFixture);
      await expect(charter.connect(admin).setConstitutionalRoles(0n))
        .to.be.revertedWithCustomError(charter, "CityCharterOnlyGovernance")
        .withArgs(admin.address);
      await expect(charter.connect(governance).setConstitutionalRoles(1n << Roles.ISSUER)).to.emit(charter, "ConstitutionalRolesSet").withArgs(1n << Roles.ISSUER);
      expect(await charter.constitutionalRoles()).to.equal(1n << Roles.ISSUER);
    });

    it("decide which grants need the super-majority; ADMIN and role ids of 256 and above always do", async function () {
      const { charter, governance, authority, outsider } = await loadFixture(charterFixture);
      const target = await authority.getAddress();
      const grant = (role: bigint) => authority.interface.encodeFunctionData("grantRole", [role, outsider.address, 0]);
      const ask = (data: string) => charter.isConstitutional([target], [data]);
      expect(await ask(grant(Roles.REGISTRAR))).to.equal(true);
      expect(await ask(grant(Roles.ARBITER))).to.equal(false);
      // Only ISSUER constitutional now, bit 0 cleared: ADMIN stays constitutional, REGISTRAR becomes ordinary.
      await (await charter.connect(governance).setConstitutionalRoles(1n << Roles.ISSUER)).wait();
      expect(await ask(grant(Roles.REGISTRAR))).to.equal(false);
      expect(await ask(grant(Roles.ISSUER))).to.equal(true);
      expect(await ask(grant(Roles.ADMIN))).to.equal(true);
      expect(await ask(grant(256n))).to.equal(true);
      // Calls to the charter itself and to its governance (the timelock) are constitutional.
      expect(await charter.isConstitutional([await charter.getAddress()], ["0x"])).to.equal(true);
      expect(await charter.isConstitutional([governance.address], ["0x"])).to.equal(true);
      expect(await charter.isConstitutional([], [])).to.equal(false);
    });

    it("name single calls constitutional: LedgerAnchor.setWitnesses from the deployment, others only by governance, evented", async function () {
      const { charter, governance, admin, ledgerAnchor, coin, outsider } = await loadFixture(charterFixture);
      const setWitnesses = ledgerAnchor.interface.getFunction("setWitnesses")!.selector;
      const setFee = coin.interface.getFunction("setRedemptionFee")!.selector;
      const anchor = await ledgerAnchor.getAddress();
      await expect(charter.deploymentTransaction()).to.emit(charter, "ConstitutionalCallSet").withArgs(anchor, setWitnesses, true);
      expect(await charter.isConstitutionalCall(anchor, setWitnesses)).to.equal(true);
      const witnesses = ledgerAnchor.interface.encodeFunctionData("setWitnesses", [[outsider.address], 1]);
      expect(await charter.isConstitutional([anchor], [witnesses])).to.equal(true);
      const fee = coin.interface.encodeFunctionData("setRedemptionFee", [200]);
      expect(await charter.isConstitutional([await coin.getAddress()], [fee])).to.equal(false);
      await expect(charter.connect(admin).setConstitutionalCall(await coin.getAddress(), setFee, true))
        .to.be.revertedWithCustomError(charter, "CityCharterOnlyGovernance")
        .withArgs(admin.address);
      await expect(charter.connect(governance).setConstitutionalCall(await coin.getAddress(), setFee, true))
        .to.emit(charter, "ConstitutionalCallSet")
        .withArgs(await coin.getAddress(), setFee, true);
      expect(await charter.isConstitutional([await coin.getAddress()], [fee])).to.equal(true);
      await (await charter.connect(governance).setConstitutionalCall(anchor, setWitnesses, false)).wait();
      expect(await charter.isConstitutional([anchor], [witnesses])).to.equal(false);
    });
  });
});
