import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { createPublicClient, createWalletClient, custom, getAddress } from "viem";
import { hardhat, mainnet } from "viem/chains";
import { CITY_CONTRACTS } from "../../scripts/lib/deploy";
import { GOVERNANCE_CONTRACTS } from "../../scripts/lib/governance";
import { cityManifest } from "../../sdk/src/abis";
import { Flags, Roles } from "../../scripts/lib/roles";
import {
  AccountRequiredError,
  ChainMismatchError,
  CityError,
  cityContractNames,
  cityRoleNames,
  createCityClient,
  InvalidDeploymentError,
  loadDeployment,
  memberFlags,
  type DeploymentRecordJson,
} from "../../sdk/src";
import { publicClient, sdkFixture, transport } from "./helpers";

function invalid(run: () => unknown): InvalidDeploymentError {
  try {
    run();
  } catch (err) {
    expect(err).to.be.instanceOf(InvalidDeploymentError);
    return err as InvalidDeploymentError;
  }
  throw new Error("expected InvalidDeploymentError");
}

describe("sdk: deployment and client", () => {
  it("loadDeployment types the record written by deployCity", async () => {
    const { record } = await loadFixture(sdkFixture);
    const deployment = loadDeployment(JSON.parse(JSON.stringify(record)));
    expect(deployment.chainId).to.equal(31337);
    expect(deployment.deployer).to.equal(getAddress(record.deployer));
    expect(deployment.deployBlock).to.equal(BigInt(record.deployBlock));
    // Each contract of the record under its manifest key (CityCoin → cityCoin), nothing else.
    expect(deployment.addresses).to.deep.equal(
      Object.fromEntries(CITY_CONTRACTS.map((name) => [cityManifest[name].addressKey, getAddress(record.contracts[name].address)])),
    );
    expect(deployment.addresses.cityCoin).to.equal(getAddress(record.contracts.CityCoin.address));
    expect(deployment.addresses.parkingExchange).to.equal(getAddress(record.contracts.ParkingExchange.address));
    expect(deployment.contracts.CityCoin.blockNumber).to.equal(BigInt(record.contracts.CityCoin.blockNumber));
    expect(deployment.roles.REGISTRAR).to.equal(Roles.REGISTRAR);
    expect(deployment.roles.COUNCIL).to.equal(Roles.COUNCIL);
    // contracts beyond the SDK's five are kept, validated
    for (const name of Object.keys(record.contracts)) {
      expect(deployment.contracts[name]?.address).to.equal(getAddress((record.contracts as Record<string, { address: string }>)[name]!.address));
    }
    // the JSON text is accepted too
    expect(loadDeployment(JSON.stringify(record)).addresses).to.deep.equal(deployment.addresses);
  });

  it("the SDK's names agree with the deploy library's", () => {
    // every contract the deploy library writes in the record has a manifest entry, and every manifest entry is deployed
    expect([...CITY_CONTRACTS, ...GOVERNANCE_CONTRACTS].sort()).to.deep.equal(Object.keys(cityManifest).sort());
    expect(CITY_CONTRACTS).to.include.members([...cityContractNames]);
    expect([...cityRoleNames].sort()).to.deep.equal(Object.keys(Roles).sort());
    expect(memberFlags).to.deep.equal(Flags);
  });

  it("loadDeployment names a missing contract", async () => {
    const { record } = await loadFixture(sdkFixture);
    const broken = JSON.parse(JSON.stringify(record));
    delete broken.contracts.CityCoin;
    const err = invalid(() => loadDeployment(broken));
    expect(err.problems).to.deep.equal(["contracts.CityCoin is missing"]);
    expect(err.shortMessage).to.equal("Invalid deployment record: contracts.CityCoin is missing.");
    expect(err.message).to.contain("- Load the deployments/<chainId>.json");
  });

  it("loadDeployment lists every problem at once", async () => {
    const { record } = await loadFixture(sdkFixture);
    const broken = JSON.parse(JSON.stringify(record));
    broken.contracts.CityRegistry.address = "0x1234";
    broken.contracts.BasicIncome.blockNumber = -1;
    broken.deployer = 42;
    delete broken.roles.ISSUER;
    broken.roles.GUARDIAN = "eight";
    const err = invalid(() => loadDeployment(broken, { chainId: 1 }));
    expect(err.problems).to.deep.equal([
      "the record is for chain 31337, expected chain 1",
      "deployer must be a 20-byte hex address, got number 42",
      "contracts.BasicIncome.blockNumber must be a non-negative integer, got number -1",
      'contracts.CityRegistry.address must be a 20-byte hex address, got "0x1234"',
      'roles.GUARDIAN must be a uint64 as a decimal string, got "eight"',
      "roles.ISSUER is missing",
    ]);
    expect(err.shortMessage).to.contain("(and 5 more)");
  });

  it("loadDeployment rejects what is not a record", () => {
    expect(invalid(() => loadDeployment("{not json")).problems[0]).to.match(/^not valid JSON/);
    expect(invalid(() => loadDeployment(null)).problems).to.deep.equal(["expected an object, got null"]);
    expect(invalid(() => loadDeployment([])).problems).to.deep.equal(["expected an object, got an array"]);
    expect(invalid(() => loadDeployment({})).problems).to.deep.equal([
      "chainId is missing",
      "deployer is missing",
      "deployBlock is missing",
      "contracts is missing",
      "roles is missing",
    ]);
  });

  it("createCityClient groups the actions by module and exposes the deployment", async () => {
    const { deployment, record } = await loadFixture(sdkFixture);
    const city = createCityClient({ publicClient, deployment, ledgerUrl: "http://127.0.0.1:8787/" });
    expect(Object.keys(city.members)).to.include.members(["getMember", "isActiveMember", "getVotes", "getPastProfile", "getCollegeSize", "register"]);
    expect(Object.keys(city.currency)).to.include.members(["getBalance", "transfer", "approve", "signPermit", "transferFrom", "redeem", "getReserve", "getTotalSupply"]);
    expect(Object.keys(city.income)).to.include.members(["getProgram", "getCurrentPeriod", "claim", "hasClaimed", "getPeriod", "createProgram", "fund"]);
    expect(city.deployment).to.equal(deployment);
    expect(city.addresses).to.equal(deployment.addresses);
    expect(city.ledgerUrl).to.equal("http://127.0.0.1:8787");
    expect(city.walletClient).to.equal(undefined);
    // a raw record is validated on the way in
    const fromRecord = createCityClient({ publicClient, deployment: JSON.parse(JSON.stringify(record)) as DeploymentRecordJson });
    expect(fromRecord.addresses).to.deep.equal(deployment.addresses);
  });

  it("createCityClient refuses clients on another chain", async () => {
    const { deployment } = await loadFixture(sdkFixture);
    const wrong = createPublicClient({ chain: mainnet, transport });
    expect(() => createCityClient({ publicClient: wrong, deployment })).to.throw(ChainMismatchError, "on chain 1, but the deployment is on chain 31337");
    const wallet = createWalletClient({ chain: mainnet, transport: custom({ request: async () => null }) });
    expect(() => createCityClient({ publicClient, walletClient: wallet, deployment })).to.throw(ChainMismatchError, "walletClient");
  });

  it("a write needs an account: from the call or from the walletClient", async () => {
    const { deployment } = await loadFixture(sdkFixture);
    const city = createCityClient({ publicClient, walletClient: createWalletClient({ chain: hardhat, transport }), deployment });
    let caught: unknown;
    await city.currency.transfer({ to: deployment.deployer, amount: 1n }).catch((err: unknown) => (caught = err));
    expect(caught).to.be.instanceOf(AccountRequiredError);
    expect((caught as AccountRequiredError).shortMessage).to.equal("transfer needs an account, and neither the call nor the walletClient names one.");
    caught = undefined;
    await city.currency.signPermit({ spender: deployment.deployer, value: 1n }).catch((err: unknown) => (caught = err));
    expect(caught).to.be.instanceOf(AccountRequiredError);
  });

  it("createCityClient refuses a ledger URL that is not http(s), without echoing credentials", async () => {
    const { deployment } = await loadFixture(sdkFixture);
    expect(() => createCityClient({ publicClient, deployment, ledgerUrl: "ftp://user:secret@host/" })).to.throw(CityError, "not an http(s) URL");
    try {
      createCityClient({ publicClient, deployment, ledgerUrl: "ftp://user:secret@host/" });
    } catch (err) {
      expect((err as Error).message).to.not.contain("secret");
    }
    expect(() => createCityClient({ publicClient, deployment, ledgerUrl: "not a url" })).to.throw(CityError, "is not a URL");
  });
});
