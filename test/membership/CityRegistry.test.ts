import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress, ZeroHash, id } from "ethers";
import type { BaseContract, Interface } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { advance as wait, cityFixture, coins, freshCredential, issue, MIGRATION_DELAY, now as clockNow, register as enrolMember, type CityFixture } from "../fixtures";
import { COLLEGES, Flags, PERMISSIONS, Roles, type RoleName } from "../../scripts/lib/roles";
import { signForwardRequest } from "../../scripts/lib/relay";

// ─── Constants and helpers ───────────────────────────────────────────────────────────────────────────────────────

const MIN_DELAY = 3600;

/** The membership listeners the deploy script sets: CityCoin, then the services that follow key recoveries. */
async function deployedListeners(f: CityFixture): Promise<string[]> {
  return Promise.all([f.coin, f.parking, f.meters, f.market, f.income, f.budget].map((c) => c.getAddress()));
}
const MAX_DELAY = 90 * 24 * 3600;
const MAX_COLLEGES = 16;
const MAX_LISTENERS = 8;
const COUNTED_BITS = 16;

const Status = { None: 0n, Active: 1n, Suspended: 2n, Removed: 3n } as const;
const College = { PUBLIC: 0, CITIZENS: 1, PRIVATE_PARTNERS: 2, ASSOCIATIONS: 3 } as const;
const REASON = id("reason: registrar file FR-0042");
const ALL_COLLEGES = 0xffff;

interface Profile {
  active: boolean;
  college: bigint;
  district: bigint;
  flags: bigint;
}

const INACTIVE: Profile = { active: false, college: 0n, district: 0n, flags: 0n };
const activeProfile = (college: number, district: number, flags: bigint): Profile => ({
  active: true,
  college: BigInt(college),
  district: BigInt(district),
  flags,
});

interface Enrolment {
  college?: number;
  district?: number;
  flags?: bigint;
  credential?: string;
}

/** Registers `who` as the registrar and returns the credential hash used (default college CITIZENS, district 1, RESIDENT). */
async function enrol(f: CityFixture, who: { address: string }, e: Enrolment = {}): Promise<string> {
  const credential = e.credential ?? freshCredential();
  await (
    await f.registry
      .connect(f.registrar)
      .register(who.address, e.college ?? College.CITIZENS, e.district ?? 1, e.flags ?? Flags.RESIDENT, credential)
  ).wait();
  return credential;
}

/** Mines the next transaction at exactly `timestamp`. */
async function at<T>(timestamp: number, send: () => Promise<T>): Promise<T> {
  await time.setNextBlockTimestamp(timestamp);
  return send();
}

/** Sends a transaction at exactly `timestamp` and waits for it. */
async function mineAt(timestamp: number, send: () => Promise<{ wait: () => Promise<unknown> }>) {
  await time.setNextBlockTimestamp(timestamp);
  await (await send()).wait();
}

async function pastProfile(f: CityFixture, who: { address: string }, timepoint: number): Promise<Profile> {
  const p = await f.registry.getPastProfile(who.address, timepoint);
  return { active: p.active, college: p.college, district: p.district, flags: p.flags };
}

async function memberRecord(f: CityFixture, who: { address: string }) {
  const m = await f.registry.memberOf(who.address);
  return {
    status: m.status,
    college: m.college,
    district: m.district,
    flags: m.flags,
    since: m.since,
    credentialHash: m.credentialHash,
  };
}

/** A city with a few people named, nobody registered yet. */
async function namedFixture() {
  const f = await cityFixture();
  const [alice, bob, carol, dave, erin, frank] = f.people;
  return { ...f, alice, bob, carol, dave, erin, frank };
}

/** Alice active, Bob suspended, Carol active with a pending migration to Dave. */
async function populatedFixture() {
  const f = await namedFixture();
  const credentials = {
    alice: await enrol(f, f.alice),
    bob: await enrol(f, f.bob, { college: College.PRIVATE_PARTNERS, district: 2, flags: Flags.MERCHANT }),
    carol: await enrol(f, f.carol, { college: College.ASSOCIATIONS, district: 3, flags: Flags.ASSOCIATION }),
  };
  await (await f.registry.connect(f.registrar).suspend(f.bob.address, REASON)).wait();
  await (await f.registry.connect(f.registrar).startMigration(f.carol.address, f.dave.address)).wait();
  return { ...f, credentials };
}
type Populated = Awaited<ReturnType<typeof populatedFixture>>;

