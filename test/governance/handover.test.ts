import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { id, ZeroHash } from "ethers";
import { GOVERNANCE_PERMISSIONS, handOverToGovernance, signVeto } from "../../scripts/lib/governance";
import { PERMISSIONS, Roles, type ManagedContract } from "../../scripts/lib/roles";
import type { CityContractName } from "../../scripts/lib/deploy";
import { advance } from "../fixtures";
import { signForwardRequest } from "../../scripts/lib/relay";
import {
  State,
  TIMELOCK_DELAY,
  charterOf,
  closeVote,
  deployGoverned,
  handedOver,
  feeProposal,
  openVote,
  proposalId,
  propose,
  queueAndExecute,
  vote,
  type GovernanceFixture,
  type ProposalCall,
} from "./helpers";

/** Votes that pass under the default charter: every college above its quorum, all for. */
const ALL_FOR: [number, number, number][] = [[2, 0, 0], [3, 0, 0], [2, 0, 0], [2, 0, 0]];

async function passAndQueue(f: GovernanceFixture, p: ProposalCall): Promise<bigint> {
  const pid = await propose(f, p);
  await openVote();
  await vote(f, pid, ALL_FOR);
  await closeVote();
  await (await f.governor.queue(p.targets, p.values, p.calldatas, id(p.description))).wait();
  return pid;
}

