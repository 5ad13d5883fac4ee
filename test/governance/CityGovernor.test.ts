import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { id } from "ethers";
import { signBallot, signCosign } from "../../scripts/lib/governance";
import { signForwardRequest } from "../../scripts/lib/relay";
import { expectOnlyRole, roleHolders } from "../access-control";
import { now } from "../fixtures";
import { Roles } from "../../scripts/lib/roles";
import {
  State,
  Support,
  closeVote,
  deployGoverned,
  feeProposal,
  openVote,
  proposalId,
  propose,
  vote,
  type GovernanceFixture,
  type ProposalCall,
} from "./helpers";

async function withPetitions() {
  const petitions = await (await hre.ethers.getContractFactory("PetitionsMock")).deploy();
  const f = await deployGoverned({ petitions: await petitions.getAddress() });
  return { ...f, petitions };
}

/** Every member, ascending by address. */
function sortedMembers(f: GovernanceFixture) {
  return f.colleges.flat().sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
}

async function cosigned(f: GovernanceFixture, p: ProposalCall, cosigners: typeof f.colleges[0], deadline?: number) {
  const pid = await proposalId(f.governor, p);
  const until = deadline ?? (await now()) + 3600;
  return {
    pid,
    cosigned: {
      cosigners: cosigners.map((c) => c.address),
      deadline: until,
      signatures: await Promise.all(cosigners.map((c) => signCosign(f.governor, c, pid, until))),
    },
  };
}

