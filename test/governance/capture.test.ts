import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { id } from "ethers";
import { Roles } from "../../scripts/lib/roles";
import {
  State,
  closeVote,
  handedOver,
  openVote,
  propose,
  queueAndExecute,
  vote,
  type GovernanceFixture,
  type ProposalCall,
} from "./helpers";

/** PUBLIC (25%) and CITIZENS (35%) for, PRIVATE_PARTNERS and ASSOCIATIONS against: 60% weighted. */
const SIXTY: [number, number, number][] = [[2, 0, 0], [3, 0, 0], [0, 2, 0], [0, 2, 0]];
/** The same, with PRIVATE_PARTNERS for as well: 80% weighted, above 2/3. */
const EIGHTY: [number, number, number][] = [[2, 0, 0], [3, 0, 0], [2, 0, 0], [0, 2, 0]];

async function grantProposal(f: GovernanceFixture, role: bigint, description: string): Promise<ProposalCall> {
  return {
    targets: [await f.authority.getAddress()],
    values: [0n],
    calldatas: [f.authority.interface.encodeFunctionData("grantRole", [role, f.outsider.address, 0])],
    description,
  };
}

async function decide(f: GovernanceFixture, p: ProposalCall, votes: [number, number, number][]): Promise<bigint> {
  const pid = await propose(f, p);
  await openVote();
  await vote(f, pid, votes);
  await closeVote();
  return pid;
}

describe("Governance capture (issue 13, item 4): who may hand out the city's powers", function () {
  it("a 60% weighted vote, two colleges against, cannot grant REGISTRAR or ISSUER to an address", async function () {
    const f = await loadFixture(handedOver);
    for (const role of [Roles.REGISTRAR, Roles.ISSUER]) {
      const p = await grantProposal(f, role, `Appoint the outsider to role ${role}`);
      const pid = await decide(f, p, SIXTY);
      expect(await f.governor.proposalRules(pid)).to.deep.equal([1n, true]);
      expect(await f.governor.weightedResult(pid)).to.deep.equal([6n * 10n ** 17n, 6_666n]);
      expect(await f.governor.state(pid)).to.equal(State.Defeated);
      await expect(f.governor.queue(p.targets, p.values, p.calldatas, id(p.description))).to.be.revertedWithCustomError(
        f.governor,
        "GovernorUnexpectedProposalState",
      );
      expect((await f.authority.hasRole(role, f.outsider.address))[0]).to.equal(false);
    }
  });

  it("the same grant with more than 2/3 passes and takes effect", async function () {
    const f = await loadFixture(handedOver);
    const p = await grantProposal(f, Roles.REGISTRAR, "Appoint a registrar, by a super-majority");
    const pid = await decide(f, p, EIGHTY);
    expect(await f.governor.state(pid)).to.equal(State.Succeeded);
    await queueAndExecute(f, p);
    expect((await f.authority.hasRole(Roles.REGISTRAR, f.outsider.address))[0]).to.equal(true);
  });

  it("setMembershipListeners (ADMIN on CityRegistry, not a CityAuthority call) at 60% is defeated", async function () {
    const f = await loadFixture(handedOver);
    const listeners = await f.registry.membershipListeners();
    const p: ProposalCall = {
      targets: [await f.registry.getAddress()],
      values: [0n],
      calldatas: [f.registry.interface.encodeFunctionData("setMembershipListeners", [[f.outsider.address]])],
      description: "Freeze membership",
    };
    const pid = await decide(f, p, SIXTY);
    expect(await f.governor.proposalRules(pid)).to.deep.equal([1n, true]);
    expect(await f.governor.state(pid)).to.equal(State.Defeated);
    expect(await f.registry.membershipListeners()).to.deep.equal(listeners);
  });

  it("replacing LedgerAnchor's witnesses (a COUNCIL function handing out the WITNESS power) at 60% is defeated", async function () {
    const f = await loadFixture(handedOver);
    const p: ProposalCall = {
      targets: [await f.ledgerAnchor.getAddress()],
      values: [0n],
      calldatas: [f.ledgerAnchor.interface.encodeFunctionData("setWitnesses", [[f.outsider.address], 1])],
      description: "Our own witness",
    };
    const pid = await decide(f, p, SIXTY);
    expect(await f.governor.proposalRules(pid)).to.deep.equal([1n, true]);
    expect(await f.governor.state(pid)).to.equal(State.Defeated);
  });
});