describe("CityRegistry", () => {
  // ─── Deployment ────────────────────────────────────────────────────────────────────────────────────────────────

  describe("deployment", () => {
    it("configures the initial colleges enabled, in order, and the migration delay", async () => {
      const f = await loadFixture(cityFixture);
      for (const [i, name] of COLLEGES.entries()) {
        const [actualName, enabled] = await f.registry.collegeInfo(i);
        expect(actualName).to.equal(name);
        expect(enabled).to.equal(true);
      }
      const [name, enabled] = await f.registry.collegeInfo(COLLEGES.length);
      expect(name).to.equal("");
      expect(enabled).to.equal(false);
      expect(await f.registry.migrationDelay()).to.equal(BigInt(MIGRATION_DELAY));
      expect(await f.registry.authority()).to.equal(await f.authority.getAddress());
      expect(await f.registry.trustedForwarder()).to.equal(await f.forwarder.getAddress());
      expect(await f.registry.isTrustedForwarder(await f.forwarder.getAddress())).to.equal(true);
      expect(await f.registry.membershipListeners()).to.deep.equal(await deployedListeners(f));
    });

    it("exposes its bounds as constants", async () => {
      const f = await loadFixture(cityFixture);
      expect(await f.registry.MAX_COLLEGES()).to.equal(BigInt(MAX_COLLEGES));
      expect(await f.registry.MAX_LISTENERS()).to.equal(BigInt(MAX_LISTENERS));
      expect(await f.registry.MIN_MIGRATION_DELAY()).to.equal(BigInt(MIN_DELAY));
      expect(await f.registry.MAX_MIGRATION_DELAY()).to.equal(BigInt(MAX_DELAY));
    });

    it("emits CollegeConfigured for every initial college and MigrationDelaySet", async () => {
      const f = await loadFixture(cityFixture);
      const factory = await hre.ethers.getContractFactory("CityRegistry", f.admin);
      const names = ["A", "B", "C"];
      const registry = await factory.deploy(await f.authority.getAddress(), await f.forwarder.getAddress(), names, 7200);
      const deployment = registry.deploymentTransaction()!;
      for (const [i, name] of names.entries()) {
        await expect(deployment).to.emit(registry, "CollegeConfigured").withArgs(i, name, true);
      }
      await expect(deployment).to.emit(registry, "MigrationDelaySet").withArgs(7200);
    });

    it("accepts exactly MAX_COLLEGES initial colleges and both delay bounds", async () => {
      const f = await loadFixture(cityFixture);
      const factory = await hre.ethers.getContractFactory("CityRegistry", f.admin);
      const names = Array.from({ length: MAX_COLLEGES }, (_, i) => `C${i}`);
      const args = [await f.authority.getAddress(), await f.forwarder.getAddress()] as const;
      const full = await factory.deploy(...args, names, MIN_DELAY);
      expect((await full.collegeInfo(MAX_COLLEGES - 1)).enabled).to.equal(true);
      expect(await full.migrationDelay()).to.equal(BigInt(MIN_DELAY));
      const longest = await factory.deploy(...args, [], MAX_DELAY);
      expect(await longest.migrationDelay()).to.equal(BigInt(MAX_DELAY));
    });

    it("reverts with CityRegistryMigrationDelayOutOfRange below and above the bounds", async () => {
      const f = await loadFixture(cityFixture);
      const factory = await hre.ethers.getContractFactory("CityRegistry", f.admin);
      const authority = await f.authority.getAddress();
      const forwarder = await f.forwarder.getAddress();
      for (const delay of [0, MIN_DELAY - 1, MAX_DELAY + 1]) {
        await expect(factory.deploy(authority, forwarder, [...COLLEGES], delay))
          .to.be.revertedWithCustomError(factory, "CityRegistryMigrationDelayOutOfRange")
          .withArgs(delay, MIN_DELAY, MAX_DELAY);
      }
    });

    it("reverts with CityRegistryTooManyColleges for more than MAX_COLLEGES initial colleges (the full count, untruncated)", async () => {
      const f = await loadFixture(cityFixture);
      const factory = await hre.ethers.getContractFactory("CityRegistry", f.admin);
      for (const count of [MAX_COLLEGES + 1, 256]) {
        const names = Array.from({ length: count }, (_, i) => `C${i}`);
        await expect(factory.deploy(await f.authority.getAddress(), await f.forwarder.getAddress(), names, MIN_DELAY))
          .to.be.revertedWithCustomError(factory, "CityRegistryTooManyColleges")
          .withArgs(count, MAX_COLLEGES);
      }
    });
  });

  // ─── Access control, driven from the PERMISSIONS table ─────────────────────────────────────────────────────────

  describe("access control (PERMISSIONS table)", () => {
    /** Every role-holding signer of the fixture, and the outsider who holds none. */
    const HOLDERS: { actor: "admin" | "registrar" | "issuer" | "attester" | "council" | "orchestrator" | "guardian" | "relayer" | "outsider"; role: RoleName | null }[] = [
      { actor: "admin", role: "ADMIN" },
      { actor: "registrar", role: "REGISTRAR" },
      { actor: "issuer", role: "ISSUER" },
      { actor: "attester", role: "RESERVE_ATTESTER" },
      { actor: "council", role: "COUNCIL" },
      { actor: "orchestrator", role: "ORCHESTRATOR" },
      { actor: "guardian", role: "GUARDIAN" },
      { actor: "relayer", role: "RELAYER" },
      { actor: "outsider", role: null },
    ];

    /** For each restricted function: arguments that succeed for the right role, and the event that proves it. */
    const CASES: Record<string, { args: (p: Populated) => Promise<unknown[]> | unknown[]; event: string }> = {
      "register(address,uint8,uint32,uint64,bytes32)": {
        args: (p) => [p.erin.address, College.CITIZENS, 5, Flags.RESIDENT, id("permissions: erin")],
        event: "MemberRegistered",
      },
      "registerBatch((address,uint8,uint32,uint64,bytes32)[])": {
        args: (p) => [[{ account: p.erin.address, college: College.CITIZENS, district: 5, flags: Flags.RESIDENT, credentialHash: id("permissions: erin") }]],
        event: "MemberRegistered",
      },
      "update(address,uint8,uint32,uint64,bytes32)": {
        args: (p) => [p.alice.address, College.PUBLIC, 9, Flags.MERCHANT, p.credentials.alice],
        event: "MemberUpdated",
      },
      "suspend(address,bytes32)": { args: (p) => [p.alice.address, REASON], event: "MemberSuspended" },
      "reinstate(address)": { args: (p) => [p.bob.address], event: "MemberReinstated" },
      "remove(address,bytes32)": { args: (p) => [p.alice.address, REASON], event: "MemberRemoved" },
      "startMigration(address,address)": { args: (p) => [p.alice.address, p.erin.address], event: "MigrationStarted" },
      "approveMigration(address)": { args: (p) => [p.carol.address], event: "MigrationApproved" },
      "cancelMigration(address)": { args: (p) => [p.carol.address], event: "MigrationCancelled" },
      "configureCollege(uint8,string,bool)": { args: () => [4, "SCHOOLS", true], event: "CollegeConfigured" },
      "setMigrationDelay(uint32)": { args: () => [7 * 24 * 3600], event: "MigrationDelaySet" },
      "setMembershipListeners(address[])": { args: async (p) => [[await p.coin.getAddress()]], event: "MembershipListenersSet" },
    };

    it("covers every state-changing function of the registry: restricted ones in the table, the rest public by design", async () => {
      const f = await loadFixture(cityFixture);
      const stateChanging: string[] = [];
      f.registry.interface.forEachFunction((fn) => {
        if (!fn.constant) stateChanging.push(fn.format("sighash"));
      });
      // completeMigration is open to anyone; setAuthority is AccessManaged's (only the authority itself may call it).
      // delegate and delegateBySig are `pure` (they always revert) and so not listed.
      const publicByDesign = ["completeMigration(address)", "setAuthority(address)"];
      expect(stateChanging.sort()).to.deep.equal([...Object.keys(PERMISSIONS.CityRegistry), ...publicByDesign].sort());
      expect(Object.keys(CASES).sort()).to.deep.equal(Object.keys(PERMISSIONS.CityRegistry).sort());
    });

    it("the authority maps every selector to the role of the table", async () => {
      const f = await loadFixture(cityFixture);
      const target = await f.registry.getAddress();
      for (const [signature, role] of Object.entries(PERMISSIONS.CityRegistry)) {
        const abi: Interface = f.registry.interface;
        const selector = abi.getFunction(signature)!.selector;
        expect(await f.authority.getTargetFunctionRole(target, selector), signature).to.equal(Roles[role]);
      }
    });

    it("fixture signers hold exactly the role their name says", async () => {
      const f = await loadFixture(cityFixture);
      for (const { actor, role } of HOLDERS) {
        for (const [name, roleId] of Object.entries(Roles)) {
          const [isMember] = await f.authority.hasRole(roleId, f[actor].address);
          expect(isMember, `${actor} holds ${name}`).to.equal(name === role);
        }
      }
    });

    for (const [signature, role] of Object.entries(PERMISSIONS.CityRegistry)) {
      describe(signature, () => {
        const testCase = CASES[signature];
        const call = async (p: Populated, signer: HardhatEthersSigner) => {
          const registry: BaseContract = p.registry.connect(signer);
          return registry.getFunction(signature)(...(await testCase.args(p)));
        };

        for (const { actor, role: held } of HOLDERS.filter((h) => h.role !== role)) {
          it(`reverts for ${actor} (${held ?? "no role"})`, async () => {
            const p = await loadFixture(populatedFixture);
            const caller = p[actor];
            if (signature === "cancelMigration(address)") {
              // Not `restricted`: the member itself may cancel, so others get the registry's own error.
              await expect(call(p, caller))
                .to.be.revertedWithCustomError(p.registry, "CityRegistryUnauthorizedCancel")
                .withArgs(caller.address, p.carol.address);
            } else if (signature === "approveMigration(address)") {
              // Not `restricted` either: the member itself may consent.
              await expect(call(p, caller))
                .to.be.revertedWithCustomError(p.registry, "CityRegistryUnauthorizedApproval")
                .withArgs(caller.address, p.carol.address);
            } else {
              await expect(call(p, caller))
                .to.be.revertedWithCustomError(p.registry, "AccessManagedUnauthorized")
                .withArgs(caller.address);
            }
          });
        }

        it(`succeeds for ${role}`, async () => {
          const p = await loadFixture(populatedFixture);
          const holder = HOLDERS.find((h) => h.role === role)!;
          await expect(call(p, p[holder.actor])).to.emit(p.registry, testCase.event);
        });
      });
    }

    it("setAuthority can only be called by the current authority", async () => {
      const f = await loadFixture(cityFixture);
      for (const signer of [f.admin, f.council, f.outsider]) {
        await expect(f.registry.connect(signer).setAuthority(f.outsider.address))
          .to.be.revertedWithCustomError(f.registry, "AccessManagedUnauthorized")
          .withArgs(signer.address);
      }
    });

    it("a restricted call relayed through the forwarder is checked against the signer, not the relayer", async () => {
      const p = await loadFixture(populatedFixture);
      const registryAddress = await p.registry.getAddress();
      const data = p.registry.interface.encodeFunctionData("suspend", [p.alice.address, REASON]);
      // The outsider signs: the forwarded call fails even though the relayer pays.
      const byOutsider = await signForwardRequest(p.forwarder, p.outsider, { to: registryAddress, data });
      await expect(p.forwarder.connect(p.relayer).execute(byOutsider)).to.be.revertedWithCustomError(p.forwarder, "FailedCall");
      expect(await p.registry.isActiveMember(p.alice.address)).to.equal(true);
      // The registrar signs: the relayed call is the registrar's.
      const byRegistrar = await signForwardRequest(p.forwarder, p.registrar, { to: registryAddress, data });
      await expect(p.forwarder.connect(p.relayer).execute(byRegistrar))
        .to.emit(p.registry, "MemberSuspended")
        .withArgs(p.alice.address, REASON);
    });
  });

  // ─── Parameters ────────────────────────────────────────────────────────────────────────────────────────────────

  describe("configureCollege", () => {
    it("names, enables and disables a college and emits CollegeConfigured", async () => {
      const f = await loadFixture(namedFixture);
      await expect(f.registry.connect(f.council).configureCollege(15, "LAST", true))
        .to.emit(f.registry, "CollegeConfigured")
        .withArgs(15, "LAST", true);
      expect(await f.registry.collegeInfo(15)).to.deep.equal(["LAST", true]);
      await expect(f.registry.connect(f.council).configureCollege(15, "LAST (closed)", false))
        .to.emit(f.registry, "CollegeConfigured")
        .withArgs(15, "LAST (closed)", false);
      expect(await f.registry.collegeInfo(15)).to.deep.equal(["LAST (closed)", false]);
    });

    it("reverts with CityRegistryCollegeOutOfRange for ids >= MAX_COLLEGES", async () => {
      const f = await loadFixture(namedFixture);
      for (const collegeId of [MAX_COLLEGES, 17, 255]) {
        await expect(f.registry.connect(f.council).configureCollege(collegeId, "X", true))
          .to.be.revertedWithCustomError(f.registry, "CityRegistryCollegeOutOfRange")
          .withArgs(collegeId, MAX_COLLEGES);
      }
    });

    it("a disabled college takes no new members; existing ones stay, and re-enabling reopens it", async () => {
      const f = await loadFixture(namedFixture);
      await enrol(f, f.alice, { college: College.PRIVATE_PARTNERS });
      await (await f.registry.connect(f.council).configureCollege(College.PRIVATE_PARTNERS, "PRIVATE_PARTNERS", false)).wait();
      await expect(
        f.registry.connect(f.registrar).register(f.bob.address, College.PRIVATE_PARTNERS, 1, 0n, freshCredential()),
      )
        .to.be.revertedWithCustomError(f.registry, "CityRegistryUnknownCollege")
        .withArgs(College.PRIVATE_PARTNERS);
      expect(await f.registry.isActiveMember(f.alice.address)).to.equal(true);
      expect(await f.registry.getCollegeSize(College.PRIVATE_PARTNERS)).to.equal(1n);
      expect(await f.registry.getVotes(f.alice.address)).to.equal(1n);
      // Suspension and reinstatement do not need the college open.
      await (await f.registry.connect(f.registrar).suspend(f.alice.address, REASON)).wait();
      await (await f.registry.connect(f.registrar).reinstate(f.alice.address)).wait();
      expect(await f.registry.getCollegeSize(College.PRIVATE_PARTNERS)).to.equal(1n);
      // Nor does correcting a member in place (district, flags) while they stay in the closed college.
      const { credentialHash } = await f.registry.memberOf(f.alice.address);
      await expect(f.registry.connect(f.registrar).update(f.alice.address, College.PRIVATE_PARTNERS, 9, 1n, credentialHash))
        .to.emit(f.registry, "MemberUpdated")
        .withArgs(f.alice.address, College.PRIVATE_PARTNERS, 9, 1n, credentialHash);

      await (await f.registry.connect(f.council).configureCollege(College.PRIVATE_PARTNERS, "PRIVATE_PARTNERS", true)).wait();
      await enrol(f, f.bob, { college: College.PRIVATE_PARTNERS });
      expect(await f.registry.getCollegeSize(College.PRIVATE_PARTNERS)).to.equal(2n);
    });
  });

  describe("setMigrationDelay", () => {
    it("accepts both bounds and emits MigrationDelaySet", async () => {
      const f = await loadFixture(namedFixture);
      for (const delay of [MIN_DELAY, MAX_DELAY, 5 * 24 * 3600]) {
        await expect(f.registry.connect(f.council).setMigrationDelay(delay))
          .to.emit(f.registry, "MigrationDelaySet")
          .withArgs(delay);
        expect(await f.registry.migrationDelay()).to.equal(BigInt(delay));
      }
    });

    it("reverts with CityRegistryMigrationDelayOutOfRange just outside both bounds", async () => {
      const f = await loadFixture(namedFixture);
      for (const delay of [0, MIN_DELAY - 1, MAX_DELAY + 1, 2 ** 32 - 1]) {
        await expect(f.registry.connect(f.council).setMigrationDelay(delay))
          .to.be.revertedWithCustomError(f.registry, "CityRegistryMigrationDelayOutOfRange")
          .withArgs(delay, MIN_DELAY, MAX_DELAY);
      }
      expect(await f.registry.migrationDelay()).to.equal(BigInt(MIGRATION_DELAY));
    });

    it("applies to migrations started afterwards; a pending one keeps its readyAt", async () => {
      const f = await loadFixture(namedFixture);
      await enrol(f, f.alice);
      await enrol(f, f.bob);
      const t = (await time.latest()) + 10;
      await mineAt(t, () => f.registry.connect(f.registrar).startMigration(f.alice.address, f.carol.address));
      await mineAt(t + 1, () => f.registry.connect(f.council).setMigrationDelay(MIN_DELAY));
      await at(t + 2, async () =>
        expect(f.registry.connect(f.registrar).startMigration(f.bob.address, f.dave.address))
          .to.emit(f.registry, "MigrationStarted")
          .withArgs(f.bob.address, f.dave.address, t + 2 + MIN_DELAY, f.registrar.address),
      );
      expect((await f.registry.migrationOf(f.alice.address)).readyAt).to.equal(BigInt(t + MIGRATION_DELAY));
    });
  });

  describe("setMembershipListeners", () => {
    it("replaces the listeners, up to MAX_LISTENERS, and emits MembershipListenersSet", async () => {
      const f = await loadFixture(namedFixture);
      const coin = await f.coin.getAddress();
      const eight = [coin, ...f.people.slice(0, MAX_LISTENERS - 1).map((p) => p.address)];
      await expect(f.registry.connect(f.admin).setMembershipListeners(eight))
        .to.emit(f.registry, "MembershipListenersSet")
        .withArgs(eight);
      expect(await f.registry.membershipListeners()).to.deep.equal(eight);
      await expect(f.registry.connect(f.admin).setMembershipListeners([]))
        .to.emit(f.registry, "MembershipListenersSet")
        .withArgs([]);
      expect(await f.registry.membershipListeners()).to.deep.equal([]);
    });

    it("reverts with CityRegistryTooManyListeners above MAX_LISTENERS", async () => {
      const f = await loadFixture(namedFixture);
      const nine = f.people.slice(0, MAX_LISTENERS + 1).map((p) => p.address);
      await expect(f.registry.connect(f.admin).setMembershipListeners(nine))
        .to.be.revertedWithCustomError(f.registry, "CityRegistryTooManyListeners")
        .withArgs(MAX_LISTENERS + 1, MAX_LISTENERS);
      expect(await f.registry.membershipListeners()).to.deep.equal(await deployedListeners(f));
    });

    it("tells the listeners of every membership change, and only the listeners", async () => {
      const f = await loadFixture(namedFixture);
      await expect(
        f.registry.connect(f.registrar).register(f.alice.address, College.CITIZENS, 1, Flags.RESIDENT, freshCredential()),
      )
        .to.emit(f.coin, "MembershipMirrored")
        .withArgs(f.alice.address, true);
      await expect(f.registry.connect(f.registrar).suspend(f.alice.address, REASON))
        .to.emit(f.coin, "MembershipMirrored")
        .withArgs(f.alice.address, false);
      await (await f.registry.connect(f.admin).setMembershipListeners([])).wait();
      await expect(f.registry.connect(f.registrar).reinstate(f.alice.address)).not.to.emit(f.coin, "MembershipMirrored");
    });
  });

  // ─── Membership lifecycle ──────────────────────────────────────────────────────────────────────────────────────

  describe("registerBatch", () => {
    const entry = (who: { address: string }, college: number, district: number, flags: bigint, credentialHash: string) => ({
      account: who.address,
      college,
      district,
      flags,
      credentialHash,
    });

    it("registers every member as register would, in order, with their events, votes and counts", async () => {
      const f = await loadFixture(namedFixture);
      const batch = [
        entry(f.alice, College.CITIZENS, 1, Flags.RESIDENT, freshCredential()),
        entry(f.bob, College.PUBLIC, 2, Flags.MERCHANT, freshCredential()),
        entry(f.carol, College.CITIZENS, 3, Flags.RESIDENT | Flags.PROSUMER, freshCredential()),
      ];
      const t = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(t);
      const tx = f.registry.connect(f.registrar).registerBatch(batch);
      for (const e of batch) {
        await expect(tx).to.emit(f.registry, "MemberRegistered").withArgs(e.account, e.college, e.district, e.flags, e.credentialHash, t);
        await expect(tx).to.emit(f.registry, "DelegateVotesChanged").withArgs(e.account, 0, 1);
      }
      for (const e of batch) {
        const m = await f.registry.memberOf(e.account);
        expect([m.status, m.college, m.district, m.flags, m.since, m.credentialHash]).to.deep.equal([
          Status.Active,
          BigInt(e.college),
          BigInt(e.district),
          e.flags,
          BigInt(t),
          e.credentialHash,
        ]);
        expect(await f.coin.canHold(e.account)).to.equal(true);
      }
      expect(await f.registry.getCollegeSize(College.CITIZENS)).to.equal(2n);
      expect(await f.registry.getCollegeSize(College.PUBLIC)).to.equal(1n);
      await time.increase(1);
      expect(await f.registry.getPastTotalSupply(t)).to.equal(3n);
      expect(await f.registry.getPastEligibleCount(ALL_COLLEGES, 1 + 2, t)).to.equal(1n);
    });

    it("registers none when one fails, with that member's error", async () => {
      const p = await loadFixture(populatedFixture);
      const ok = entry(p.erin, College.CITIZENS, 1, Flags.RESIDENT, freshCredential());
      const r = p.registry.connect(p.registrar);
      await expect(r.registerBatch([ok, entry(p.alice, College.CITIZENS, 1, 0n, freshCredential())]))
        .to.be.revertedWithCustomError(r, "CityRegistryAlreadyMember")
        .withArgs(p.alice.address);
      await expect(r.registerBatch([ok, entry(p.frank, College.CITIZENS, 1, 0n, ok.credentialHash)]))
        .to.be.revertedWithCustomError(r, "CityRegistryCredentialInUse")
        .withArgs(ok.credentialHash, p.erin.address);
      await expect(r.registerBatch([ok, { ...ok, credentialHash: freshCredential() }]))
        .to.be.revertedWithCustomError(r, "CityRegistryAlreadyMember")
        .withArgs(p.erin.address);
      await expect(r.registerBatch([ok, entry({ address: ZeroAddress }, College.CITIZENS, 1, 0n, freshCredential())])).to.be.revertedWithCustomError(
        r,
        "CityRegistryZeroAddress",
      );
      await expect(r.registerBatch([ok, entry(p.frank, MAX_COLLEGES, 1, 0n, freshCredential())]))
        .to.be.revertedWithCustomError(r, "CityRegistryUnknownCollege")
        .withArgs(MAX_COLLEGES);
      await expect(r.registerBatch([ok, entry(p.dave, College.CITIZENS, 1, 0n, freshCredential())]))
        .to.be.revertedWithCustomError(r, "CityRegistryAddressReserved")
        .withArgs(p.dave.address, p.carol.address);
      expect((await p.registry.memberOf(p.erin.address)).status).to.equal(Status.None);
      await expect(r.registerBatch([])).not.to.emit(r, "MemberRegistered");
    });
  });

  describe("register", () => {
    it("stores the member, emits MemberRegistered (since = block timestamp) and DelegateVotesChanged", async () => {
      const f = await loadFixture(namedFixture);
      const credential = freshCredential();
      const t = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(t);
      const tx = f.registry
        .connect(f.registrar)
        .register(f.alice.address, College.ASSOCIATIONS, 42, Flags.RESIDENT | Flags.ASSOCIATION, credential);
      await expect(tx)
        .to.emit(f.registry, "MemberRegistered")
        .withArgs(f.alice.address, College.ASSOCIATIONS, 42, Flags.RESIDENT | Flags.ASSOCIATION, credential, t);
      await expect(tx).to.emit(f.registry, "DelegateVotesChanged").withArgs(f.alice.address, 0, 1);
      await expect(tx).not.to.emit(f.registry, "DelegateChanged");

      expect(await memberRecord(f, f.alice)).to.deep.equal({
        status: Status.Active,
        college: BigInt(College.ASSOCIATIONS),
        district: 42n,
        flags: Flags.RESIDENT | Flags.ASSOCIATION,
        since: BigInt(t),
        credentialHash: credential,
      });
      expect(await f.registry.isActiveMember(f.alice.address)).to.equal(true);
      expect(await f.registry.credentialHolder(credential)).to.equal(f.alice.address);
      expect(await f.registry.getVotes(f.alice.address)).to.equal(1n);
      expect(await f.registry.getCollegeSize(College.ASSOCIATIONS)).to.equal(1n);
    });

    it("reverts with CityRegistryZeroAddress for the zero address", async () => {
      const f = await loadFixture(namedFixture);
      await expect(f.registry.connect(f.registrar).register(ZeroAddress, 1, 1, 0n, freshCredential())).to.be.revertedWithCustomError(
        f.registry,
        "CityRegistryZeroAddress",
      );
    });

    it("reverts with CityRegistryAlreadyMember for an active or a suspended member", async () => {
      const p = await loadFixture(populatedFixture);
      for (const who of [p.alice, p.bob]) {
        await expect(p.registry.connect(p.registrar).register(who.address, 1, 1, 0n, freshCredential()))
          .to.be.revertedWithCustomError(p.registry, "CityRegistryAlreadyMember")
          .withArgs(who.address);
      }
    });

    it("reverts with CityRegistryAddressReserved for the target of a pending migration", async () => {
      const p = await loadFixture(populatedFixture);
      await expect(p.registry.connect(p.registrar).register(p.dave.address, 1, 1, 0n, freshCredential()))
        .to.be.revertedWithCustomError(p.registry, "CityRegistryAddressReserved")
        .withArgs(p.dave.address, p.carol.address);
    });

    it("reverts with CityRegistryUnknownCollege for a never-configured or a disabled college", async () => {
      const f = await loadFixture(namedFixture);
      for (const college of [COLLEGES.length, 15, 16, 255]) {
        await expect(f.registry.connect(f.registrar).register(f.alice.address, college, 1, 0n, freshCredential()))
          .to.be.revertedWithCustomError(f.registry, "CityRegistryUnknownCollege")
          .withArgs(college);
      }
      await (await f.registry.connect(f.council).configureCollege(College.PUBLIC, "PUBLIC", false)).wait();
      await expect(f.registry.connect(f.registrar).register(f.alice.address, College.PUBLIC, 1, 0n, freshCredential()))
        .to.be.revertedWithCustomError(f.registry, "CityRegistryUnknownCollege")
        .withArgs(College.PUBLIC);
    });

    it("reverts with CityRegistryEmptyCredential for a zero credential hash", async () => {
      const f = await loadFixture(namedFixture);
      await expect(f.registry.connect(f.registrar).register(f.alice.address, 1, 1, 0n, ZeroHash)).to.be.revertedWithCustomError(
        f.registry,
        "CityRegistryEmptyCredential",
      );
    });

    it("reverts with CityRegistryCredentialInUse when another member holds the credential (active or suspended)", async () => {
      const p = await loadFixture(populatedFixture);
      for (const [holder, credential] of [
        [p.alice, p.credentials.alice],
        [p.bob, p.credentials.bob],
      ] as const) {
        await expect(p.registry.connect(p.registrar).register(p.erin.address, 1, 1, 0n, credential))
          .to.be.revertedWithCustomError(p.registry, "CityRegistryCredentialInUse")
          .withArgs(credential, holder.address);
      }
    });

    it("re-registers a removed address, with a fresh since, and lets another person take a freed credential", async () => {
      const f = await loadFixture(namedFixture);
      const first = await enrol(f, f.alice);
      await (await f.registry.connect(f.registrar).remove(f.alice.address, REASON)).wait();
      expect(await f.registry.credentialHolder(first)).to.equal(ZeroAddress);

      // The freed credential goes to someone else…
      await enrol(f, f.bob, { credential: first });
      expect(await f.registry.credentialHolder(first)).to.equal(f.bob.address);

      // …and the removed address registers again with a new one.
      const second = freshCredential();
      const t = (await time.latest()) + 50;
      await at(t, async () =>
        expect(f.registry.connect(f.registrar).register(f.alice.address, College.PUBLIC, 3, Flags.MERCHANT, second))
          .to.emit(f.registry, "MemberRegistered")
          .withArgs(f.alice.address, College.PUBLIC, 3, Flags.MERCHANT, second, t),
      );
      expect(await memberRecord(f, f.alice)).to.deep.equal({
        status: Status.Active,
        college: BigInt(College.PUBLIC),
        district: 3n,
        flags: Flags.MERCHANT,
        since: BigInt(t),
        credentialHash: second,
      });
      expect(await f.registry.getVotes(f.alice.address)).to.equal(1n);
      expect(await f.registry.getCollegeSize(College.CITIZENS)).to.equal(1n); // bob
      expect(await f.registry.getCollegeSize(College.PUBLIC)).to.equal(1n); // alice
    });

    it("a removed member can get its own old credential back", async () => {
      const f = await loadFixture(namedFixture);
      const credential = await enrol(f, f.alice);
      await (await f.registry.connect(f.registrar).remove(f.alice.address, REASON)).wait();
      await enrol(f, f.alice, { credential });
      expect(await f.registry.credentialHolder(credential)).to.equal(f.alice.address);
      expect(await f.registry.isActiveMember(f.alice.address)).to.equal(true);
    });
  });

  describe("update", () => {
    it("changes college, district, flags and emits MemberUpdated; status and since unchanged", async () => {
      const p = await loadFixture(populatedFixture);
      const before = await memberRecord(p, p.alice);
      await expect(p.registry.connect(p.registrar).update(p.alice.address, College.PUBLIC, 77, Flags.PROSUMER, p.credentials.alice))
        .to.emit(p.registry, "MemberUpdated")
        .withArgs(p.alice.address, College.PUBLIC, 77, Flags.PROSUMER, p.credentials.alice);
      expect(await memberRecord(p, p.alice)).to.deep.equal({
        ...before,
        college: BigInt(College.PUBLIC),
        district: 77n,
        flags: Flags.PROSUMER,
      });
      expect(await p.registry.getCollegeSize(College.CITIZENS)).to.equal(0n);
      expect(await p.registry.getCollegeSize(College.PUBLIC)).to.equal(1n);
      expect(await p.registry.getVotes(p.alice.address)).to.equal(1n);
    });

    it("keeps the same credential without complaint", async () => {
      const p = await loadFixture(populatedFixture);
      await (await p.registry.connect(p.registrar).update(p.alice.address, 1, 2, 0n, p.credentials.alice)).wait();
      expect(await p.registry.credentialHolder(p.credentials.alice)).to.equal(p.alice.address);
    });

    it("with a new credential, claims it and frees the old one", async () => {
      const p = await loadFixture(populatedFixture);
      const renewed = freshCredential();
      await expect(p.registry.connect(p.registrar).update(p.alice.address, 1, 1, Flags.RESIDENT, renewed))
        .to.emit(p.registry, "MemberUpdated")
        .withArgs(p.alice.address, 1, 1, Flags.RESIDENT, renewed);
      expect(await p.registry.credentialHolder(renewed)).to.equal(p.alice.address);
      expect(await p.registry.credentialHolder(p.credentials.alice)).to.equal(ZeroAddress);
      expect((await p.registry.memberOf(p.alice.address)).credentialHash).to.equal(renewed);
      // The old one can be used by someone else now.
      await enrol(p, p.erin, { credential: p.credentials.alice });
      expect(await p.registry.credentialHolder(p.credentials.alice)).to.equal(p.erin.address);
    });

    it("reverts with CityRegistryNotAMember for a never-registered, a removed or a migrated-away address", async () => {
      const p = await loadFixture(populatedFixture);
      await (await p.registry.connect(p.registrar).remove(p.alice.address, REASON)).wait();
      await (await p.registry.connect(p.orchestrator).approveMigration(p.carol.address)).wait();
      await time.increase(MIGRATION_DELAY);
      await (await p.registry.completeMigration(p.carol.address)).wait();
      for (const who of [p.erin, p.alice, p.carol]) {
        await expect(p.registry.connect(p.registrar).update(who.address, 1, 1, 0n, freshCredential()))
          .to.be.revertedWithCustomError(p.registry, "CityRegistryNotAMember")
          .withArgs(who.address);
      }
    });

    it("reverts with CityRegistryUnknownCollege for a never-configured or a disabled college", async () => {
      const p = await loadFixture(populatedFixture);
      await expect(p.registry.connect(p.registrar).update(p.alice.address, 9, 1, 0n, p.credentials.alice))
        .to.be.revertedWithCustomError(p.registry, "CityRegistryUnknownCollege")
        .withArgs(9);
      await (await p.registry.connect(p.council).configureCollege(College.PUBLIC, "PUBLIC", false)).wait();
      await expect(p.registry.connect(p.registrar).update(p.alice.address, College.PUBLIC, 1, 0n, p.credentials.alice))
        .to.be.revertedWithCustomError(p.registry, "CityRegistryUnknownCollege")
        .withArgs(College.PUBLIC);
    });

    it("reverts with CityRegistryEmptyCredential when changing to a zero credential", async () => {
      const p = await loadFixture(populatedFixture);
      await expect(p.registry.connect(p.registrar).update(p.alice.address, 1, 1, 0n, ZeroHash)).to.be.revertedWithCustomError(
        p.registry,
        "CityRegistryEmptyCredential",
      );
    });

    it("reverts with CityRegistryCredentialInUse when changing to another member's credential", async () => {
      const p = await loadFixture(populatedFixture);
      await expect(p.registry.connect(p.registrar).update(p.alice.address, 1, 1, 0n, p.credentials.bob))
        .to.be.revertedWithCustomError(p.registry, "CityRegistryCredentialInUse")
        .withArgs(p.credentials.bob, p.bob.address);
      expect(await p.registry.credentialHolder(p.credentials.alice)).to.equal(p.alice.address);
    });

    it("of a suspended member changes no count until reinstatement, which counts the new college", async () => {
      const p = await loadFixture(populatedFixture);
      // Bob: suspended, PRIVATE_PARTNERS, MERCHANT.
      const t = (await time.latest()) + 10;
      await mineAt(t, () => p.registry.connect(p.registrar).update(p.bob.address, College.PUBLIC, 8, Flags.RESIDENT, p.credentials.bob));
      expect(await p.registry.getCollegeSize(College.PRIVATE_PARTNERS)).to.equal(0n);
      expect(await p.registry.getCollegeSize(College.PUBLIC)).to.equal(0n);
      await mineAt(t + 10, () => p.registry.connect(p.registrar).reinstate(p.bob.address));
      await time.increase(1);
      expect(await p.registry.getCollegeSize(College.PUBLIC)).to.equal(1n);
      expect(await p.registry.getCollegeSize(College.PRIVATE_PARTNERS)).to.equal(0n);
      expect(await pastProfile(p, p.bob, t)).to.deep.equal(INACTIVE);
      expect(await pastProfile(p, p.bob, t + 10)).to.deep.equal(activeProfile(College.PUBLIC, 8, Flags.RESIDENT));
      expect(await p.registry.getPastEligibleCount(1 << College.PUBLIC, 1, t + 10)).to.equal(1n);
      expect(await p.registry.getPastEligibleCount(1 << College.PRIVATE_PARTNERS, 2, t + 10)).to.equal(0n);
    });
  });

  describe("suspend / reinstate", () => {
    it("suspend emits MemberSuspended and DelegateVotesChanged, and takes the vote and the count", async () => {
      const p = await loadFixture(populatedFixture);
      const tx = p.registry.connect(p.registrar).suspend(p.alice.address, REASON);
      await expect(tx).to.emit(p.registry, "MemberSuspended").withArgs(p.alice.address, REASON);
      await expect(tx).to.emit(p.registry, "DelegateVotesChanged").withArgs(p.alice.address, 1, 0);
      expect((await p.registry.memberOf(p.alice.address)).status).to.equal(Status.Suspended);
      expect(await p.registry.isActiveMember(p.alice.address)).to.equal(false);
      expect(await p.registry.getVotes(p.alice.address)).to.equal(0n);
      expect(await p.registry.getCollegeSize(College.CITIZENS)).to.equal(0n);
      // The credential stays held while suspended.
      expect(await p.registry.credentialHolder(p.credentials.alice)).to.equal(p.alice.address);
    });

    it("reinstate emits MemberReinstated and DelegateVotesChanged, and gives the vote back", async () => {
      const p = await loadFixture(populatedFixture);
      const tx = p.registry.connect(p.registrar).reinstate(p.bob.address);
      await expect(tx).to.emit(p.registry, "MemberReinstated").withArgs(p.bob.address);
      await expect(tx).to.emit(p.registry, "DelegateVotesChanged").withArgs(p.bob.address, 0, 1);
      expect((await p.registry.memberOf(p.bob.address)).status).to.equal(Status.Active);
      expect(await p.registry.getVotes(p.bob.address)).to.equal(1n);
      expect(await p.registry.getCollegeSize(College.PRIVATE_PARTNERS)).to.equal(1n);
    });

    it("suspend reverts with CityRegistryNotAMember for a non-member and CityRegistryNotActive for a suspended one", async () => {
      const p = await loadFixture(populatedFixture);
      await expect(p.registry.connect(p.registrar).suspend(p.erin.address, REASON))
        .to.be.revertedWithCustomError(p.registry, "CityRegistryNotAMember")
        .withArgs(p.erin.address);
      await expect(p.registry.connect(p.registrar).suspend(p.bob.address, REASON))
        .to.be.revertedWithCustomError(p.registry, "CityRegistryNotActive")
        .withArgs(p.bob.address);
    });

    it("reinstate reverts with CityRegistryNotAMember for a non-member and CityRegistryNotSuspended for an active one", async () => {
      const p = await loadFixture(populatedFixture);
      await (await p.registry.connect(p.registrar).remove(p.bob.address, REASON)).wait();
      for (const who of [p.erin, p.bob]) {
        await expect(p.registry.connect(p.registrar).reinstate(who.address))
          .to.be.revertedWithCustomError(p.registry, "CityRegistryNotAMember")
          .withArgs(who.address);
      }
      await expect(p.registry.connect(p.registrar).reinstate(p.alice.address))
        .to.be.revertedWithCustomError(p.registry, "CityRegistryNotSuspended")
        .withArgs(p.alice.address);
    });
  });

  describe("remove", () => {
    it("of an active member emits MemberRemoved and DelegateVotesChanged, frees the credential and the count", async () => {
      const p = await loadFixture(populatedFixture);
      const tx = p.registry.connect(p.registrar).remove(p.alice.address, REASON);
      await expect(tx).to.emit(p.registry, "MemberRemoved").withArgs(p.alice.address, REASON);
      await expect(tx).to.emit(p.registry, "DelegateVotesChanged").withArgs(p.alice.address, 1, 0);
      await expect(tx).to.emit(p.coin, "MembershipMirrored").withArgs(p.alice.address, false);
      expect((await p.registry.memberOf(p.alice.address)).status).to.equal(Status.Removed);
      expect(await p.registry.credentialHolder(p.credentials.alice)).to.equal(ZeroAddress);
      expect(await p.registry.getVotes(p.alice.address)).to.equal(0n);
      expect(await p.registry.getCollegeSize(College.CITIZENS)).to.equal(0n);
    });

    it("of a suspended member frees the credential without touching votes or counts", async () => {
      const p = await loadFixture(populatedFixture);
      const supply = await p.registry.getPastTotalSupply((await time.latest()) - 1);
      const tx = p.registry.connect(p.registrar).remove(p.bob.address, REASON);
      await expect(tx).to.emit(p.registry, "MemberRemoved").withArgs(p.bob.address, REASON);
      await expect(tx).not.to.emit(p.registry, "DelegateVotesChanged");
      await expect(tx).not.to.emit(p.coin, "MembershipMirrored");
      expect((await p.registry.memberOf(p.bob.address)).status).to.equal(Status.Removed);
      expect(await p.registry.credentialHolder(p.credentials.bob)).to.equal(ZeroAddress);
      await time.increase(1);
      expect(await p.registry.getPastTotalSupply((await time.latest()) - 1)).to.equal(supply);
    });

    it("reverts with CityRegistryNotAMember for a non-member and for an already removed one", async () => {
      const p = await loadFixture(populatedFixture);
      await (await p.registry.connect(p.registrar).remove(p.alice.address, REASON)).wait();
      for (const who of [p.erin, p.alice]) {
        await expect(p.registry.connect(p.registrar).remove(who.address, REASON))
          .to.be.revertedWithCustomError(p.registry, "CityRegistryNotAMember")
          .withArgs(who.address);
      }
    });

    it("reverts with CityRegistryMigrationPending while a migration of the member is pending, and works once cancelled", async () => {
      const p = await loadFixture(populatedFixture);
      await expect(p.registry.connect(p.registrar).remove(p.carol.address, REASON))
        .to.be.revertedWithCustomError(p.registry, "CityRegistryMigrationPending")
        .withArgs(p.carol.address, p.dave.address);
      await (await p.registry.connect(p.orchestrator).cancelMigration(p.carol.address)).wait();
      await expect(p.registry.connect(p.registrar).remove(p.carol.address, REASON))
        .to.emit(p.registry, "MemberRemoved")
        .withArgs(p.carol.address, REASON);
    });
  });

  // ─── Votes (ERC-5805 / ERC-6372) ───────────────────────────────────────────────────────────────────────────────

  describe("votes", () => {
    it("clock() is the block timestamp and CLOCK_MODE() is mode=timestamp", async () => {
      const f = await loadFixture(namedFixture);
      expect(await f.registry.CLOCK_MODE()).to.equal("mode=timestamp");
      expect(await f.registry.clock()).to.equal(BigInt(await time.latest()));
      await time.increase(12_345);
      expect(await f.registry.clock()).to.equal(BigInt(await time.latest()));
      const target = (await time.latest()) + 1000;
      await time.increaseTo(target);
      expect(await f.registry.clock()).to.equal(BigInt(target));
    });

    it("every account is its own delegate; delegate and delegateBySig revert with CityRegistryVotesNotDelegable", async () => {
      const p = await loadFixture(populatedFixture);
      for (const who of [p.alice.address, p.bob.address, p.erin.address, ZeroAddress]) {
        expect(await p.registry.delegates(who)).to.equal(who);
      }
      await expect(p.registry.connect(p.alice).delegate(p.bob.address)).to.be.revertedWithCustomError(
        p.registry,
        "CityRegistryVotesNotDelegable",
      );
      await expect(p.registry.connect(p.alice).delegate(p.alice.address)).to.be.revertedWithCustomError(
        p.registry,
        "CityRegistryVotesNotDelegable",
      );
      // A genuinely signed delegation is refused too.
      const expiry = (await time.latest()) + 3600;
      const domain = await p.registry.eip712Domain();
      const signature = hre.ethers.Signature.from(
        await p.alice.signTypedData(
          { name: domain.name, version: domain.version, chainId: domain.chainId, verifyingContract: domain.verifyingContract },
          { Delegation: [{ name: "delegatee", type: "address" }, { name: "nonce", type: "uint256" }, { name: "expiry", type: "uint256" }] },
          { delegatee: p.bob.address, nonce: 0, expiry },
        ),
      );
      await expect(
        p.registry.connect(p.outsider).delegateBySig(p.bob.address, 0, expiry, signature.v, signature.r, signature.s),
      ).to.be.revertedWithCustomError(p.registry, "CityRegistryVotesNotDelegable");
      expect(await p.registry.getVotes(p.alice.address)).to.equal(1n);
      expect(await p.registry.getVotes(p.bob.address)).to.equal(0n);
    });

    it("one vote per active member across register, suspend, reinstate, remove and migrate, now and in the past", async () => {
      const f = await loadFixture(namedFixture);
      const { alice: a, bob: b, carol: c, registry, registrar } = f;
      const t0 = (await time.latest()) + 100;
      const T = { register_a: t0, register_b: t0 + 10, suspend_a: t0 + 20, reinstate_a: t0 + 30, remove_b: t0 + 40, start: t0 + 50 };
      const complete = T.start + MIGRATION_DELAY;

      await at(T.register_a, async () =>
        expect(registry.connect(registrar).register(a.address, College.CITIZENS, 1, Flags.RESIDENT, freshCredential()))
          .to.emit(registry, "DelegateVotesChanged")
          .withArgs(a.address, 0, 1),
      );
      expect(await registry.getVotes(a.address)).to.equal(1n);
      await mineAt(T.register_b, () =>
        registry.connect(registrar).register(b.address, College.PRIVATE_PARTNERS, 2, Flags.MERCHANT, freshCredential()),
      );
      expect(await registry.getVotes(b.address)).to.equal(1n);
      await at(T.suspend_a, async () =>
        expect(registry.connect(registrar).suspend(a.address, REASON)).to.emit(registry, "DelegateVotesChanged").withArgs(a.address, 1, 0),
      );
      expect(await registry.getVotes(a.address)).to.equal(0n);
      await at(T.reinstate_a, async () =>
        expect(registry.connect(registrar).reinstate(a.address)).to.emit(registry, "DelegateVotesChanged").withArgs(a.address, 0, 1),
      );
      expect(await registry.getVotes(a.address)).to.equal(1n);
      await at(T.remove_b, async () =>
        expect(registry.connect(registrar).remove(b.address, REASON)).to.emit(registry, "DelegateVotesChanged").withArgs(b.address, 1, 0),
      );
      expect(await registry.getVotes(b.address)).to.equal(0n);
      await mineAt(T.start, () => registry.connect(registrar).startMigration(a.address, c.address));
      await (await registry.connect(f.orchestrator).approveMigration(a.address)).wait();
      expect(await registry.getVotes(a.address)).to.equal(1n);
      expect(await registry.getVotes(c.address)).to.equal(0n);
      await time.setNextBlockTimestamp(complete);
      const tx = registry.connect(f.outsider).completeMigration(a.address);
      await expect(tx).to.emit(registry, "DelegateVotesChanged").withArgs(a.address, 1, 0);
      await expect(tx).to.emit(registry, "DelegateVotesChanged").withArgs(c.address, 0, 1);
      expect(await registry.getVotes(a.address)).to.equal(0n);
      expect(await registry.getVotes(c.address)).to.equal(1n);
      await time.increase(10);

      // [timepoint, votes a, votes b, votes c, total, CITIZENS size, PRIVATE_PARTNERS size]
      const expected: [number, number, number, number, number, number, number][] = [
        [T.register_a - 1, 0, 0, 0, 0, 0, 0],
        [T.register_a, 1, 0, 0, 1, 1, 0],
        [T.register_b - 1, 1, 0, 0, 1, 1, 0],
        [T.register_b, 1, 1, 0, 2, 1, 1],
        [T.suspend_a, 0, 1, 0, 1, 0, 1],
        [T.reinstate_a, 1, 1, 0, 2, 1, 1],
        [T.remove_b, 1, 0, 0, 1, 1, 0],
        [T.start, 1, 0, 0, 1, 1, 0],
        [complete - 1, 1, 0, 0, 1, 1, 0],
        [complete, 0, 0, 1, 1, 1, 0],
        [complete + 5, 0, 0, 1, 1, 1, 0],
      ];
      for (const [t, va, vb, vc, total, citizens, partners] of expected) {
        const label = `at ${t - t0}s`;
        expect(await registry.getPastVotes(a.address, t), `a ${label}`).to.equal(BigInt(va));
        expect(await registry.getPastVotes(b.address, t), `b ${label}`).to.equal(BigInt(vb));
        expect(await registry.getPastVotes(c.address, t), `c ${label}`).to.equal(BigInt(vc));
        expect(await registry.getPastTotalSupply(t), `total ${label}`).to.equal(BigInt(total));
        expect(await registry.getPastCollegeSize(College.CITIZENS, t), `citizens ${label}`).to.equal(BigInt(citizens));
        expect(await registry.getPastCollegeSize(College.PRIVATE_PARTNERS, t), `partners ${label}`).to.equal(BigInt(partners));
        // Invariant: the college counts sum to the total supply.
        let sum = 0n;
        for (let college = 0; college < MAX_COLLEGES; ++college) sum += await registry.getPastCollegeSize(college, t);
        expect(sum, `sum of colleges ${label}`).to.equal(BigInt(total));
        expect(await registry.getPastEligibleCount(ALL_COLLEGES, 0, t), `eligible ${label}`).to.equal(BigInt(total));
      }
      expect(await registry.getCollegeSize(College.CITIZENS)).to.equal(1n);
      expect(await registry.getCollegeSize(College.PRIVATE_PARTNERS)).to.equal(0n);
    });

    it("past lookups at or after now revert with ERC5805FutureLookup", async () => {
      const p = await loadFixture(populatedFixture);
      const now = await time.latest();
      for (const t of [now, now + 1, now + 3600]) {
        const lookups = [
          () => p.registry.getPastVotes(p.alice.address, t),
          () => p.registry.getPastTotalSupply(t),
          () => p.registry.getPastProfile(p.alice.address, t),
          () => p.registry.getPastCollegeSize(College.CITIZENS, t),
          () => p.registry.getPastEligibleCount(ALL_COLLEGES, 0, t),
          () => p.registry.getPastEligibleCount(ALL_COLLEGES, 1, t),
        ];
        for (const lookup of lookups) {
          await expect(lookup()).to.be.revertedWithCustomError(p.registry, "ERC5805FutureLookup").withArgs(t, now);
        }
      }
      // One second in the past is fine.
      expect(await p.registry.getPastTotalSupply(now - 1)).to.equal(2n);
    });
  });

  // ─── Snapshots: college sizes, eligible counts, profiles ───────────────────────────────────────────────────────

  describe("getPastEligibleCount", () => {
    it("counts active members by college mask and flag bit across updates that change college and flags", async () => {
      const f = await loadFixture(namedFixture);
      const { registry, registrar } = f;
      const t0 = (await time.latest()) + 100;
      const bit15 = 1n << 15n;
      const bit16 = 1n << 16n; // beyond the counted bits: never counted
      const credentials: Record<string, string> = {};
      const reg = (who: HardhatEthersSigner, college: number, flags: bigint) => {
        credentials[who.address] = freshCredential();
        return () => registry.connect(registrar).register(who.address, college, 1, flags, credentials[who.address]);
      };
      // t0: a CITIZENS RESIDENT; b CITIZENS RESIDENT|MERCHANT; c ASSOCIATIONS MERCHANT; d PUBLIC bit15|bit16
      await mineAt(t0, reg(f.alice, College.CITIZENS, Flags.RESIDENT));
      await mineAt(t0 + 1, reg(f.bob, College.CITIZENS, Flags.RESIDENT | Flags.MERCHANT));
      await mineAt(t0 + 2, reg(f.carol, College.ASSOCIATIONS, Flags.MERCHANT));
      await mineAt(t0 + 3, reg(f.dave, College.PUBLIC, bit15 | bit16));
      const t1 = t0 + 10; // a → PRIVATE_PARTNERS, MERCHANT
      await mineAt(t1, () => registry.connect(registrar).update(f.alice.address, College.PRIVATE_PARTNERS, 1, Flags.MERCHANT, credentials[f.alice.address]));
      const t2 = t0 + 20; // b keeps CITIZENS, drops every flag
      await mineAt(t2, () => registry.connect(registrar).update(f.bob.address, College.CITIZENS, 4, 0n, credentials[f.bob.address]));
      const t3 = t0 + 30; // c suspended
      await mineAt(t3, () => registry.connect(registrar).suspend(f.carol.address, REASON));
      await time.increase(10);

      const mask = (...colleges: number[]) => colleges.reduce((m, c) => m | (1 << c), 0);
      const RESIDENT = 1; // flagBit = bit + 1
      const MERCHANT = 2;
      // [timepoint, mask, flagBit, expected]
      const cases: [number, number, number, number][] = [
        [t0 - 1, ALL_COLLEGES, 0, 0],
        [t0 + 3, ALL_COLLEGES, 0, 4],
        [t0 + 3, 0, 0, 0],
        [t0 + 3, mask(College.CITIZENS), 0, 2],
        [t0 + 3, mask(College.CITIZENS), RESIDENT, 2],
        [t0 + 3, mask(College.CITIZENS), MERCHANT, 1],
        [t0 + 3, mask(College.CITIZENS, College.ASSOCIATIONS), MERCHANT, 2],
        [t0 + 3, ALL_COLLEGES, MERCHANT, 2],
        [t0 + 3, mask(College.PUBLIC), COUNTED_BITS, 1], // bit 15 is counted
        [t0 + 3, ALL_COLLEGES, COUNTED_BITS, 1],
        [t0 + 3, ALL_COLLEGES, 3, 0], // PROSUMER: nobody
        [t0 + 1, mask(College.CITIZENS), MERCHANT, 1],
        [t0, mask(College.CITIZENS), MERCHANT, 0],
        // after a moves to PRIVATE_PARTNERS as MERCHANT
        [t1, mask(College.CITIZENS), 0, 1],
        [t1, mask(College.CITIZENS), RESIDENT, 1],
        [t1, mask(College.PRIVATE_PARTNERS), 0, 1],
        [t1, mask(College.PRIVATE_PARTNERS), RESIDENT, 0],
        [t1, mask(College.PRIVATE_PARTNERS), MERCHANT, 1],
        [t1, ALL_COLLEGES, MERCHANT, 3],
        [t1, ALL_COLLEGES, RESIDENT, 1],
        // after b drops its flags
        [t2, mask(College.CITIZENS), 0, 1],
        [t2, mask(College.CITIZENS), RESIDENT, 0],
        [t2, ALL_COLLEGES, RESIDENT, 0],
        [t2, ALL_COLLEGES, MERCHANT, 2],
        // after c is suspended
        [t3, ALL_COLLEGES, 0, 3],
        [t3, mask(College.ASSOCIATIONS), 0, 0],
        [t3, ALL_COLLEGES, MERCHANT, 1],
        [t3 - 1, ALL_COLLEGES, MERCHANT, 2],
      ];
      for (const [t, m, bit, count] of cases) {
        expect(await registry.getPastEligibleCount(m, bit, t), `mask ${m.toString(2)} bit ${bit} at +${t - t0}s`).to.equal(
          BigInt(count),
        );
      }
      expect(await registry.getCollegeSize(College.CITIZENS)).to.equal(1n);
      expect(await registry.getCollegeSize(College.PRIVATE_PARTNERS)).to.equal(1n);
      expect(await registry.getCollegeSize(College.ASSOCIATIONS)).to.equal(0n);
      expect(await registry.getCollegeSize(College.PUBLIC)).to.equal(1n);
      expect(await registry.getPastCollegeSize(College.ASSOCIATIONS, t3 - 1)).to.equal(1n);
      expect(await registry.getPastCollegeSize(College.CITIZENS, t1 - 1)).to.equal(2n);
    });

    it("reverts with CityRegistryFlagOutOfRange above COUNTED_BITS", async () => {
      const f = await loadFixture(namedFixture);
      await time.increase(1);
      const t = (await time.latest()) - 1;
      for (const bit of [COUNTED_BITS + 1, 64, 255]) {
        await expect(f.registry.getPastEligibleCount(ALL_COLLEGES, bit, t))
          .to.be.revertedWithCustomError(f.registry, "CityRegistryFlagOutOfRange")
          .withArgs(bit, COUNTED_BITS);
      }
      expect(await f.registry.getPastEligibleCount(ALL_COLLEGES, COUNTED_BITS, t)).to.equal(0n);
    });
  });

  describe("getPastProfile", () => {
    it("returns the profile at a past timepoint, before and after the latest change", async () => {
      const f = await loadFixture(namedFixture);
      const { registry, registrar, alice } = f;
      const credential = freshCredential();
      const t1 = (await time.latest()) + 100;
      const t2 = t1 + 100;
      const t3 = t2 + 100;
      await mineAt(t1, () => registry.connect(registrar).register(alice.address, College.CITIZENS, 7, Flags.RESIDENT, credential));
      await mineAt(t2, () => registry.connect(registrar).update(alice.address, College.PUBLIC, 8, Flags.MERCHANT, credential));
      await mineAt(t3, () =>
        registry.connect(registrar).update(alice.address, College.ASSOCIATIONS, 9, Flags.RESIDENT | Flags.PROSUMER, credential),
      );
      await time.increase(100);

      const p1 = activeProfile(College.CITIZENS, 7, Flags.RESIDENT);
      const p2 = activeProfile(College.PUBLIC, 8, Flags.MERCHANT);
      const p3 = activeProfile(College.ASSOCIATIONS, 9, Flags.RESIDENT | Flags.PROSUMER);
      // Before the latest change: read from the history.
      expect(await pastProfile(f, alice, t1 - 1)).to.deep.equal(INACTIVE);
      expect(await pastProfile(f, alice, t1)).to.deep.equal(p1);
      expect(await pastProfile(f, alice, t1 + 50)).to.deep.equal(p1);
      expect(await pastProfile(f, alice, t2 - 1)).to.deep.equal(p1);
      expect(await pastProfile(f, alice, t2)).to.deep.equal(p2);
      expect(await pastProfile(f, alice, t3 - 1)).to.deep.equal(p2);
      // At and after the latest change: the one-slot latest profile.
      expect(await pastProfile(f, alice, t3)).to.deep.equal(p3);
      expect(await pastProfile(f, alice, t3 + 99)).to.deep.equal(p3);

      // Suspension makes the latest profile inactive; the history stays.
      const t4 = t3 + 200;
      await mineAt(t4, () => registry.connect(registrar).suspend(alice.address, REASON));
      await time.increase(1);
      expect(await pastProfile(f, alice, t4)).to.deep.equal(INACTIVE);
      expect(await pastProfile(f, alice, t4 - 1)).to.deep.equal(p3);
      expect(await pastProfile(f, alice, t2)).to.deep.equal(p2);
      // Reinstatement brings the same profile back.
      const t5 = t4 + 10;
      await mineAt(t5, () => registry.connect(registrar).reinstate(alice.address));
      await time.increase(1);
      expect(await pastProfile(f, alice, t5)).to.deep.equal(p3);
      expect(await pastProfile(f, alice, t5 - 1)).to.deep.equal(INACTIVE);
    });

    it("is inactive for an address that never registered", async () => {
      const f = await loadFixture(namedFixture);
      await time.increase(10);
      expect(await pastProfile(f, f.outsider, (await time.latest()) - 1)).to.deep.equal(INACTIVE);
      expect(await pastProfile(f, f.outsider, 0)).to.deep.equal(INACTIVE);
    });

    it("keeps the largest district and flag values intact", async () => {
      const f = await loadFixture(namedFixture);
      const maxDistrict = 2 ** 32 - 1;
      const maxFlags = 2n ** 64n - 1n;
      const t = (await time.latest()) + 10;
      await mineAt(t, () =>
        f.registry.connect(f.registrar).register(f.alice.address, College.ASSOCIATIONS, maxDistrict, maxFlags, freshCredential()),
      );
      await time.increase(1);
      expect(await pastProfile(f, f.alice, t)).to.deep.equal(activeProfile(College.ASSOCIATIONS, maxDistrict, maxFlags));
    });
  });

  // ─── Key recovery ──────────────────────────────────────────────────────────────────────────────────────────────

  describe("migration", () => {
    /** Alice active with 50 coins; Bob active. */
    async function migrationFixture() {
      const f = await namedFixture();
      const credential = await enrol(f, f.alice, { college: College.ASSOCIATIONS, district: 12, flags: Flags.RESIDENT | Flags.ASSOCIATION });
      await enrol(f, f.bob);
      await issue(f, f.alice, coins(50));
      return { ...f, credential };
    }

    it("startMigration records the migration, reserves the target and emits MigrationStarted(readyAt)", async () => {
      const m = await loadFixture(migrationFixture);
      const t = (await time.latest()) + 10;
      await at(t, async () =>
        expect(m.registry.connect(m.registrar).startMigration(m.alice.address, m.carol.address))
          .to.emit(m.registry, "MigrationStarted")
          .withArgs(m.alice.address, m.carol.address, t + MIGRATION_DELAY, m.registrar.address),
      );
      const pending = await m.registry.migrationOf(m.alice.address);
      expect(pending.to).to.equal(m.carol.address);
      expect(pending.readyAt).to.equal(BigInt(t + MIGRATION_DELAY));
      // Nothing moves yet.
      expect(await m.registry.getVotes(m.alice.address)).to.equal(1n);
      expect(await m.registry.isActiveMember(m.carol.address)).to.equal(false);
    });

    it("startMigration reverts with CityRegistryNotAMember when `from` is not a member", async () => {
      const m = await loadFixture(migrationFixture);
      await (await m.registry.connect(m.registrar).remove(m.bob.address, REASON)).wait();
      for (const from of [m.erin, m.bob]) {
        await expect(m.registry.connect(m.registrar).startMigration(from.address, m.carol.address))
          .to.be.revertedWithCustomError(m.registry, "CityRegistryNotAMember")
          .withArgs(from.address);
      }
    });

    it("startMigration reverts with CityRegistryZeroAddress for a zero target", async () => {
      const m = await loadFixture(migrationFixture);
      await expect(m.registry.connect(m.registrar).startMigration(m.alice.address, ZeroAddress)).to.be.revertedWithCustomError(
        m.registry,
        "CityRegistryZeroAddress",
      );
    });

    it("startMigration reverts with CityRegistryAlreadyMember onto an active or a suspended member (or itself)", async () => {
      const m = await loadFixture(migrationFixture);
      await enrol(m, m.carol);
      await (await m.registry.connect(m.registrar).suspend(m.carol.address, REASON)).wait();
      for (const to of [m.bob, m.carol, m.alice]) {
        await expect(m.registry.connect(m.registrar).startMigration(m.alice.address, to.address))
          .to.be.revertedWithCustomError(m.registry, "CityRegistryAlreadyMember")
          .withArgs(to.address);
      }
    });

    it("startMigration reverts with CityRegistryAddressUsed onto an address that held a membership before", async () => {
      const m = await loadFixture(migrationFixture);
      await enrol(m, m.carol);
      await (await m.registry.connect(m.registrar).remove(m.carol.address, REASON)).wait();
      await expect(m.registry.connect(m.registrar).startMigration(m.alice.address, m.carol.address))
        .to.be.revertedWithCustomError(m.registry, "CityRegistryAddressUsed")
        .withArgs(m.carol.address);
    });

    it("startMigration reverts with CityRegistryAddressReserved onto another migration's target", async () => {
      const m = await loadFixture(migrationFixture);
      await (await m.registry.connect(m.registrar).startMigration(m.alice.address, m.carol.address)).wait();
      await expect(m.registry.connect(m.registrar).startMigration(m.bob.address, m.carol.address))
        .to.be.revertedWithCustomError(m.registry, "CityRegistryAddressReserved")
        .withArgs(m.carol.address, m.alice.address);
    });

    it("startMigration reverts with CityRegistryMigrationPending for a second start of the same member", async () => {
      const m = await loadFixture(migrationFixture);
      await (await m.registry.connect(m.registrar).startMigration(m.alice.address, m.carol.address)).wait();
      await expect(m.registry.connect(m.registrar).startMigration(m.alice.address, m.dave.address))
        .to.be.revertedWithCustomError(m.registry, "CityRegistryMigrationPending")
        .withArgs(m.alice.address, m.carol.address);
    });

    it("completes after the delay, by anyone: vote, profile, credential, college count and coins move", async () => {
      const m = await loadFixture(migrationFixture);
      const { registry, coin, alice, carol } = m;
      const before = await memberRecord(m, alice);
      const t = (await time.latest()) + 10;
      await mineAt(t, () => registry.connect(m.registrar).startMigration(alice.address, carol.address));
      await (await registry.connect(m.orchestrator).approveMigration(alice.address)).wait();
      const readyAt = t + MIGRATION_DELAY;

      await time.setNextBlockTimestamp(readyAt);
      const tx = registry.connect(m.outsider).completeMigration(alice.address);
      await expect(tx).to.emit(registry, "MigrationCompleted").withArgs(alice.address, carol.address);
      await expect(tx).to.emit(registry, "DelegateVotesChanged").withArgs(alice.address, 1, 0);
      await expect(tx).to.emit(registry, "DelegateVotesChanged").withArgs(carol.address, 0, 1);
      await expect(tx).to.emit(coin, "BalanceMigrated").withArgs(alice.address, carol.address, coins(50));
      await expect(tx).to.emit(coin, "Transfer").withArgs(alice.address, carol.address, coins(50));
      await expect(tx).to.emit(coin, "MembershipMirrored").withArgs(carol.address, true);
      await expect(tx).to.emit(coin, "MembershipMirrored").withArgs(alice.address, false);

      // Membership.
      expect(await memberRecord(m, carol)).to.deep.equal(before);
      expect((await registry.memberOf(alice.address)).status).to.equal(Status.Removed);
      expect(await registry.isActiveMember(alice.address)).to.equal(false);
      expect(await registry.isActiveMember(carol.address)).to.equal(true);
      expect(await registry.credentialHolder(m.credential)).to.equal(carol.address);
      const pending = await registry.migrationOf(alice.address);
      expect(pending.to).to.equal(ZeroAddress);
      expect(pending.readyAt).to.equal(0n);
      // Votes and counts.
      expect(await registry.getVotes(alice.address)).to.equal(0n);
      expect(await registry.getVotes(carol.address)).to.equal(1n);
      expect(await registry.getCollegeSize(College.ASSOCIATIONS)).to.equal(1n);
      // Profile snapshots.
      await time.increase(1);
      const profile = activeProfile(College.ASSOCIATIONS, 12, Flags.RESIDENT | Flags.ASSOCIATION);
      expect(await pastProfile(m, alice, readyAt - 1)).to.deep.equal(profile);
      expect(await pastProfile(m, carol, readyAt - 1)).to.deep.equal(INACTIVE);
      expect(await pastProfile(m, alice, readyAt)).to.deep.equal(INACTIVE);
      expect(await pastProfile(m, carol, readyAt)).to.deep.equal(profile);
      expect(await registry.getPastTotalSupply(readyAt)).to.equal(await registry.getPastTotalSupply(readyAt - 1));
      expect(await registry.getPastEligibleCount(1 << College.ASSOCIATIONS, 5, readyAt)).to.equal(1n);
      // Coins.
      expect(await coin.balanceOf(alice.address)).to.equal(0n);
      expect(await coin.balanceOf(carol.address)).to.equal(coins(50));
      await expect(coin.connect(alice).transfer(m.bob.address, 1n))
        .to.be.revertedWithCustomError(coin, "CityCoinTransferNotAllowed")
        .withArgs(alice.address);
      await expect(coin.connect(carol).transfer(m.bob.address, coins(20))).to.changeTokenBalances(
        coin,
        [carol, m.bob],
        [-coins(20), coins(20)],
      );
      // The target is no longer reserved, so it cannot be migrated onto or registered again (it is a member now),
      // and the old key is free to register with a fresh credential.
      await expect(registry.connect(m.registrar).register(carol.address, 1, 1, 0n, freshCredential()))
        .to.be.revertedWithCustomError(registry, "CityRegistryAlreadyMember")
        .withArgs(carol.address);
      await expect(registry.connect(m.registrar).register(alice.address, 1, 1, 0n, m.credential))
        .to.be.revertedWithCustomError(registry, "CityRegistryCredentialInUse")
        .withArgs(m.credential, carol.address);
      await enrol(m, alice);
      expect(await registry.isActiveMember(alice.address)).to.equal(true);
    });

    it("completeMigration reverts with CityRegistryMigrationNotReady until readyAt", async () => {
      const m = await loadFixture(migrationFixture);
      const t = (await time.latest()) + 10;
      await mineAt(t, () => m.registry.connect(m.registrar).startMigration(m.alice.address, m.carol.address));
      await (await m.registry.connect(m.orchestrator).approveMigration(m.alice.address)).wait();
      const readyAt = t + MIGRATION_DELAY;
      await expect(m.registry.completeMigration(m.alice.address))
        .to.be.revertedWithCustomError(m.registry, "CityRegistryMigrationNotReady")
        .withArgs(m.alice.address, readyAt);
      await time.setNextBlockTimestamp(readyAt - 1);
      await expect(m.registry.completeMigration(m.alice.address, { gasLimit: 1_000_000 }))
        .to.be.revertedWithCustomError(m.registry, "CityRegistryMigrationNotReady")
        .withArgs(m.alice.address, readyAt);
      await time.setNextBlockTimestamp(readyAt);
      await expect(m.registry.completeMigration(m.alice.address)).to.emit(m.registry, "MigrationCompleted");
    });

    it("completeMigration reverts with CityRegistryNoMigration when nothing is pending (never, cancelled, completed)", async () => {
      const m = await loadFixture(migrationFixture);
      for (const from of [m.alice, m.erin]) {
        await expect(m.registry.completeMigration(from.address))
          .to.be.revertedWithCustomError(m.registry, "CityRegistryNoMigration")
          .withArgs(from.address);
      }
      await (await m.registry.connect(m.registrar).startMigration(m.alice.address, m.carol.address)).wait();
      await (await m.registry.connect(m.alice).cancelMigration(m.alice.address)).wait();
      await time.increase(MIGRATION_DELAY);
      await expect(m.registry.completeMigration(m.alice.address))
        .to.be.revertedWithCustomError(m.registry, "CityRegistryNoMigration")
        .withArgs(m.alice.address);
      await (await m.registry.connect(m.registrar).startMigration(m.bob.address, m.dave.address)).wait();
      await (await m.registry.connect(m.orchestrator).approveMigration(m.bob.address)).wait();
      await time.increase(MIGRATION_DELAY);
      await (await m.registry.completeMigration(m.bob.address)).wait();
      await expect(m.registry.completeMigration(m.bob.address))
        .to.be.revertedWithCustomError(m.registry, "CityRegistryNoMigration")
        .withArgs(m.bob.address);
    });

    it("the old key cancels directly: MigrationCancelled(by = member), the target is released", async () => {
      const m = await loadFixture(migrationFixture);
      await (await m.registry.connect(m.registrar).startMigration(m.alice.address, m.carol.address)).wait();
      await expect(m.registry.connect(m.alice).cancelMigration(m.alice.address))
        .to.emit(m.registry, "MigrationCancelled")
        .withArgs(m.alice.address, m.carol.address, m.alice.address);
      expect((await m.registry.migrationOf(m.alice.address)).to).to.equal(ZeroAddress);
      // Released: the target can be registered, and the member can start a new migration.
      await enrol(m, m.carol);
      await expect(m.registry.connect(m.registrar).startMigration(m.alice.address, m.dave.address)).to.emit(
        m.registry,
        "MigrationStarted",
      );
      expect(await m.registry.getVotes(m.alice.address)).to.equal(1n);
    });

    it("the old key cancels through the CityForwarder: ERC-2771 msgSender is the member", async () => {
      const m = await loadFixture(migrationFixture);
      await (await m.registry.connect(m.registrar).startMigration(m.alice.address, m.carol.address)).wait();
      const data = m.registry.interface.encodeFunctionData("cancelMigration", [m.alice.address]);
      const request = await signForwardRequest(m.forwarder, m.alice, { to: await m.registry.getAddress(), data });
      const tx = m.forwarder.connect(m.relayer).execute(request);
      await expect(tx).to.emit(m.registry, "MigrationCancelled").withArgs(m.alice.address, m.carol.address, m.alice.address);
      await expect(tx).to.emit(m.forwarder, "ExecutedForwardRequest").withArgs(m.alice.address, 0, true);
      expect((await m.registry.migrationOf(m.alice.address)).to).to.equal(ZeroAddress);
    });

    it("a relayed cancel signed by someone else fails: the relayer's address is not the sender", async () => {
      const m = await loadFixture(migrationFixture);
      await (await m.registry.connect(m.registrar).startMigration(m.alice.address, m.carol.address)).wait();
      const data = m.registry.interface.encodeFunctionData("cancelMigration", [m.alice.address]);
      const request = await signForwardRequest(m.forwarder, m.outsider, { to: await m.registry.getAddress(), data });
      await expect(m.forwarder.connect(m.relayer).execute(request)).to.be.revertedWithCustomError(m.forwarder, "FailedCall");
      expect((await m.registry.migrationOf(m.alice.address)).to).to.equal(m.carol.address);
    });

    it("the orchestrator cancels (directly or relayed): MigrationCancelled(by = orchestrator)", async () => {
      const m = await loadFixture(migrationFixture);
      await (await m.registry.connect(m.registrar).startMigration(m.alice.address, m.carol.address)).wait();
      await expect(m.registry.connect(m.orchestrator).cancelMigration(m.alice.address))
        .to.emit(m.registry, "MigrationCancelled")
        .withArgs(m.alice.address, m.carol.address, m.orchestrator.address);
      expect((await m.registry.migrationOf(m.alice.address)).to).to.equal(ZeroAddress);

      await (await m.registry.connect(m.registrar).startMigration(m.bob.address, m.dave.address)).wait();
      const data = m.registry.interface.encodeFunctionData("cancelMigration", [m.bob.address]);
      const request = await signForwardRequest(m.forwarder, m.orchestrator, { to: await m.registry.getAddress(), data });
      await expect(m.forwarder.connect(m.relayer).execute(request))
        .to.emit(m.registry, "MigrationCancelled")
        .withArgs(m.bob.address, m.dave.address, m.orchestrator.address);
    });

    it("cancelMigration reverts with CityRegistryUnauthorizedCancel for anyone else, the target included", async () => {
      const m = await loadFixture(migrationFixture);
      await (await m.registry.connect(m.registrar).startMigration(m.alice.address, m.carol.address)).wait();
      for (const caller of [m.carol, m.bob, m.registrar, m.admin, m.outsider]) {
        await expect(m.registry.connect(caller).cancelMigration(m.alice.address))
          .to.be.revertedWithCustomError(m.registry, "CityRegistryUnauthorizedCancel")
          .withArgs(caller.address, m.alice.address);
      }
    });

    it("a suspended member still cancels a migration of its own membership, as does the orchestrator", async () => {
      const m = await loadFixture(migrationFixture);
      await (await m.registry.connect(m.registrar).suspend(m.alice.address, hre.ethers.id("suspended"))).wait();
      await (await m.registry.connect(m.registrar).startMigration(m.alice.address, m.carol.address)).wait();
      await expect(m.registry.connect(m.alice).cancelMigration(m.alice.address))
        .to.emit(m.registry, "MigrationCancelled")
        .withArgs(m.alice.address, m.carol.address, m.alice.address);
      await (await m.registry.connect(m.registrar).startMigration(m.alice.address, m.carol.address)).wait();
      await expect(m.registry.connect(m.orchestrator).cancelMigration(m.alice.address))
        .to.emit(m.registry, "MigrationCancelled")
        .withArgs(m.alice.address, m.carol.address, m.orchestrator.address);
    });

    it("cancelMigration reverts with CityRegistryNoMigration when nothing is pending (member and orchestrator)", async () => {
      const m = await loadFixture(migrationFixture);
      await expect(m.registry.connect(m.alice).cancelMigration(m.alice.address))
        .to.be.revertedWithCustomError(m.registry, "CityRegistryNoMigration")
        .withArgs(m.alice.address);
      await expect(m.registry.connect(m.orchestrator).cancelMigration(m.bob.address))
        .to.be.revertedWithCustomError(m.registry, "CityRegistryNoMigration")
        .withArgs(m.bob.address);
    });

    it("a suspended member migrates as suspended: no vote moves, coins move, reinstatement works on the new key", async () => {
      const m = await loadFixture(migrationFixture);
      const { registry, coin, alice, carol } = m;
      await (await registry.connect(m.registrar).suspend(alice.address, REASON)).wait();
      const before = await memberRecord(m, alice);
      await (await registry.connect(m.registrar).startMigration(alice.address, carol.address)).wait();
      await (await registry.connect(m.orchestrator).approveMigration(alice.address)).wait();
      await time.increase(MIGRATION_DELAY);
      const tx = registry.connect(m.outsider).completeMigration(alice.address);
      await expect(tx).to.emit(registry, "MigrationCompleted").withArgs(alice.address, carol.address);
      await expect(tx).not.to.emit(registry, "DelegateVotesChanged");
      await expect(tx).to.emit(coin, "BalanceMigrated").withArgs(alice.address, carol.address, coins(50));
      await expect(tx).to.emit(coin, "MembershipMirrored").withArgs(carol.address, false);

      expect(await memberRecord(m, carol)).to.deep.equal({ ...before, status: Status.Suspended });
      expect((await registry.memberOf(alice.address)).status).to.equal(Status.Removed);
      expect(await registry.getVotes(carol.address)).to.equal(0n);
      expect(await registry.getVotes(alice.address)).to.equal(0n);
      expect(await registry.getCollegeSize(College.ASSOCIATIONS)).to.equal(0n);
      expect(await coin.balanceOf(carol.address)).to.equal(coins(50));
      await expect(coin.connect(carol).transfer(m.bob.address, 1n))
        .to.be.revertedWithCustomError(coin, "CityCoinTransferNotAllowed")
        .withArgs(carol.address);

      await expect(registry.connect(m.registrar).reinstate(carol.address))
        .to.emit(registry, "DelegateVotesChanged")
        .withArgs(carol.address, 0, 1);
      expect(await registry.getCollegeSize(College.ASSOCIATIONS)).to.equal(1n);
      await expect(coin.connect(carol).transfer(m.bob.address, 1n)).to.changeTokenBalance(coin, m.bob, 1n);
    });

    it("a member suspended while its migration is pending migrates as suspended", async () => {
      const m = await loadFixture(migrationFixture);
      await (await m.registry.connect(m.registrar).startMigration(m.alice.address, m.carol.address)).wait();
      await (await m.registry.connect(m.registrar).suspend(m.alice.address, REASON)).wait();
      await time.increase(MIGRATION_DELAY);
      await (await m.registry.connect(m.orchestrator).approveMigration(m.alice.address)).wait();
      await (await m.registry.completeMigration(m.alice.address)).wait();
      expect((await m.registry.memberOf(m.carol.address)).status).to.equal(Status.Suspended);
      expect(await m.registry.getVotes(m.carol.address)).to.equal(0n);
      expect(await m.registry.getCollegeSize(College.ASSOCIATIONS)).to.equal(0n);
    });

    it("an update during a pending migration moves with it (new credential held by the new key)", async () => {
      const m = await loadFixture(migrationFixture);
      await (await m.registry.connect(m.registrar).startMigration(m.alice.address, m.carol.address)).wait();
      const renewed = freshCredential();
      await (await m.registry.connect(m.registrar).update(m.alice.address, College.PUBLIC, 5, Flags.MERCHANT, renewed)).wait();
      await time.increase(MIGRATION_DELAY);
      await (await m.registry.connect(m.orchestrator).approveMigration(m.alice.address)).wait();
      await (await m.registry.completeMigration(m.alice.address)).wait();
      const moved = await m.registry.memberOf(m.carol.address);
      expect([moved.status, moved.college, moved.district, moved.flags, moved.credentialHash]).to.deep.equal([
        Status.Active,
        BigInt(College.PUBLIC),
        5n,
        Flags.MERCHANT,
        renewed,
      ]);
      expect(await m.registry.credentialHolder(renewed)).to.equal(m.carol.address);
      expect(await m.registry.credentialHolder(m.credential)).to.equal(ZeroAddress);
      expect(await m.registry.getCollegeSize(College.PUBLIC)).to.equal(1n);
      expect(await m.registry.getCollegeSize(College.ASSOCIATIONS)).to.equal(0n);
    });
  });
});

