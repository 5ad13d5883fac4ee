import { expect } from "chai";
import hre from "hardhat";
import { deployCity } from "../scripts/lib/deploy";

describe("deploy smoke", () => {
  it("deploys", async () => {
    const [admin, registrar] = await hre.ethers.getSigners();
    const city = await deployCity(hre, admin, { grants: { REGISTRAR: [registrar.address] } });
    await city.registry.connect(registrar).register(admin.address, 1, 7, 1n, hre.ethers.id("cred"));
    expect(await city.registry.getVotes(admin.address)).to.equal(1n);
  });
});
