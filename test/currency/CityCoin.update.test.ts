import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress } from "ethers";
import type { CityCoinHarness } from "../../typechain-types";
import { cityFixture, register } from "./../fixtures";

const UINT128_MAX = 2n ** 128n - 1n;
const Open = 1;

/**
 * CityCoin's single balance-changing function, `_update`, called directly through a test harness, case by case as
 * OpenZeppelin's ERC-20 behaviour tests check `_update`: mint, burn, to self, and from and to the zero address.
 */
async function harnessFixture() {
  const f = await cityFixture();
  const [alice, bob] = f.people;
  await register(f, alice);
  const harness = (await (await hre.ethers.getContractFactory("CityCoinHarness", f.admin)).deploy(
    f.authority,
    f.forwarder,
    f.registry,
  )) as unknown as CityCoinHarness;
  await harness.waitForDeployment();
  // Not a listener of the registry: mirror alice by hand; the harness's restricted functions are the admin's.
  await (await harness.syncMembership([alice.address])).wait();
  return { ...f, harness, alice, bob };
}

describe("CityCoin._update (through CityCoinHarness)", function () {
  describe("from the zero address (a mint)", function () {
    it("raises the supply and the recipient's balance, and emits Transfer", async function () {
      const { harness, alice } = await loadFixture(harnessFixture);
      await expect(harness.update(ZeroAddress, alice.address, 50n)).to.emit(harness, "Transfer").withArgs(ZeroAddress, alice.address, 50n);
      expect(await harness.totalSupply()).to.equal(50n);
      expect(await harness.balanceOf(alice.address)).to.equal(50n);
    });

    it("refuses a value that does not fit the uint128 supply instead of truncating it, and a supply overflow", async function () {
      const { harness, alice } = await loadFixture(harnessFixture);
      await expect(harness.update(ZeroAddress, alice.address, UINT128_MAX + 1n))
        .to.be.revertedWithCustomError(harness, "CityCoinAmountTooLarge")
        .withArgs(UINT128_MAX + 1n);
      await (await harness.update(ZeroAddress, alice.address, UINT128_MAX)).wait();
      await expect(harness.update(ZeroAddress, alice.address, 1n)).to.be.revertedWithPanic(0x11);
      expect(await harness.totalSupply()).to.equal(UINT128_MAX);
    });

    it("refuses a recipient that may not hold coins under MembersOnly", async function () {
      const { harness, bob } = await loadFixture(harnessFixture);
      await expect(harness.update(ZeroAddress, bob.address, 1n)).to.be.revertedWithCustomError(harness, "CityCoinTransferNotAllowed").withArgs(bob.address);
    });
  });

  describe("to the zero address (a burn)", function () {
    it("lowers the supply and the holder's balance, and emits Transfer", async function () {
      const { harness, alice } = await loadFixture(harnessFixture);
      await (await harness.update(ZeroAddress, alice.address, 50n)).wait();
      await expect(harness.update(alice.address, ZeroAddress, 20n)).to.emit(harness, "Transfer").withArgs(alice.address, ZeroAddress, 20n);
      expect(await harness.totalSupply()).to.equal(30n);
      expect(await harness.balanceOf(alice.address)).to.equal(30n);
    });

    it("refuses to burn more than the balance", async function () {
      const { harness, alice } = await loadFixture(harnessFixture);
      await (await harness.update(ZeroAddress, alice.address, 50n)).wait();
      await expect(harness.update(alice.address, ZeroAddress, 51n))
        .to.be.revertedWithCustomError(harness, "ERC20InsufficientBalance")
        .withArgs(alice.address, 50n, 51n);
    });
  });

  describe("from and to the same address", function () {
    it("leaves the balance and the supply as they were, and emits Transfer", async function () {
      const { harness, alice } = await loadFixture(harnessFixture);
      await (await harness.update(ZeroAddress, alice.address, 50n)).wait();
      await expect(harness.update(alice.address, alice.address, 30n)).to.emit(harness, "Transfer").withArgs(alice.address, alice.address, 30n);
      expect(await harness.balanceOf(alice.address)).to.equal(50n);
      expect(await harness.totalSupply()).to.equal(50n);
      await expect(harness.update(alice.address, alice.address, 51n)).to.be.revertedWithCustomError(harness, "ERC20InsufficientBalance");
    });
  });

  describe("from and to the zero address", function () {
    it("leaves the supply unchanged (a mint and a burn of the same value), and emits Transfer", async function () {
      const { harness, alice } = await loadFixture(harnessFixture);
      await (await harness.update(ZeroAddress, alice.address, 50n)).wait();
      await expect(harness.update(ZeroAddress, ZeroAddress, 20n)).to.emit(harness, "Transfer").withArgs(ZeroAddress, ZeroAddress, 20n);
      expect(await harness.totalSupply()).to.equal(50n);
      expect(await harness.balanceOf(ZeroAddress)).to.equal(0n);
      // Also with a value above the supply: a mint then a burn of it, never an underflow of the supply.
      await (await harness.update(ZeroAddress, ZeroAddress, 1_000n)).wait();
      expect(await harness.totalSupply()).to.equal(50n);
    });

    it("under the open policy too", async function () {
      const f = await loadFixture(harnessFixture);
      await (await f.harness.connect(f.admin).setTransferPolicy(Open)).wait();
      await (await f.harness.update(ZeroAddress, f.bob.address, 7n)).wait();
      await (await f.harness.update(ZeroAddress, ZeroAddress, 7n)).wait();
      expect(await f.harness.totalSupply()).to.equal(7n);
    });
  });
});