describe("Governance: handover, the citizens' veto, end to end", function () {
  describe("handover", function () {
    it("the timelock is admin and council; the deployer keeps no role, no restricted call, no timelock power", async function () {
      const f = await loadFixture(handedOver);
      const deployer = f.admin.address;
      const timelock = await f.timelock.getAddress();
      expect((await f.authority.hasRole(Roles.ADMIN, timelock))[0]).to.equal(true);
      expect((await f.authority.hasRole(Roles.COUNCIL, timelock))[0]).to.equal(true);
      for (const role of Object.values(Roles)) {
        expect((await f.authority.hasRole(role, deployer))[0], `role ${role}`).to.equal(false);
      }
      // No restricted function of any managed contract, nor of the governor, is callable by the deployer.
      const checks: [string, string][] = [];
      for (const [name, table] of Object.entries(PERMISSIONS) as [ManagedContract, Record<string, string>][]) {
        for (const signature of Object.keys(table)) checks.push([f.record.contracts[name as CityContractName].address, signature]);
      }
      for (const signature of Object.keys(GOVERNANCE_PERMISSIONS)) checks.push([await f.governor.getAddress(), signature]);
      for (const [target, signature] of checks) {
        const [immediate, delay] = await f.authority.canCall(deployer, target, id(signature).slice(0, 10));
        expect(immediate || delay > 0n, signature).to.equal(false);
      }
      // Concretely: it cannot grant, cannot set a fee, cannot register.
      await expect(f.authority.connect(f.admin).grantRole(Roles.COUNCIL, deployer, 0))
        .to.be.revertedWithCustomError(f.authority, "AccessManagerUnauthorizedAccount")
        .withArgs(deployer, Roles.ADMIN);
      await expect(f.coin.connect(f.admin).setRedemptionFee(0)).to.be.revertedWithCustomError(f.coin, "AccessManagedUnauthorized").withArgs(deployer);
      await expect(f.registry.connect(f.admin).setMembershipListeners([]))
        .to.be.revertedWithCustomError(f.registry, "AccessManagedUnauthorized")
        .withArgs(deployer);
      // Nor touch the timelock: no admin, proposer, executor or canceller role.
      for (const role of [await f.timelock.DEFAULT_ADMIN_ROLE(), await f.timelock.PROPOSER_ROLE(), await f.timelock.EXECUTOR_ROLE(), await f.timelock.CANCELLER_ROLE()]) {
        expect(await f.timelock.hasRole(role, deployer)).to.equal(false);
      }
      await expect(f.timelock.connect(f.admin).grantRole(await f.timelock.PROPOSER_ROLE(), deployer))
        .to.be.revertedWithCustomError(f.timelock, "AccessControlUnauthorizedAccount")
        .withArgs(deployer, await f.timelock.DEFAULT_ADMIN_ROLE());
      await expect(f.timelock.connect(f.admin).schedule(deployer, 0, "0x", ZeroHash, ZeroHash, TIMELOCK_DELAY))
        .to.be.revertedWithCustomError(f.timelock, "AccessControlUnauthorizedAccount")
        .withArgs(deployer, await f.timelock.PROPOSER_ROLE());
      await expect(f.timelock.connect(f.admin).cancel(ZeroHash))
        .to.be.revertedWithCustomError(f.timelock, "AccessControlUnauthorizedAccount")
        .withArgs(deployer, await f.timelock.CANCELLER_ROLE());
      await expect(f.timelock.connect(f.admin).execute(deployer, 0, "0x", ZeroHash, ZeroHash))
        .to.be.revertedWithCustomError(f.timelock, "AccessControlUnauthorizedAccount")
        .withArgs(deployer, await f.timelock.EXECUTOR_ROLE());
      await expect(f.charter.connect(f.admin).setCharter(charterOf([[0, 3_000, 1_000], [1, 4_000, 1_000], [2, 3_000, 1_000]])))
        .to.be.revertedWithCustomError(f.charter, "CityCharterOnlyGovernance")
        .withArgs(deployer);
    });

    it("a role grant goes through a collegial proposal once the timelock is admin", async function () {
      const f = await loadFixture(handedOver);
      const p: ProposalCall = {
        targets: [await f.authority.getAddress()],
        values: [0n],
        calldatas: [f.authority.interface.encodeFunctionData("grantRole", [Roles.ARBITER, f.outsider.address, 0])],
        description: "Appoint an arbiter",
      };
      await passAndQueue(f, p);
      await advance(TIMELOCK_DELAY + 1);
      await (await f.governor.execute(p.targets, p.values, p.calldatas, id(p.description))).wait();
      expect((await f.authority.hasRole(Roles.ARBITER, f.outsider.address))[0]).to.equal(true);
    });
  });

  describe("end to end", function () {
    it("a redemption fee change goes from proposal to votes in four colleges to the timelock to execution", async function () {
      const f = await loadFixture(handedOver);
      const p = await feeProposal(f, 250);
      const pid = await propose(f, p);
      expect(await f.governor.state(pid)).to.equal(State.Pending);
      await openVote();
      // PUBLIC 3 for / 1 against, CITIZENS 6 / 2 (+1 abstains), PARTNERS 1 / 1, ASSOCIATIONS 2 / 0:
      // 25% × 3/4 + 35% × 6/8 + 20% × 1/2 + 20% × 2/2 = 18.75 + 26.25 + 10 + 20 = 75%.
      await vote(f, pid, [[3, 1, 0], [6, 2, 1], [1, 1, 0], [2, 0, 0]]);
      await closeVote();
      expect(await f.governor.state(pid)).to.equal(State.Succeeded);
      expect((await f.governor.weightedResult(pid))[0]).to.equal(75n * 10n ** 16n);
      const tx = f.governor.queue(p.targets, p.values, p.calldatas, id(p.description));
      const salt = (BigInt(await f.governor.getAddress()) << 96n) ^ BigInt(id(p.description));
      const operationId = await f.timelock.hashOperationBatch(p.targets, p.values, p.calldatas, ZeroHash, "0x" + salt.toString(16).padStart(64, "0"));
      await expect(tx).to.emit(f.governor, "ProposalTallied").withArgs(pid, operationId, 75n * 10n ** 16n);
      expect(await f.governor.proposalOperationId(pid)).to.equal(operationId);
      expect(await f.governor.state(pid)).to.equal(State.Queued);
      await expect(f.governor.execute(p.targets, p.values, p.calldatas, id(p.description))).to.be.revertedWithCustomError(
        f.timelock,
        "TimelockUnexpectedOperationState",
      );
      await advance(TIMELOCK_DELAY + 1);
      await expect(f.governor.execute(p.targets, p.values, p.calldatas, id(p.description)))
        .to.emit(f.coin, "RedemptionFeeSet")
        .and.to.emit(f.governor, "ProposalExecuted")
        .withArgs(pid);
      expect(await f.coin.redemptionFeeBps()).to.equal(250n);
      expect(await f.governor.state(pid)).to.equal(State.Executed);
    });

    it("another fee change is vetoed by the citizens while it waits in the timelock", async function () {
      const f = await loadFixture(handedOver);
      const p = await feeProposal(f, 900);
      const pid = await passAndQueue(f, p);
      // Veto threshold: 10% of CITIZENS' 10 members at the snapshot = 1 signature; a relayed one.
      const citizen = f.colleges[1][9];
      const signature = await signVeto(f.veto, citizen, pid);
      const operationId = await f.governor.proposalOperationId(pid);
      await expect(f.veto.connect(f.relayer).vetoBySig(pid, citizen.address, signature))
        .to.emit(f.veto, "VetoSigned")
        .withArgs(pid, citizen.address, 1, 1)
        .and.to.emit(f.veto, "ProposalVetoed")
        .withArgs(pid, operationId, 1)
        .and.to.emit(f.timelock, "Cancelled")
        .withArgs(operationId);
      expect(await f.governor.state(pid)).to.equal(State.Canceled);
      await advance(TIMELOCK_DELAY + 1);
      await expect(f.governor.execute(p.targets, p.values, p.calldatas, id(p.description))).to.be.revertedWithCustomError(
        f.governor,
        "GovernorUnexpectedProposalState",
      );
      expect(await f.coin.redemptionFeeBps()).to.equal(100n);
    });
  });

  describe("citizens' veto", function () {
    /** A charter whose veto needs 30% of the citizens (3 of 10). */
    async function vetoable(): Promise<GovernanceFixture> {
      const f = await deployGoverned({ charter: { ...charterOf([[0, 2_500, 2_000], [1, 3_500, 1_000], [2, 2_000, 2_000], [3, 2_000, 2_000]]), vetoThresholdBps: 3_000 } });
      await handOverToGovernance(f, f, f.admin);
      return f;
    }

    it("counts one veto per citizen, refuses other colleges and forged signatures, cancels at the threshold", async function () {
      const f = await loadFixture(vetoable);
      const p = await feeProposal(f, 300);
      const pid = await passAndQueue(f, p);
      const [c1, c2, c3] = f.colleges[1];
      expect(await f.veto.vetoProgress(pid)).to.deep.equal([0n, 3n, 1n]);
      await expect(f.veto.connect(c1).veto(pid)).to.emit(f.veto, "VetoSigned").withArgs(pid, c1.address, 1, 3);
      await expect(f.veto.connect(c1).veto(pid)).to.be.revertedWithCustomError(f.veto, "CitizensVetoAlreadySigned").withArgs(pid, c1.address);
      const partner = f.colleges[2][0];
      await expect(f.veto.connect(partner).veto(pid)).to.be.revertedWithCustomError(f.veto, "CitizensVetoNotACitizen").withArgs(pid, partner.address);
      await expect(f.veto.connect(f.outsider).veto(pid)).to.be.revertedWithCustomError(f.veto, "CitizensVetoNotACitizen").withArgs(pid, f.outsider.address);
      const forged = await signVeto(f.veto, c3, pid);
      await expect(f.veto.vetoBySig(pid, c2.address, forged)).to.be.revertedWithCustomError(f.veto, "CitizensVetoInvalidSignature").withArgs(c2.address);
      await expect(f.veto.vetoBySig(pid, c2.address, await signVeto(f.veto, c2, pid))).to.emit(f.veto, "VetoSigned").withArgs(pid, c2.address, 2, 3);
      expect(await f.veto.hasVetoed(pid, c2.address)).to.equal(true);
      expect(await f.governor.state(pid)).to.equal(State.Queued);
      await expect(f.veto.connect(c3).veto(pid)).to.emit(f.veto, "ProposalVetoed").withArgs(pid, await f.governor.proposalOperationId(pid), 3);
      expect(await f.governor.state(pid)).to.equal(State.Canceled);
      // No veto after the cancel, nor of a proposal that is not queued.
      await expect(f.veto.connect(f.colleges[1][3]).veto(pid)).to.be.revertedWithCustomError(f.veto, "CitizensVetoNotQueued").withArgs(pid, State.Canceled);
    });

    it("a veto sent through the city's forwarder is the citizen's (gasless)", async function () {
      const f = await loadFixture(vetoable);
      const pid = await passAndQueue(f, await feeProposal(f, 300));
      const citizen = f.colleges[1][4];
      const data = f.veto.interface.encodeFunctionData("veto", [pid]);
      const request = await signForwardRequest(f.forwarder, citizen, { to: await f.veto.getAddress(), data });
      await expect(f.forwarder.connect(f.relayer).execute(request)).to.emit(f.veto, "VetoSigned").withArgs(pid, citizen.address, 1, 3);
      expect(await f.veto.hasVetoed(pid, citizen.address)).to.equal(true);
    });

    it("only while queued: not before the result, not after execution", async function () {
      const f = await loadFixture(vetoable);
      const p = await feeProposal(f, 300);
      const pid = await propose(f, p);
      const citizen = f.colleges[1][0];
      await expect(f.veto.connect(citizen).veto(pid)).to.be.revertedWithCustomError(f.veto, "CitizensVetoNotQueued").withArgs(pid, State.Pending);
      await openVote();
      await vote(f, pid, ALL_FOR);
      await expect(f.veto.connect(citizen).veto(pid)).to.be.revertedWithCustomError(f.veto, "CitizensVetoNotQueued").withArgs(pid, State.Active);
      await closeVote();
      await queueAndExecute(f, p);
      await expect(f.veto.connect(citizen).veto(pid)).to.be.revertedWithCustomError(f.veto, "CitizensVetoNotQueued").withArgs(pid, State.Executed);
      expect(await proposalId(f.governor, p)).to.equal(pid);
    });
  });

  describe("charter change by super-majority", function () {
    it("a charter change passing the approval threshold but not the super-majority is defeated; above 2/3 it applies to new proposals", async function () {
      const f = await loadFixture(handedOver);
      const next = charterOf([[0, 2_000, 2_000], [1, 4_000, 1_000], [2, 2_000, 2_000], [3, 2_000, 2_000]]);
      const change = async (n: number): Promise<ProposalCall> => ({
        targets: [await f.charter.getAddress()],
        values: [0n],
        calldatas: [f.charter.interface.encodeFunctionData("setCharter", [next])],
        description: `Citizens weigh 40% (${n})`,
      });
      const weak = await change(1);
      const strong = await change(2);
      const weakId = await propose(f, weak);
      const strongId = await propose(f, strong);
      await openVote();
      // 25% + 35% = 60%: above 50%, below 66.66%.
      await vote(f, weakId, [[2, 0, 0], [3, 0, 0], [0, 2, 0], [0, 2, 0]]);
      // 25% + 35% + 20% = 80%.
      await vote(f, strongId, [[2, 0, 0], [3, 0, 0], [2, 0, 0], [0, 2, 0]]);
      await closeVote();
      expect(await f.governor.weightedResult(weakId)).to.deep.equal([6n * 10n ** 17n, 6_666n]);
      expect(await f.governor.state(weakId)).to.equal(State.Defeated);
      expect(await f.governor.state(strongId)).to.equal(State.Succeeded);
      await queueAndExecute(f, strong);
      expect(await f.charter.version()).to.equal(2);
      const later = await propose(f, await feeProposal(f, 120));
      expect(await f.governor.proposalRules(later)).to.deep.equal([2n, false]);
      expect(await f.governor.proposalRules(strongId)).to.deep.equal([1n, true]);
    });
  });
});