describe("CityRegistry: snapshot profile of the current membership (getPastMemberProfile)", () => {
  it("reads the past profile only while the address still holds the membership of that time", async () => {
    const f = await loadFixture(cityFixture);
    const [alice, bob] = f.people;
    await enrolMember(f, alice, { college: 2, district: 7, flags: 5n });
    await enrolMember(f, bob, { college: 1, district: 3, flags: 1n });
    await wait(10);
    const t = (await clockNow()) - 1;
    await wait(10);
    // Unchanged since t (fast path): same as the address's profile.
    expect(await f.registry.getPastMemberProfile(alice.address, t)).to.deep.equal([true, 2n, 7n, 5n]);
    // Suspended and reinstated after t: still the same membership, read from history.
    await (await f.registry.connect(f.registrar).suspend(bob.address, hre.ethers.id("check"))).wait();
    await (await f.registry.connect(f.registrar).reinstate(bob.address)).wait();
    expect(await f.registry.getPastMemberProfile(bob.address, t)).to.deep.equal([true, 1n, 3n, 1n]);
    // Removed, then registered again (a new membership): the address was active at t, the membership was not.
    await (await f.registry.connect(f.registrar).remove(alice.address, hre.ethers.id("left"))).wait();
    await enrolMember(f, alice, { college: 0, district: 1, flags: 0n });
    await wait(2);
    expect(await f.registry.getPastProfile(alice.address, t)).to.deep.equal([true, 2n, 7n, 5n]);
    expect(await f.registry.getPastMemberProfile(alice.address, t)).to.deep.equal([false, 0n, 0n, 0n]);
    // An address that is not an active member now reads as inactive (suspended, removed), while its plain past
    // profile still says what it was at t.
    await (await f.registry.connect(f.registrar).suspend(bob.address, hre.ethers.id("paused"))).wait();
    await wait(2);
    expect(await f.registry.getPastMemberProfile(bob.address, t)).to.deep.equal([false, 0n, 0n, 0n]);
    expect(await f.registry.getPastProfile(bob.address, t)).to.deep.equal([true, 1n, 3n, 1n]);
    await (await f.registry.connect(f.registrar).remove(bob.address, hre.ethers.id("left"))).wait();
    await wait(2);
    expect(await f.registry.getPastMemberProfile(bob.address, t)).to.deep.equal([false, 0n, 0n, 0n]);
    await expect(f.registry.getPastMemberProfile(alice.address, (await clockNow()) + 5))
      .to.be.revertedWithCustomError(f.registry, "ERC5805FutureLookup");
  });
});
