import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { type Interface, ZeroAddress, id } from "ethers";
import { PERMISSIONS, Roles } from "../../scripts/lib/roles";
import { expectOnlyRole, roleHolders } from "../access-control";
import { Kind, MeterStatus, meterFixture, type MeterCtx } from "./helpers";

async function registerMeter(f: MeterCtx, meter: string, member: string, kind: number = Kind.Production, district = 2) {
  await (await f.meters.connect(f.meterOperator).register(meter, member, kind, district)).wait();
}

describe("MeterRegistry", function () {
  describe("access control (PERMISSIONS table)", function () {
    const cases: Record<string, (f: MeterCtx) => Promise<{ args: unknown[]; event: [string, unknown[]] }>> = {
      "register(address,address,uint8,uint32)": async (f) => ({
        args: [f.keys[0].address, f.sol.address, Kind.Production, 2],
        event: ["MeterRegistered", [f.keys[0].address, f.sol.address, 2, Kind.Production, anyTime]],
      }),
      "replace(address,address)": async (f) => {
        await registerMeter(f, f.keys[0].address, f.sol.address, Kind.Both, 7);
        return {
          args: [f.keys[0].address, f.keys[1].address],
          event: ["MeterReplaced", [f.keys[0].address, f.keys[1].address, f.sol.address, Kind.Both, 7, anyTime]],
        };
      },
      "revoke(address,bytes32)": async (f) => {
        await registerMeter(f, f.keys[0].address, f.ann.address, Kind.Consumption);
        return {
          args: [f.keys[0].address, id("tampered")],
          event: ["MeterRevoked", [f.keys[0].address, f.ann.address, id("tampered"), anyTime]],
        };
      },
      "setBaseline(address,uint64)": async (f) => {
        await registerMeter(f, f.keys[0].address, f.ann.address, Kind.Consumption);
        return { args: [f.keys[0].address, 400], event: ["BaselineSet", [f.keys[0].address, f.ann.address, 400]] };
      },
      "flagPeakSlot(uint32)": async () => {
        const slot = Math.floor((await time.latest()) / 900) + 10;
        return { args: [slot], event: ["PeakSlotFlagged", [slot]] };
      },
    };

    it("has a case for every MeterRegistry entry of the table, and the table is what the authority enforces", async function () {
      const f = await loadFixture(meterFixture);
      expect(Object.keys(cases).sort()).to.deep.equal(Object.keys(PERMISSIONS.MeterRegistry).sort());
      for (const [signature, role] of Object.entries(PERMISSIONS.MeterRegistry)) {
        const selector = (f.meters.interface as Interface).getFunction(signature)!.selector;
        expect(await f.authority.getTargetFunctionRole(f.meters, selector), signature).to.equal(Roles[role]);
      }
    });

    for (const [signature, role] of Object.entries(PERMISSIONS.MeterRegistry)) {
      it(`${signature}: only ${role} may call it`, async function () {
        const f = await loadFixture(meterFixture);
        const { args, event } = await cases[signature](f);
        await expectOnlyRole(f.meters, signature, role, roleHolders(f), args, event);
      });
    }
  });

  describe("register", function () {
    it("records the meter and emits every field", async function () {
      const f = await loadFixture(meterFixture);
      const meter = f.keys[0].address;
      const tx = f.meters.connect(f.meterOperator).register(meter, f.sol.address, Kind.Both, 9);
      await expect(tx).to.emit(f.meters, "MeterRegistered").withArgs(meter, f.sol.address, 9, Kind.Both, anyTime);
      const at = await time.latest();
      const m = await f.meters.meterOf(meter);
      expect([m.member, m.kind, m.status, m.district, m.registeredAt]).to.deep.equal([
        f.sol.address,
        BigInt(Kind.Both),
        BigInt(MeterStatus.Active),
        9n,
        BigInt(at),
      ]);
      expect(await f.meters.isActiveProducer(meter, f.sol.address)).to.equal(true);
      expect(await f.meters.isActiveConsumer(meter, f.sol.address)).to.equal(true);
      expect(await f.meters.isActiveProducer(meter, f.ray.address)).to.equal(false);
      expect(await f.meters.registry()).to.equal(await f.registry.getAddress());
    });

    it("a production meter is no consumer, a consumption meter no producer", async function () {
      const f = await loadFixture(meterFixture);
      await registerMeter(f, f.keys[0].address, f.sol.address, Kind.Production);
      await registerMeter(f, f.keys[1].address, f.ann.address, Kind.Consumption);
      expect(await f.meters.isActiveProducer(f.keys[0].address, f.sol.address)).to.equal(true);
      expect(await f.meters.isActiveConsumer(f.keys[0].address, f.sol.address)).to.equal(false);
      expect(await f.meters.isActiveProducer(f.keys[1].address, f.ann.address)).to.equal(false);
      expect(await f.meters.isActiveConsumer(f.keys[1].address, f.ann.address)).to.equal(true);
      expect(await f.meters.isActiveProducer(f.keys[5].address, ZeroAddress)).to.equal(false);
    });

    it("rejects zero addresses, kind None, a non-member and a used address", async function () {
      const f = await loadFixture(meterFixture);
      const m = f.meters.connect(f.meterOperator);
      const meter = f.keys[0].address;
      await expect(m.register(ZeroAddress, f.sol.address, Kind.Production, 1)).to.be.revertedWithCustomError(m, "MeterRegistryZeroAddress");
      await expect(m.register(meter, ZeroAddress, Kind.Production, 1)).to.be.revertedWithCustomError(m, "MeterRegistryZeroAddress");
      await expect(m.register(meter, f.sol.address, Kind.None, 1))
        .to.be.revertedWithCustomError(m, "MeterRegistryInvalidKind")
        .withArgs(Kind.None);
      await expect(m.register(meter, f.outsider.address, Kind.Production, 1))
        .to.be.revertedWithCustomError(m, "MeterRegistryNotAMember")
        .withArgs(f.outsider.address);
      await (await f.registry.connect(f.registrar).suspend(f.ray.address, id("suspended"))).wait();
      await expect(m.register(meter, f.ray.address, Kind.Production, 1))
        .to.be.revertedWithCustomError(m, "MeterRegistryNotAMember")
        .withArgs(f.ray.address);
      await registerMeter(f, meter, f.sol.address);
      await expect(m.register(meter, f.ann.address, Kind.Consumption, 1))
        .to.be.revertedWithCustomError(m, "MeterRegistryAddressUsed")
        .withArgs(meter, MeterStatus.Active);
    });
  });

  describe("replace and revoke", function () {
    it("replace moves member, kind and district to the new address; the old one is replaced for good", async function () {
      const f = await loadFixture(meterFixture);
      const [oldMeter, newMeter] = [f.keys[0].address, f.keys[1].address];
      await registerMeter(f, oldMeter, f.sol.address, Kind.Both, 4);
      const tx = f.meters.connect(f.meterOperator).replace(oldMeter, newMeter);
      await expect(tx).to.emit(f.meters, "MeterReplaced").withArgs(oldMeter, newMeter, f.sol.address, Kind.Both, 4, anyTime);
      await expect(tx).to.emit(f.meters, "MeterRegistered").withArgs(newMeter, f.sol.address, 4, Kind.Both, anyTime);
      expect((await f.meters.meterOf(oldMeter)).status).to.equal(MeterStatus.Replaced);
      expect(await f.meters.replacementOf(oldMeter)).to.equal(newMeter);
      expect(await f.meters.replacementOf(newMeter)).to.equal(ZeroAddress);
      const m = await f.meters.meterOf(newMeter);
      expect([m.member, m.kind, m.status, m.district]).to.deep.equal([f.sol.address, BigInt(Kind.Both), BigInt(MeterStatus.Active), 4n]);
      expect(await f.meters.isActiveProducer(oldMeter, f.sol.address)).to.equal(false);
      expect(await f.meters.isActiveProducer(newMeter, f.sol.address)).to.equal(true);
      await expect(f.meters.connect(f.meterOperator).register(oldMeter, f.sol.address, Kind.Both, 4))
        .to.be.revertedWithCustomError(f.meters, "MeterRegistryAddressUsed")
        .withArgs(oldMeter, MeterStatus.Replaced);
    });

    it("replace rejects an inactive old meter, a zero or used new address", async function () {
      const f = await loadFixture(meterFixture);
      const m = f.meters.connect(f.meterOperator);
      const [a, b, c] = [f.keys[0].address, f.keys[1].address, f.keys[2].address];
      await expect(m.replace(a, b)).to.be.revertedWithCustomError(m, "MeterRegistryNotActive").withArgs(a, MeterStatus.None);
      await registerMeter(f, a, f.sol.address);
      await registerMeter(f, c, f.ray.address);
      await expect(m.replace(a, ZeroAddress)).to.be.revertedWithCustomError(m, "MeterRegistryZeroAddress");
      await expect(m.replace(a, c)).to.be.revertedWithCustomError(m, "MeterRegistryAddressUsed").withArgs(c, MeterStatus.Active);
      await expect(m.replace(a, a)).to.be.revertedWithCustomError(m, "MeterRegistryAddressUsed").withArgs(a, MeterStatus.Active);
      await (await m.revoke(a, id("broken"))).wait();
      await expect(m.replace(a, b)).to.be.revertedWithCustomError(m, "MeterRegistryNotActive").withArgs(a, MeterStatus.Revoked);
    });

    it("counts each member's active production meters (Production or Both) through register, replace and revoke", async function () {
      const f = await loadFixture(meterFixture);
      const m = f.meters.connect(f.meterOperator);
      const [a, b, c, d] = f.keys.slice(0, 4).map((k) => k.address);
      expect(await m.productionMeterCountOf(f.sol.address)).to.equal(0);
      await registerMeter(f, a, f.sol.address, Kind.Production);
      await registerMeter(f, b, f.sol.address, Kind.Both);
      await registerMeter(f, c, f.sol.address, Kind.Consumption);
      expect(await m.productionMeterCountOf(f.sol.address)).to.equal(2);
      await (await m.replace(a, d)).wait();
      expect(await m.productionMeterCountOf(f.sol.address)).to.equal(2);
      await (await m.revoke(b, id("broken"))).wait();
      await (await m.revoke(c, id("broken"))).wait();
      expect(await m.productionMeterCountOf(f.sol.address)).to.equal(1);
      await (await m.revoke(d, id("broken"))).wait();
      expect(await m.productionMeterCountOf(f.sol.address)).to.equal(0);
      expect(await m.productionMeterCountOf(f.ray.address)).to.equal(0);
    });

    it("revoke ends a meter for good and emits its member and reason", async function () {
      const f = await loadFixture(meterFixture);
      const m = f.meters.connect(f.meterOperator);
      const a = f.keys[0].address;
      await expect(m.revoke(a, id("x"))).to.be.revertedWithCustomError(m, "MeterRegistryNotActive").withArgs(a, MeterStatus.None);
      await registerMeter(f, a, f.ann.address, Kind.Consumption);
      await expect(m.revoke(a, id("tampered"))).to.emit(m, "MeterRevoked").withArgs(a, f.ann.address, id("tampered"), anyTime);
      expect((await m.meterOf(a)).status).to.equal(MeterStatus.Revoked);
      expect(await m.isActiveConsumer(a, f.ann.address)).to.equal(false);
      await expect(m.revoke(a, id("again"))).to.be.revertedWithCustomError(m, "MeterRegistryNotActive").withArgs(a, MeterStatus.Revoked);
      await expect(m.register(a, f.ann.address, Kind.Consumption, 1))
        .to.be.revertedWithCustomError(m, "MeterRegistryAddressUsed")
        .withArgs(a, MeterStatus.Revoked);
    });
  });

  it("deployCity deploys it against the city's authority and registry", async function () {
    const f = await loadFixture(meterFixture);
    expect(await f.meters.authority()).to.equal(await f.authority.getAddress());
    expect(f.record.contracts.MeterRegistry.address).to.equal(await f.meters.getAddress());
    expect(await hre.ethers.provider.getCode(f.meters)).to.not.equal("0x");
  });

  describe("a member's meters (what a key recovery moves)", function () {
    it("lists the member's active meters through replacements and revocations, at most MAX_METERS_PER_MEMBER", async function () {
      const f = await loadFixture(meterFixture);
      const [a, b, c] = f.keys.map((k) => k.address);
      await registerMeter(f, a!, f.sol.address);
      await registerMeter(f, b!, f.sol.address, Kind.Consumption);
      expect(await f.meters.metersOf(f.sol.address)).to.deep.equal([a, b]);
      await (await f.meters.connect(f.meterOperator).replace(a!, c!)).wait();
      expect(await f.meters.metersOf(f.sol.address)).to.deep.equal([c, b]);
      await (await f.meters.connect(f.meterOperator).revoke(c!, id("broken"))).wait();
      expect(await f.meters.metersOf(f.sol.address)).to.deep.equal([b]);
      const max = Number(await f.meters.MAX_METERS_PER_MEMBER());
      for (let i = 1; i < max; i++) await registerMeter(f, hre.ethers.Wallet.createRandom().address, f.sol.address);
      expect((await f.meters.metersOf(f.sol.address)).length).to.equal(max);
      await expect(f.meters.connect(f.meterOperator).register(hre.ethers.Wallet.createRandom().address, f.sol.address, Kind.Production, 2))
        .to.be.revertedWithCustomError(f.meters, "MeterRegistryTooManyMeters")
        .withArgs(f.sol.address, max);
    });
  });
});

/** Matches any emitted timestamp (checked against storage where it matters). */
function anyTime(): boolean {
  return true;
}