describe("CityGovernor: who proposes, the orchestrator's bounds, gasless votes", function () {
  describe("proposals", function () {
    it("only the ORCHESTRATOR proposes directly (CityAuthority wiring)", async function () {
      const f = await loadFixture(withPetitions);
      const p = await feeProposal(f, 150);
      const pid = await proposalId(f.governor, p);
      await expectOnlyRole(f.governor, "propose(address[],uint256[],bytes[],string)", "ORCHESTRATOR", roleHolders(f), [p.targets, p.values, p.calldatas, p.description], [
        "ProposalRules",
        [pid, 1, false],
      ]);
      expect(await f.governor.proposalProposer(pid)).to.equal(f.orchestrator.address);
      expect(await f.governor.state(pid)).to.equal(State.Pending);
      expect(await f.governor.proposalRules(pid)).to.deep.equal([1n, false]);
    });

    it("a proposal calling the governor, the timelock or the charter needs the super-majority", async function () {
      const f = await loadFixture(withPetitions);
      for (const target of [f.governor, f.timelock, f.charter]) {
        const p = { targets: [await target.getAddress()], values: [0n], calldatas: ["0x"], description: `touch ${await target.getAddress()}` };
        const pid = await propose(f, p);
        expect(await f.governor.proposalRules(pid)).to.deep.equal([1n, true]);
        expect((await f.governor.weightedResult(pid))[1]).to.equal(6_666n);
      }
    });

    it("changing powers in CityAuthority needs the super-majority; appointing an ARBITER or a RELAYER does not", async function () {
      const f = await loadFixture(withPetitions);
      const authority = await f.authority.getAddress();
      const governor = await f.governor.getAddress();
      const grant = (role: bigint) => f.authority.interface.encodeFunctionData("grantRole", [role, f.outsider.address, 0]);
      const revoke = (role: bigint) => f.authority.interface.encodeFunctionData("revokeRole", [role, f.outsider.address]);
      const cases: [string, string, boolean][] = [
        ["appoint an arbiter", grant(Roles.ARBITER), false],
        ["dismiss an arbiter", revoke(Roles.ARBITER), false],
        ["appoint a relayer", grant(Roles.RELAYER), false],
        ["label a role", f.authority.interface.encodeFunctionData("labelRole", [Roles.ARBITER, "arbiters"]), false],
        ["make someone ADMIN", grant(Roles.ADMIN), true],
        ["remove the timelock as ADMIN", f.authority.interface.encodeFunctionData("revokeRole", [Roles.ADMIN, await f.timelock.getAddress()]), true],
        ["a role id beyond the charter's bits", grant(300n), true],
        ["let anyone propose", f.authority.interface.encodeFunctionData("setTargetFunctionRole", [governor, ["0x7d5e81e2"], 2n ** 64n - 1n]), true],
        ["shorten a grant delay", f.authority.interface.encodeFunctionData("setGrantDelay", [Roles.REGISTRAR, 0]), true],
        ["move the governor to another authority", f.authority.interface.encodeFunctionData("updateAuthority", [governor, f.outsider.address]), true],
        ["a short call", "0x1234", true],
      ];
      for (const name of ["REGISTRAR", "ISSUER", "ORCHESTRATOR", "METER_OPERATOR", "WITNESS", "GUARDIAN", "COUNCIL", "RESERVE_ATTESTER"] as const) {
        cases.push([`appoint a ${name}`, grant(Roles[name]), true], [`dismiss a ${name}`, revoke(Roles[name]), true]);
      }
      for (const [description, data, constitutional] of cases) {
        const pid = await propose(f, { targets: [authority], values: [0n], calldatas: [data], description });
        expect(await f.governor.proposalRules(pid), description).to.deep.equal([1n, constitutional]);
      }
    });

    it("a call needing ADMIN on any managed contract is constitutional; a COUNCIL call or a payment elsewhere is not", async function () {
      const f = await loadFixture(withPetitions);
      const cases: [string, string, string, bigint, boolean][] = [
        ["freeze membership", await f.registry.getAddress(), f.registry.interface.encodeFunctionData("setMembershipListeners", [[]]), 0n, true],
        ["an unwired coin function (errs on the safe side)", await f.coin.getAddress(), f.coin.interface.encodeFunctionData("transfer", [f.outsider.address, 1n]), 0n, true],
        ["set the redemption fee (COUNCIL)", await f.coin.getAddress(), f.coin.interface.encodeFunctionData("setRedemptionFee", [200]), 0n, false],
        ["a college's name (COUNCIL)", await f.registry.getAddress(), f.registry.interface.encodeFunctionData("configureCollege", [5, "YOUTH", true]), 0n, false],
        ["send ether to an address the authority does not manage", f.outsider.address, "0x", 1n, false],
        ["call a contract the authority does not manage", await f.forwarder.getAddress(), f.forwarder.interface.encodeFunctionData("nonces", [f.outsider.address]), 0n, false],
      ];
      for (const [description, target, data, value, constitutional] of cases) {
        const pid = await propose(f, { targets: [target], values: [value], calldatas: [data], description });
        expect(await f.governor.proposalRules(pid), description).to.deep.equal([1n, constitutional]);
      }
      // One constitutional call among ordinary ones makes the whole proposal constitutional.
      const mixed = {
        targets: [await f.coin.getAddress(), await f.registry.getAddress()],
        values: [0n, 0n],
        calldatas: [f.coin.interface.encodeFunctionData("setRedemptionFee", [200]), f.registry.interface.encodeFunctionData("setMembershipListeners", [[]])],
        description: "a fee and, hidden behind it, the listeners",
      };
      expect(await f.governor.proposalRules(await propose(f, mixed))).to.deep.equal([1n, true]);
    });

    it("a member proposes with co-signatures reaching the charter's share (5% of 22 members: 2 signers)", async function () {
      const f = await loadFixture(withPetitions);
      const [proposer, cosigner] = sortedMembers(f);
      const p = await feeProposal(f, 150);
      const { pid, cosigned: c } = await cosigned(f, p, [cosigner]);
      await expect(f.agenda.connect(proposer).proposeWithCosigners(p.targets, p.values, p.calldatas, p.description, c))
        .to.emit(f.governor, "ProposalCosigned")
        .withArgs(pid, cosigner.address)
        .and.to.emit(f.governor, "ProposalRules")
        .withArgs(pid, 1, false);
      expect(await f.governor.proposalProposer(pid)).to.equal(proposer.address);
    });

    it("a member's proposal relayed through the forwarder is the member's (gasless)", async function () {
      const f = await loadFixture(withPetitions);
      const [cosigner, proposer] = sortedMembers(f);
      const p = await feeProposal(f, 150);
      const { pid, cosigned: c } = await cosigned(f, p, [cosigner]);
      const data = f.agenda.interface.encodeFunctionData("proposeWithCosigners", [p.targets, p.values, p.calldatas, p.description, c]);
      const request = await signForwardRequest(f.forwarder, proposer, { to: await f.agenda.getAddress(), data, gas: 1_000_000n });
      await expect(f.forwarder.connect(f.relayer).execute(request)).to.emit(f.governor, "ProposalCosigned").withArgs(pid, cosigner.address);
      expect(await f.governor.proposalProposer(pid)).to.equal(proposer.address);
    });

    it("refuses co-signatures that do not add up: too few, repeated, the proposer's own, forged, expired, of non-members", async function () {
      const f = await loadFixture(withPetitions);
      const [a, b, c] = sortedMembers(f);
      const p = await feeProposal(f, 150);
      const send = (who: typeof a, cs: Awaited<ReturnType<typeof cosigned>>["cosigned"]) =>
        f.agenda.connect(who).proposeWithCosigners(p.targets, p.values, p.calldatas, p.description, cs);

      await expect(send(a, (await cosigned(f, p, [])).cosigned))
        .to.be.revertedWithCustomError(f.governor, "CityGovernorNotEnoughCosigners")
        .withArgs(1, 2);
      await expect(send(a, (await cosigned(f, p, [b, b])).cosigned))
        .to.be.revertedWithCustomError(f.governor, "CityGovernorCosignersNotAscending")
        .withArgs(b.address);
      await expect(send(a, (await cosigned(f, p, [c, b])).cosigned))
        .to.be.revertedWithCustomError(f.governor, "CityGovernorCosignersNotAscending")
        .withArgs(b.address);
      await expect(send(b, (await cosigned(f, p, [a, b])).cosigned))
        .to.be.revertedWithCustomError(f.governor, "CityGovernorDuplicateSigner")
        .withArgs(b.address);
      const forged = (await cosigned(f, p, [b])).cosigned;
      forged.signatures = [await signCosign(f.governor, c, await proposalId(f.governor, p), forged.deadline)];
      await expect(send(a, forged)).to.be.revertedWithCustomError(f.governor, "CityGovernorInvalidCosignature").withArgs(b.address);
      const expired = (await cosigned(f, p, [b], (await now()) - 1)).cosigned;
      await expect(send(a, expired)).to.be.revertedWithCustomError(f.governor, "CityGovernorCosignatureExpired").withArgs(expired.deadline);
      const mismatch = (await cosigned(f, p, [b])).cosigned;
      mismatch.signatures = [];
      await expect(send(a, mismatch)).to.be.revertedWithCustomError(f.governor, "CityGovernorCosignLengthMismatch").withArgs(1, 0);
      await expect(send(f.outsider as unknown as typeof a, (await cosigned(f, p, [b])).cosigned))
        .to.be.revertedWithCustomError(f.governor, "CityGovernorNotAMember")
        .withArgs(f.outsider.address);
      const outsiderSigned = (await cosigned(f, p, [])).cosigned;
      outsiderSigned.cosigners = [f.outsider.address];
      outsiderSigned.signatures = [await signCosign(f.governor, f.outsider, await proposalId(f.governor, p), outsiderSigned.deadline)];
      await expect(send(a, outsiderSigned)).to.be.revertedWithCustomError(f.governor, "CityGovernorNotAMember").withArgs(f.outsider.address);
    });

    it("a member removed since signing no longer co-signs (only members at the time count)", async function () {
      const f = await loadFixture(withPetitions);
      const [a, b] = sortedMembers(f);
      const p = await feeProposal(f, 150);
      const { cosigned: c } = await cosigned(f, p, [b]);
      await (await f.registry.connect(f.registrar).remove(b.address, id("left"))).wait();
      await hre.network.provider.send("evm_mine");
      await expect(f.agenda.connect(a).proposeWithCosigners(p.targets, p.values, p.calldatas, p.description, c))
        .to.be.revertedWithCustomError(f.governor, "CityGovernorNotAMember")
        .withArgs(b.address);
    });

    it("a successful petition puts exactly its proposal on the agenda, once", async function () {
      const f = await loadFixture(withPetitions);
      const p = await feeProposal(f, 150);
      const pid = await proposalId(f.governor, p);
      const submit = (petitionId: number) =>
        f.agenda.connect(f.outsider).proposeByPetition(petitionId, p.targets, p.values, p.calldatas, p.description);
      await expect(submit(1)).to.be.revertedWithCustomError(f.governor, "CityGovernorPetitionNotReached").withArgs(1);
      await (await f.petitions.setOutcome(1, true, pid + 1n)).wait();
      await expect(submit(1)).to.be.revertedWithCustomError(f.governor, "CityGovernorPetitionMismatch").withArgs(1, pid + 1n, pid);
      await (await f.petitions.setOutcome(2, true, pid)).wait();
      await expect(submit(2)).to.emit(f.governor, "ProposalPetitioned").withArgs(pid, 2);
      expect(await f.governor.proposalProposer(pid)).to.equal(await f.petitions.getAddress());
      await expect(submit(2)).to.be.revertedWithCustomError(f.governor, "GovernorUnexpectedProposalState");
    });

    it("only the agenda proposes for members: proposeFor refuses every other caller, relayed ones included", async function () {
      const f = await loadFixture(withPetitions);
      const [member, cosigner] = sortedMembers(f);
      const p = await feeProposal(f, 150);
      const args: Parameters<typeof f.governor.proposeFor> = [member.address, p.targets, p.values, p.calldatas, p.description, [cosigner.address], 0];
      expect(await f.governor.agenda()).to.equal(await f.agenda.getAddress());
      for (const caller of [member, cosigner, f.orchestrator, f.admin, f.outsider, f.relayer]) {
        await expect(f.governor.connect(caller).proposeFor(...args))
          .to.be.revertedWithCustomError(f.governor, "CityGovernorNotTheAgenda")
          .withArgs(caller.address);
      }
      // The petitions contract itself is no agenda either.
      const petitions = await hre.ethers.getImpersonatedSigner(await f.petitions.getAddress());
      await hre.network.provider.send("hardhat_setBalance", [petitions.address, "0xDE0B6B3A7640000"]);
      await expect(f.governor.connect(petitions).proposeFor(petitions.address, p.targets, p.values, p.calldatas, p.description, [], 1))
        .to.be.revertedWithCustomError(f.governor, "CityGovernorNotTheAgenda")
        .withArgs(petitions.address);
      // Nor is a member's request relayed through the forwarder (the governor reads msg.sender, not the ERC-2771 sender).
      const data = f.governor.interface.encodeFunctionData("proposeFor", [member.address, p.targets, p.values, p.calldatas, p.description, [cosigner.address], 0]);
      const request = await signForwardRequest(f.forwarder, member, { to: await f.governor.getAddress(), data, gas: 1_000_000n });
      await expect(f.forwarder.connect(f.relayer).execute(request)).to.be.revertedWithCustomError(f.forwarder, "FailedCall");
      // (the forwarder does not bubble the reason up: the same call from the forwarder's address, the member appended)
      const forwarder = await hre.ethers.getImpersonatedSigner(await f.forwarder.getAddress());
      await hre.network.provider.send("hardhat_setBalance", [forwarder.address, "0xDE0B6B3A7640000"]);
      await expect(forwarder.sendTransaction({ to: await f.governor.getAddress(), data: data + member.address.slice(2) }))
        .to.be.revertedWithCustomError(f.governor, "CityGovernorNotTheAgenda")
        .withArgs(forwarder.address);
      // The agenda itself does, and the proposal is the member's.
      const agenda = await hre.ethers.getImpersonatedSigner(await f.agenda.getAddress());
      await hre.network.provider.send("hardhat_setBalance", [agenda.address, "0xDE0B6B3A7640000"]);
      const pid = await proposalId(f.governor, p);
      await expect(f.governor.connect(agenda).proposeFor(...args))
        .to.emit(f.governor, "ProposalCosigned")
        .withArgs(pid, cosigner.address)
        .and.to.emit(f.governor, "ProposalRules")
        .withArgs(pid, 1, false)
        .and.not.to.emit(f.governor, "ProposalPetitioned");
      expect(await f.governor.proposalProposer(pid)).to.equal(member.address);
    });

    it("an agenda the governor does not name cannot be deployed", async function () {
      const f = await loadFixture(withPetitions);
      const factory = await hre.ethers.getContractFactory("CityAgenda");
      await expect(factory.deploy(await f.governor.getAddress(), await f.forwarder.getAddress()))
        .to.be.revertedWithCustomError(factory, "CityAgendaNotTheGovernorsAgenda")
        .withArgs(await f.governor.getAddress(), await f.agenda.getAddress());
    });

    it("the agenda refuses petition 0 (the governor reads it as a co-signed proposal)", async function () {
      const f = await loadFixture(withPetitions);
      const p = await feeProposal(f, 150);
      await (await f.petitions.setOutcome(0, true, await proposalId(f.governor, p))).wait();
      await expect(f.agenda.proposeByPetition(0, p.targets, p.values, p.calldatas, p.description))
        .to.be.revertedWithCustomError(f.governor, "CityGovernorPetitionNotReached")
        .withArgs(0);
    });

    it("without a petitions contract, no petition proposes", async function () {
      const f = await loadFixture(withoutPetitions);
      const p = await feeProposal(f, 150);
      await expect(f.agenda.proposeByPetition(1, p.targets, p.values, p.calldatas, p.description)).to.be.revertedWithCustomError(
        f.governor,
        "CityGovernorNoPetitions",
      );
      expect(await f.governor.petitions()).to.equal(hre.ethers.ZeroAddress);
    });
  });

  describe("the orchestrator's bounded powers", function () {
    it("cancels a proposal before its vote starts, with a reason (evented); nobody else can", async function () {
      const f = await loadFixture(withPetitions);
      const p = await feeProposal(f, 150);
      const pid = await propose(f, p);
      await expectOnlyRole(
        f.governor,
        "cancelWithReason(address[],uint256[],bytes[],bytes32,string)",
        "ORCHESTRATOR",
        roleHolders(f),
        [p.targets, p.values, p.calldatas, id(p.description), "duplicate of an earlier proposal"],
        ["ProposalCancelledWithReason", [pid, f.orchestrator.address, "duplicate of an earlier proposal"]],
      );
      expect(await f.governor.state(pid)).to.equal(State.Canceled);
    });

    it("needs a reason, and cannot cancel once the vote has started or after the result", async function () {
      const f = await loadFixture(withPetitions);
      const p = await feeProposal(f, 150);
      const pid = await propose(f, p);
      const cancel = (reason: string) => f.governor.connect(f.orchestrator).cancelWithReason(p.targets, p.values, p.calldatas, id(p.description), reason);
      await expect(cancel("")).to.be.revertedWithCustomError(f.governor, "CityGovernorCancelWithoutReason");
      await openVote();
      await expect(cancel("changed my mind")).to.be.revertedWithCustomError(f.governor, "CityGovernorTooLateToCancel").withArgs(pid, State.Active);
      await vote(f, pid, [[1, 0, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0]]);
      await closeVote();
      await expect(cancel("overturn")).to.be.revertedWithCustomError(f.governor, "CityGovernorTooLateToCancel").withArgs(pid, State.Succeeded);
    });

    it("cannot cancel a co-signed or a petitioned proposal: members put it on the agenda, the colleges decide", async function () {
      const f = await loadFixture(withPetitions);
      const [proposer, cosigner] = sortedMembers(f);
      const p = await feeProposal(f, 150);
      const { pid, cosigned: c } = await cosigned(f, p, [cosigner]);
      await (await f.agenda.connect(proposer).proposeWithCosigners(p.targets, p.values, p.calldatas, p.description, c)).wait();
      const q = await feeProposal(f, 160);
      const qid = await proposalId(f.governor, q);
      await (await f.petitions.setOutcome(7, true, qid)).wait();
      await (await f.agenda.proposeByPetition(7, q.targets, q.values, q.calldatas, q.description)).wait();
      for (const [x, xid] of [[p, pid], [q, qid]] as const) {
        expect(await f.governor.state(xid)).to.equal(State.Pending);
        await expect(f.governor.connect(f.orchestrator).cancelWithReason(x.targets, x.values, x.calldatas, id(x.description), "not on my agenda"))
          .to.be.revertedWithCustomError(f.governor, "CityGovernorMemberProposal")
          .withArgs(xid);
        expect(await f.governor.state(xid)).to.equal(State.Pending);
      }
      // The orchestrator's own proposals stay cancellable while Pending.
      const own = await feeProposal(f, 170);
      const ownId = await propose(f, own);
      await (await f.governor.connect(f.orchestrator).cancelWithReason(own.targets, own.values, own.calldatas, id(own.description), "duplicate")).wait();
      expect(await f.governor.state(ownId)).to.equal(State.Canceled);
    });

    it("OpenZeppelin's proposer cancel is off, even for the proposer while Pending", async function () {
      const f = await loadFixture(withPetitions);
      const p = await feeProposal(f, 150);
      const pid = await propose(f, p);
      await expect(f.governor.connect(f.orchestrator).cancel(p.targets, p.values, p.calldatas, id(p.description)))
        .to.be.revertedWithCustomError(f.governor, "GovernorUnableToCancel")
        .withArgs(pid, f.orchestrator.address);
    });

    it("setPetitions and the governor's settings are for governance only", async function () {
      const f = await loadFixture(withPetitions);
      await expect(f.governor.connect(f.orchestrator).setPetitions(f.outsider.address))
        .to.be.revertedWithCustomError(f.governor, "GovernorOnlyExecutor")
        .withArgs(f.orchestrator.address);
      await expect(f.governor.connect(f.admin).setVotingPeriod(1)).to.be.revertedWithCustomError(f.governor, "GovernorOnlyExecutor");
    });
  });

  describe("gasless votes", function () {
    it("castVoteBySig relayed by the node's relayer counts the signer's vote in the signer's college", async function () {
      const f = await loadFixture(withPetitions);
      const pid = await propose(f, await feeProposal(f, 150));
      await openVote();
      const voter = f.colleges[2][0];
      const signature = await signBallot(f.governor, voter, pid, Support.Against);
      await expect(f.governor.connect(f.relayer).castVoteBySig(pid, Support.Against, voter.address, signature))
        .to.emit(f.governor, "CollegeVoteCast")
        .withArgs(pid, voter.address, 2, Support.Against);
      expect(await f.governor.proposalVotes(pid, 2)).to.deep.equal([0n, 1n, 0n]);
      // The nonce moved on: the same signature cannot be replayed.
      await expect(f.governor.connect(f.relayer).castVoteBySig(pid, Support.Against, voter.address, signature))
        .to.be.revertedWithCustomError(f.governor, "GovernorInvalidSignature")
        .withArgs(voter.address);
    });

    it("castVote through the city's forwarder is the member's vote", async function () {
      const f = await loadFixture(withPetitions);
      const pid = await propose(f, await feeProposal(f, 150));
      await openVote();
      const voter = f.colleges[3][1];
      const data = f.governor.interface.encodeFunctionData("castVote", [pid, Support.For]);
      const request = await signForwardRequest(f.forwarder, voter, { to: await f.governor.getAddress(), data });
      await expect(f.forwarder.connect(f.relayer).execute(request))
        .to.emit(f.governor, "VoteCast")
        .withArgs(voter.address, pid, Support.For, 1, "");
      expect(await f.governor.hasVoted(pid, voter.address)).to.equal(true);
    });
  });
});

function withoutPetitions() {
  return deployGoverned({ petitions: hre.ethers.ZeroAddress });
}
