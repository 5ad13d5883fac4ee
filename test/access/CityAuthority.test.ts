import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress, id } from "ethers";
import type { BaseContract } from "ethers";
import { cityFixture, freshCredential, type CityFixture } from "../fixtures";
import { Flags, PERMISSIONS, Roles, type ManagedContract, type RoleName } from "../../scripts/lib/roles";

const PUBLIC_ROLE = 2n ** 64n - 1n;
/** Fixture signers that do not hold ADMIN_ROLE. */
const NON_ADMINS = ["registrar", "issuer", "council", "orchestrator", "guardian", "relayer", "outsider"] as const;
/** The city roles: every role of roles.ts but AccessManager's own ADMIN_ROLE. */
const CITY_ROLES = (Object.entries(Roles) as [RoleName, bigint][]).filter(([name]) => name !== "ADMIN");

/** Labels in role-id order: the order of emission does not matter, their set does (duplicates included). */
const sortById = (labels: (readonly [bigint, string])[]) => [...labels].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

/** A managed contract of the fixture's city, found by name in its deployment record (a new domain adds no line here). */
function managed(f: CityFixture, name: ManagedContract): Promise<BaseContract> {
  return hre.ethers.getContractAt(name, f.record.contracts[name].address);
}

describe("CityAuthority", () => {
  describe("role ids", () => {
    it("roles.ts ids equal the contract's public constants, and ADMIN is AccessManager's ADMIN_ROLE", async () => {
      const f = await loadFixture(cityFixture);
      expect(await f.authority.ADMIN_ROLE()).to.equal(Roles.ADMIN);
      expect(await f.authority.PUBLIC_ROLE()).to.equal(PUBLIC_ROLE);
      for (const [name, roleId] of CITY_ROLES) {
        expect(await f.authority.getFunction(name)(), name).to.equal(roleId);
      }
    });

    it("every role constant of the contract is in roles.ts, ids unique and distinct from PUBLIC_ROLE", async () => {
      const f = await loadFixture(cityFixture);
      const constants: string[] = [];
      f.authority.interface.forEachFunction((fn) => {
        const isRoleConstant =
          fn.constant && fn.inputs.length === 0 && fn.outputs.length === 1 && fn.outputs[0].type === "uint64" && /^[A-Z_]+$/.test(fn.name);
        if (isRoleConstant && fn.name !== "ADMIN_ROLE" && fn.name !== "PUBLIC_ROLE") constants.push(fn.name);
      });
      expect(constants.sort()).to.deep.equal(CITY_ROLES.map(([name]) => name).sort());
      const ids = Object.values(Roles);
      expect(new Set(ids).size).to.equal(ids.length);
      expect(ids).not.to.include(PUBLIC_ROLE);
    });
  });

  describe("construction", () => {
    it("labels every city role with its name, and no other", async () => {
      const [deployer] = await hre.ethers.getSigners();
      const factory = await hre.ethers.getContractFactory("CityAuthority", deployer);
      const authority = await factory.deploy(deployer.address);
      const deployment = authority.deploymentTransaction()!;
      for (const [name, roleId] of CITY_ROLES) {
        await expect(deployment).to.emit(authority, "RoleLabel").withArgs(roleId, name);
      }
      const receipt = (await deployment.wait())!;
      const labels = receipt.logs
        .map((log) => authority.interface.parseLog(log))
        .filter((parsed) => parsed?.name === "RoleLabel")
        .map((parsed) => [parsed!.args.roleId as bigint, parsed!.args.label as string] as const);
      expect(sortById(labels)).to.deep.equal(sortById(CITY_ROLES.map(([name, roleId]) => [roleId, name] as const)));
    });

    it("the city's deployed authority carries the same labels in its logs", async () => {
      const f = await loadFixture(cityFixture);
      const events = await f.authority.queryFilter(f.authority.filters.RoleLabel(), f.record.deployBlock, f.record.deployBlock);
      expect(sortById(events.map((e) => [e.args.roleId, e.args.label] as const))).to.deep.equal(
        sortById(CITY_ROLES.map(([name, roleId]) => [roleId, name] as const)),
      );
    });

    it("grants ADMIN_ROLE to the initial admin, and rejects a zero admin", async () => {
      const [deployer, other] = await hre.ethers.getSigners();
      const factory = await hre.ethers.getContractFactory("CityAuthority", deployer);
      const authority = await factory.deploy(other.address);
      const deployment = authority.deploymentTransaction()!;
      const block = (await hre.ethers.provider.getBlock((await deployment.wait())!.blockNumber))!;
      await expect(deployment).to.emit(authority, "RoleGranted").withArgs(Roles.ADMIN, other.address, 0, block.timestamp, true);
      expect(await authority.hasRole(Roles.ADMIN, other.address)).to.deep.equal([true, 0n]);
      expect(await authority.hasRole(Roles.ADMIN, deployer.address)).to.deep.equal([false, 0n]);
      await expect(factory.deploy(ZeroAddress))
        .to.be.revertedWithCustomError(factory, "AccessManagerInvalidInitialAdmin")
        .withArgs(ZeroAddress);
    });

    it("ADMIN_ROLE cannot be relabelled", async () => {
      const f = await loadFixture(cityFixture);
      await expect(f.authority.connect(f.admin).labelRole(Roles.ADMIN, "ADMIN"))
        .to.be.revertedWithCustomError(f.authority, "AccessManagerLockedRole")
        .withArgs(Roles.ADMIN);
    });
  });

  describe("the deployed city", () => {
    it("the deployer is admin and kept no other role (the temporary COUNCIL grant was revoked)", async () => {
      const f = await loadFixture(cityFixture);
      expect(await f.authority.hasRole(Roles.ADMIN, f.admin.address)).to.deep.equal([true, 0n]);
      for (const [name, roleId] of CITY_ROLES) {
        const [isMember] = await f.authority.hasRole(roleId, f.admin.address);
        expect(isMember, name).to.equal(false);
      }
    });

    it("wires every PERMISSIONS entry of every managed contract to its role (ADMIN entries stay ADMIN-only)", async () => {
      const f = await loadFixture(cityFixture);
      for (const [name, table] of Object.entries(PERMISSIONS) as [ManagedContract, Record<string, RoleName>][]) {
        const target = await managed(f, name);
        const address = await target.getAddress();
        for (const [signature, role] of Object.entries(table)) {
          const fragment = target.interface.getFunction(signature);
          expect(fragment, `${name}.${signature} exists`).to.not.equal(null);
          expect(await f.authority.getTargetFunctionRole(address, fragment!.selector), `${name}.${signature}`).to.equal(Roles[role]);
        }
        expect(await f.authority.isTargetClosed(address), name).to.equal(false);
      }
    });
  });

  describe("admin-only operations", () => {
    for (const actor of NON_ADMINS) {
      it(`grantRole and revokeRole revert with AccessManagerUnauthorizedAccount for ${actor}`, async () => {
        const f = await loadFixture(cityFixture);
        const caller = f[actor];
        for (const roleId of [Roles.REGISTRAR, Roles.COUNCIL, Roles.ADMIN]) {
          await expect(f.authority.connect(caller).grantRole(roleId, caller.address, 0))
            .to.be.revertedWithCustomError(f.authority, "AccessManagerUnauthorizedAccount")
            .withArgs(caller.address, Roles.ADMIN);
        }
        await expect(f.authority.connect(caller).revokeRole(Roles.REGISTRAR, f.registrar.address))
          .to.be.revertedWithCustomError(f.authority, "AccessManagerUnauthorizedAccount")
          .withArgs(caller.address, Roles.ADMIN);
        const [stillRegistrar] = await f.authority.hasRole(Roles.REGISTRAR, f.registrar.address);
        expect(stillRegistrar).to.equal(true);
      });

      it(`setTargetFunctionRole reverts with AccessManagerUnauthorizedAccount for ${actor}`, async () => {
        const f = await loadFixture(cityFixture);
        const caller = f[actor];
        const registry = await f.registry.getAddress();
        const selector = f.registry.interface.getFunction("suspend")!.selector;
        await expect(f.authority.connect(caller).setTargetFunctionRole(registry, [selector], Roles.COUNCIL))
          .to.be.revertedWithCustomError(f.authority, "AccessManagerUnauthorizedAccount")
          .withArgs(caller.address, Roles.ADMIN);
        expect(await f.authority.getTargetFunctionRole(registry, selector)).to.equal(Roles.REGISTRAR);
      });
    }

    it("the admin grants a role (RoleGranted) that takes effect at once, and revokes it (RoleRevoked)", async () => {
      const f = await loadFixture(cityFixture);
      const [newcomer] = f.people;
      const t = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(t);
      await expect(f.authority.connect(f.admin).grantRole(Roles.REGISTRAR, f.outsider.address, 0))
        .to.emit(f.authority, "RoleGranted")
        .withArgs(Roles.REGISTRAR, f.outsider.address, 0, t, true);
      expect(await f.authority.hasRole(Roles.REGISTRAR, f.outsider.address)).to.deep.equal([true, 0n]);
      await expect(f.registry.connect(f.outsider).register(newcomer.address, 1, 1, Flags.RESIDENT, freshCredential())).to.emit(
        f.registry,
        "MemberRegistered",
      );

      await expect(f.authority.connect(f.admin).revokeRole(Roles.REGISTRAR, f.outsider.address))
        .to.emit(f.authority, "RoleRevoked")
        .withArgs(Roles.REGISTRAR, f.outsider.address);
      await expect(f.registry.connect(f.outsider).suspend(newcomer.address, id("x")))
        .to.be.revertedWithCustomError(f.registry, "AccessManagedUnauthorized")
        .withArgs(f.outsider.address);
    });

    it("the admin re-targets a function (TargetFunctionRoleUpdated) and the managed contract follows", async () => {
      const f = await loadFixture(cityFixture);
      const [member] = f.people;
      await (await f.registry.connect(f.registrar).register(member.address, 1, 1, Flags.RESIDENT, freshCredential())).wait();
      const registry = await f.registry.getAddress();
      const selector = f.registry.interface.getFunction("suspend")!.selector;
      await expect(f.authority.connect(f.admin).setTargetFunctionRole(registry, [selector], Roles.COUNCIL))
        .to.emit(f.authority, "TargetFunctionRoleUpdated")
        .withArgs(registry, selector, Roles.COUNCIL);
      expect(await f.authority.getTargetFunctionRole(registry, selector)).to.equal(Roles.COUNCIL);
      await expect(f.registry.connect(f.registrar).suspend(member.address, id("x")))
        .to.be.revertedWithCustomError(f.registry, "AccessManagedUnauthorized")
        .withArgs(f.registrar.address);
      await expect(f.registry.connect(f.council).suspend(member.address, id("x")))
        .to.emit(f.registry, "MemberSuspended")
        .withArgs(member.address, id("x"));
    });

    it("labelRole is admin-only too", async () => {
      const f = await loadFixture(cityFixture);
      await expect(f.authority.connect(f.council).labelRole(Roles.COUNCIL, "X"))
        .to.be.revertedWithCustomError(f.authority, "AccessManagerUnauthorizedAccount")
        .withArgs(f.council.address, Roles.ADMIN);
      await expect(f.authority.connect(f.admin).labelRole(Roles.COUNCIL, "CITY_COUNCIL"))
        .to.emit(f.authority, "RoleLabel")
        .withArgs(Roles.COUNCIL, "CITY_COUNCIL");
    });
  });
});
