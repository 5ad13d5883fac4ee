import { expect } from "chai";
import hre from "hardhat";
import { id } from "ethers";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployCity, CITY_CONTRACTS } from "../scripts/lib/deploy";
import { PERMISSIONS, PRODUCTION_GRANT_DELAYS, Roles, type ManagedContract } from "../scripts/lib/roles";
import { advance, cityFixture } from "./fixtures";

describe("deployCity", () => {
  it("wires every restricted function of the role table to its role on chain", async () => {
    const f = await loadFixture(cityFixture);
    // The record's addresses (checked against the chain's code below): every managed contract, whatever the list.
    for (const [contract, table] of Object.entries(PERMISSIONS) as [ManagedContract, Record<string, keyof typeof Roles>][]) {
      for (const [signature, role] of Object.entries(table)) {
        const selector = id(signature).slice(0, 10);
        expect(await f.authority.getTargetFunctionRole(f.record.contracts[contract].address, selector), `${contract}.${signature}`).to.equal(
          Roles[role],
        );
      }
    }
  });

  it("leaves the deployer with the admin role only (the temporary COUNCIL grant is revoked)", async () => {
    const f = await loadFixture(cityFixture);
    for (const [name, role] of Object.entries(Roles)) {
      const [member] = await f.authority.hasRole(role, f.admin.address);
      expect(member, name).to.equal(name === "ADMIN");
    }
  });

  it("records every contract with its address, deploy block and ABI", async () => {
    const f = await loadFixture(cityFixture);
    expect(f.record.chainId).to.equal(31337);
    expect(f.record.deployer).to.equal(f.admin.address);
    for (const name of CITY_CONTRACTS) {
      const entry = f.record.contracts[name];
      expect(await hre.ethers.provider.getCode(entry.address), name).to.not.equal("0x");
      expect(entry.blockNumber).to.be.gte(f.record.deployBlock);
      expect(entry.abi.length, name).to.be.greaterThan(0);
    }
    expect(f.record.roles.ISSUER).to.equal("2");
  });

  it("applies grant delays to later grants of sensitive roles, not to the initial ones", async () => {
    const [admin, issuer, lateIssuer] = await hre.ethers.getSigners();
    const city = await deployCity(hre, admin, { grants: { ISSUER: [issuer.address] }, grantDelays: PRODUCTION_GRANT_DELAYS });
    expect((await city.authority.hasRole(Roles.ISSUER, issuer.address))[0]).to.equal(true);
    // AccessManager applies a changed delay only after its minimum setback (5 days), so that a delay cannot be
    // lowered in secret either.
    expect(await city.authority.getRoleGrantDelay(Roles.ISSUER)).to.equal(0);
    await advance(Number(await city.authority.minSetback()));
    expect(await city.authority.getRoleGrantDelay(Roles.ISSUER)).to.equal(PRODUCTION_GRANT_DELAYS.ISSUER);

    await (await city.authority.grantRole(Roles.ISSUER, lateIssuer.address, 0)).wait();
    expect((await city.authority.hasRole(Roles.ISSUER, lateIssuer.address))[0]).to.equal(false);
    await expect(city.coin.connect(lateIssuer).settleRedemption(1n, id("r")))
      .to.be.revertedWithCustomError(city.coin, "AccessManagedUnauthorized")
      .withArgs(lateIssuer.address);
    await advance(PRODUCTION_GRANT_DELAYS.ISSUER!);
    expect((await city.authority.hasRole(Roles.ISSUER, lateIssuer.address))[0]).to.equal(true);
    // Past the authority's check now: the call fails only on its own terms (there is no redemption 1).
    await expect(city.coin.connect(lateIssuer).settleRedemption(1n, id("r")))
      .to.be.revertedWithCustomError(city.coin, "CityCoinUnknownRedemption")
      .withArgs(1n);
  });
});
