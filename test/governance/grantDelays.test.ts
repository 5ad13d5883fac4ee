import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { id } from "ethers";
import { GOVERNANCE_DEFAULTS, deployGovernance, grantDelayShortfalls, handOverToGovernance } from "../../scripts/lib/governance";
import { deployCity } from "../../scripts/lib/deploy";
import { CONSTITUTIONAL_ROLES, PRODUCTION_GRANT_DELAYS, Roles } from "../../scripts/lib/roles";
import { advance, freshCredential } from "../fixtures";
import { COLLEGE_SIZES, State, Support, fundedWallet, type ProposalCall } from "./helpers";
import type { Wallet } from "ethers";

/** A production city: production grant delays (in force after the authority's setback), production voting times. */
async function productionCity() {
  const [admin, registrar, issuer, attester, orchestrator, outsider] = await hre.ethers.getSigners();
  const city = await deployCity(hre, admin, {
    grants: { REGISTRAR: [registrar.address], ISSUER: [issuer.address], RESERVE_ATTESTER: [attester.address], ORCHESTRATOR: [orchestrator.address] },
    grantDelays: PRODUCTION_GRANT_DELAYS,
  });
  const colleges: Wallet[][] = [];
  for (const [college, size] of COLLEGE_SIZES.entries()) {
    const members: Wallet[] = [];
    for (let i = 0; i < size; i++) {
      const w = await fundedWallet(`production-${college}-${i}`);
      await (await city.registry.connect(registrar).register(w.address, college, 1, 1n, freshCredential())).wait();
      members.push(w);
    }
    colleges.push(members);
  }
  const gov = await deployGovernance(hre, city, admin);
  await handOverToGovernance(city, gov, admin);
  // AccessManager applies a new grant delay only after its minimum setback.
  await advance(Number(await city.authority.minSetback()));
  return { ...city, ...gov, colleges, orchestrator, outsider };
}

describe("Grant delays of constitutional roles outlast a vote to revoke (issue 13, item 4)", function () {
  it("the production delays of every constitutional role exceed voting delay + voting period + veto window", function () {
    const cycle = GOVERNANCE_DEFAULTS.votingDelay + GOVERNANCE_DEFAULTS.votingPeriod + GOVERNANCE_DEFAULTS.timelockDelay;
    for (const role of CONSTITUTIONAL_ROLES) expect(PRODUCTION_GRANT_DELAYS[role], role).to.be.greaterThan(cycle);
    expect(grantDelayShortfalls(PRODUCTION_GRANT_DELAYS, CONSTITUTIONAL_ROLES)).to.deep.equal([]);
    // The delays the city had before (REGISTRAR 1 day, none for ORCHESTRATOR …) fall short, and are named.
    const before = { REGISTRAR: 86_400, ISSUER: 172_800, GUARDIAN: 86_400, COUNCIL: 172_800 };
    expect(grantDelayShortfalls(before, CONSTITUTIONAL_ROLES).map((s) => s.role)).to.deep.equal([...CONSTITUTIONAL_ROLES]);
  });

  it("a regretted REGISTRAR grant, passed by a super-majority, is revoked by a second vote before it takes effect", async function () {
    const f = await loadFixture(productionCity);
    const { votingDelay, votingPeriod, timelockDelay } = GOVERNANCE_DEFAULTS;
    const pass = async (p: ProposalCall) => {
      await (await f.governor.connect(f.orchestrator).propose(p.targets, p.values, p.calldatas, p.description)).wait();
      const pid = await f.governor.hashProposal(p.targets, p.values, p.calldatas, id(p.description));
      await advance(votingDelay + 1);
      // 80% weighted: above the super-majority both proposals need.
      for (const [college, n] of [[0, 2], [1, 3], [2, 2]] as const) {
        for (let i = 0; i < n; i++) await (await f.governor.connect(f.colleges[college][i]).castVote(pid, Support.For)).wait();
      }
      for (let i = 0; i < 2; i++) await (await f.governor.connect(f.colleges[3][i]).castVote(pid, Support.Against)).wait();
      await advance(votingPeriod + 1);
      expect(await f.governor.state(pid)).to.equal(State.Succeeded);
      await (await f.governor.queue(p.targets, p.values, p.calldatas, id(p.description))).wait();
      await advance(timelockDelay + 1);
      await (await f.governor.execute(p.targets, p.values, p.calldatas, id(p.description))).wait();
    };
    const authority = await f.authority.getAddress();
    await pass({
      targets: [authority],
      values: [0n],
      calldatas: [f.authority.interface.encodeFunctionData("grantRole", [Roles.REGISTRAR, f.outsider.address, 0])],
      description: "Appoint a registrar",
    });
    const granted = (await hre.ethers.provider.getBlock("latest"))!.timestamp;
    const [since] = await f.authority.getAccess(Roles.REGISTRAR, f.outsider.address);
    expect((await f.authority.hasRole(Roles.REGISTRAR, f.outsider.address))[0]).to.equal(false);
    expect(Number(since)).to.equal(granted + PRODUCTION_GRANT_DELAYS.REGISTRAR!);
    await expect(f.registry.connect(f.outsider).register(f.outsider.address, 1, 1, 1n, freshCredential()))
      .to.be.revertedWithCustomError(f.registry, "AccessManagedUnauthorized")
      .withArgs(f.outsider.address);

    // The city changes its mind at once: a second full vote, through the veto window.
    await pass({
      targets: [authority],
      values: [0n],
      calldatas: [f.authority.interface.encodeFunctionData("revokeRole", [Roles.REGISTRAR, f.outsider.address])],
      description: "Revoke the new registrar",
    });
    const revoked = (await hre.ethers.provider.getBlock("latest"))!.timestamp;
    expect(revoked).to.be.lessThan(granted + PRODUCTION_GRANT_DELAYS.REGISTRAR!);
    await advance(PRODUCTION_GRANT_DELAYS.REGISTRAR!);
    expect((await f.authority.hasRole(Roles.REGISTRAR, f.outsider.address))[0]).to.equal(false);
    await expect(f.registry.connect(f.outsider).register(f.outsider.address, 1, 1, 1n, freshCredential()))
      .to.be.revertedWithCustomError(f.registry, "AccessManagedUnauthorized")
      .withArgs(f.outsider.address);
  });
});
