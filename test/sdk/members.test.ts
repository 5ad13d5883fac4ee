import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress, keccak256, toHex, zeroAddress, type Address } from "viem";
import {
  CityContractError,
  getMember,
  isActiveMember,
  memberFlags,
  parseCity,
  register,
  WalletClientRequiredError,
} from "../../sdk/src";
import { addressOf, advance, credential, expectCityError, now, publicClient, sdkFixture } from "./helpers";

describe("sdk: members", () => {
  it("getMember reads a registration, with the status as a name", async () => {
    const f = await loadFixture(sdkFixture);
    const alice = addressOf(f.alice);
    const member = await f.reader.members.getMember({ address: alice });
    expect(member.status).to.equal("Active");
    expect(member.college).to.equal(1);
    expect(member.district).to.equal(7);
    expect(member.flags).to.equal(memberFlags.RESIDENT);
    expect(member.since).to.be.a("number").and.to.be.greaterThan(0);
    const stranger = await f.reader.members.getMember({ address: f.free[0]! });
    expect(stranger.status).to.equal("None");
  });

  it("the standalone actions take the client as their context", async () => {
    const f = await loadFixture(sdkFixture);
    expect(await isActiveMember(f.reader, { address: addressOf(f.alice) })).to.equal(true);
    expect((await getMember(f.reader, { address: addressOf(f.bob) })).status).to.equal("Active");
  });

  it("isActiveMember, getVotes and getCollegeSize follow register, suspend and reinstate", async () => {
    const f = await loadFixture(sdkFixture);
    const who = f.free[0]!;
    expect(await f.reader.members.isActiveMember({ address: who })).to.equal(false);
    expect(await f.reader.members.getVotes({ address: who })).to.equal(0n);
    expect(await f.reader.members.getCollegeSize({ college: 1 })).to.equal(2n);

    const hash = await f.registrar.members.register({
      member: who,
      college: 1,
      district: 2,
      flags: memberFlags.RESIDENT | memberFlags.MERCHANT,
      credentialHash: credential(),
    });
    expect(hash).to.match(/^0x[0-9a-f]{64}$/);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status).to.equal("success");
    expect(await f.reader.members.isActiveMember({ address: who })).to.equal(true);
    expect(await f.reader.members.getVotes({ address: who })).to.equal(1n);
    expect(await f.reader.members.getCollegeSize({ college: 1 })).to.equal(3n);

    await f.registrar.members.suspend({ member: who, reasonHash: keccak256(toHex("case 1")), wait: true });
    expect((await f.reader.members.getMember({ address: who })).status).to.equal("Suspended");
    expect(await f.reader.members.getVotes({ address: who })).to.equal(0n);
    expect(await f.reader.members.getCollegeSize({ college: 1 })).to.equal(2n);

    await f.registrar.members.reinstate({ member: who, wait: true });
    expect(await f.reader.members.isActiveMember({ address: who })).to.equal(true);
    expect(await f.reader.members.getVotes({ address: who })).to.equal(1n);
  });

  it("getPastProfile, getPastVotes and getCollegeSize read a past snapshot", async () => {
    const f = await loadFixture(sdkFixture);
    const who = f.free[1]!;
    const before = BigInt(await now());
    await advance(10);
    await f.registrar.members.register({ member: who, college: 2, district: 5, flags: memberFlags.PROSUMER, credentialHash: credential(), wait: true });
    await advance(10);
    const after = BigInt(await now()) - 1n;

    const then = await f.reader.members.getPastProfile({ address: who, timepoint: before });
    expect(then).to.deep.equal({ active: false, college: 0, district: 0, flags: 0n });
    const later = await f.reader.members.getPastProfile({ address: who, timepoint: after });
    expect(later).to.deep.equal({ active: true, college: 2, district: 5, flags: memberFlags.PROSUMER });

    expect(await f.reader.members.getPastVotes({ address: who, timepoint: before })).to.equal(0n);
    expect(await f.reader.members.getPastVotes({ address: who, timepoint: after })).to.equal(1n);
    expect(await f.reader.members.getCollegeSize({ college: 2, timepoint: before })).to.equal(0n);
    expect(await f.reader.members.getCollegeSize({ college: 2, timepoint: after })).to.equal(1n);
  });

  it("a snapshot read of the future reverts with ERC5805FutureLookup, decoded", async () => {
    const f = await loadFixture(sdkFixture);
    const future = BigInt(await now()) + 1000n;
    const err = await expectCityError(
      f.reader.members.getPastProfile({ address: addressOf(f.alice), timepoint: future }),
      "ERC5805FutureLookup",
    );
    expect(err.args[0]).to.equal(future);
    expect(err.functionName).to.equal("getPastProfile");
    expect(err.reason).to.contain("is not in the past");
  });

  it("reads accept a block number", async () => {
    const f = await loadFixture(sdkFixture);
    const who = f.free[2]!;
    const blockNumber = await publicClient.getBlockNumber();
    await f.registrar.members.register({ member: who, college: 1, district: 1, flags: 0n, credentialHash: credential(), wait: true });
    expect(await f.reader.members.isActiveMember({ address: who, blockNumber })).to.equal(false);
    expect(await f.reader.members.isActiveMember({ address: who, blockTag: "latest" })).to.equal(true);
  });

  it("update changes college, district and flags", async () => {
    const f = await loadFixture(sdkFixture);
    const alice = addressOf(f.alice);
    const member = await f.reader.members.getMember({ address: alice });
    await f.registrar.members.update({
      member: alice,
      college: 3,
      district: 9,
      flags: member.flags | memberFlags.ASSOCIATION,
      credentialHash: member.credentialHash,
      wait: true,
    });
    const updated = await f.reader.members.getMember({ address: alice });
    expect(updated).to.include({ status: "Active", college: 3, district: 9 });
    expect(updated.flags).to.equal(memberFlags.RESIDENT | memberFlags.ASSOCIATION);
    expect(await f.reader.members.getCollegeSize({ college: 3 })).to.equal(1n);
  });

  it("remove ends a membership and frees its credential", async () => {
    const f = await loadFixture(sdkFixture);
    const bob = addressOf(f.bob);
    const { credentialHash } = await f.reader.members.getMember({ address: bob });
    await f.registrar.members.remove({ member: bob, reasonHash: keccak256(toHex("moved")), wait: true });
    expect((await f.reader.members.getMember({ address: bob })).status).to.equal("Removed");
    expect(await f.reader.members.getVotes({ address: bob })).to.equal(0n);
    // the freed credential may be registered again (the same person, new key)
    await f.registrar.members.register({ member: f.free[0]!, college: 1, district: 1, flags: 0n, credentialHash, wait: true });
    expect(await f.reader.members.isActiveMember({ address: f.free[0]! })).to.equal(true);
  });

  it("a revert is decoded into CityContractError with the custom error's name, args, sentence and hint", async () => {
    const f = await loadFixture(sdkFixture);
    const alice = addressOf(f.alice);
    const { credentialHash } = await f.reader.members.getMember({ address: alice });
    const err = await expectCityError(
      f.registrar.members.register({ member: f.free[0]!, college: 1, district: 1, flags: 0n, credentialHash }),
      "CityRegistryCredentialInUse",
      [credentialHash, getAddress(alice)],
    );
    expect(err).to.be.instanceOf(CityContractError);
    expect(err.name).to.equal("CityContractError");
    expect(err.functionName).to.equal("register");
    expect(err.contractAddress).to.equal(f.deployment.addresses.cityRegistry);
    expect(err.sender?.toLowerCase()).to.equal(addressOf(f.registrar).toLowerCase());
    expect(err.reason).to.equal(`credential ${credentialHash.slice(0, 10)}…${credentialHash.slice(-4)} is already held by ${getAddress(alice)}`);
    expect(err.shortMessage).to.equal(`register reverted: ${err.reason}.`);
    expect(err.hint).to.contain("startMigration");
    expect(err.details).to.equal(`CityRegistryCredentialInUse(${credentialHash}, ${getAddress(alice)})`);
    expect(err.selector).to.equal(keccak256(toHex("CityRegistryCredentialInUse(bytes32,address)")).slice(0, 10));
    expect(err.message).to.contain("- One person holds one membership");
    // the viem error stays reachable
    expect(err.walk((e) => (e as Error).name === "ContractFunctionExecutionError")).to.not.equal(null);
    expect(err.walk()).to.not.equal(err);
  });

  it("a write from an account without the role reverts with AccessManagedUnauthorized(caller), before anything is sent", async () => {
    const f = await loadFixture(sdkFixture);
    const blockBefore = await publicClient.getBlockNumber();
    const err = await expectCityError(
      f.outsider.members.register({ member: f.free[0]!, college: 1, district: 1, flags: 0n, credentialHash: credential() }),
      "AccessManagedUnauthorized",
      [getAddress(addressOf(f.outsider))],
    );
    expect(err.reason).to.equal(`account ${getAddress(addressOf(f.outsider))} may not call register()`);
    expect(await publicClient.getBlockNumber()).to.equal(blockBefore); // simulated, never mined
  });

  it("suspend, reinstate and remove revert with their lifecycle errors", async () => {
    const f = await loadFixture(sdkFixture);
    const stranger = f.free[0]!;
    await expectCityError(f.registrar.members.suspend({ member: stranger, reasonHash: keccak256("0x01") }), "CityRegistryNotAMember", [stranger]);
    await expectCityError(f.registrar.members.reinstate({ member: addressOf(f.alice) }), "CityRegistryNotSuspended", [getAddress(addressOf(f.alice))]);
    await expectCityError(f.registrar.members.remove({ member: stranger, reasonHash: keccak256("0x01") }), "CityRegistryNotAMember", [stranger]);
    await expectCityError(
      f.registrar.members.register({ member: stranger, college: 9, district: 1, flags: 0n, credentialHash: credential() }),
      "CityRegistryUnknownCollege",
      [9],
    );
  });

  it("key recovery: startMigration, getMigration, approveMigration, completeMigration move the membership and the balance", async () => {
    const f = await loadFixture(sdkFixture);
    const lost = addressOf(f.alice);
    const fresh = f.free[3]!;
    expect(await f.reader.members.getMigration({ from: lost })).to.equal(null);
    await f.registrar.members.startMigration({ from: lost, to: fresh, wait: true });
    const pending = await f.reader.members.getMigration({ from: lost });
    expect(pending?.to).to.equal(fresh);
    expect(pending!.readyAt).to.equal((await now()) + 3600);
    expect([pending!.approved, pending!.startedBy]).to.deep.equal([false, getAddress(addressOf(f.registrar))]);

    await expectCityError(f.outsider.members.completeMigration({ from: lost }), "CityRegistryMigrationNotApproved", [getAddress(lost)]);
    await expectCityError(f.registrar.members.approveMigration({ from: lost }), "CityRegistryUnauthorizedApproval", [
      getAddress(addressOf(f.registrar)),
      getAddress(lost),
    ]);
    await f.orchestrator.members.approveMigration({ from: lost, wait: true });
    expect((await f.reader.members.getMigration({ from: lost }))!.approved).to.equal(true);

    const early = await expectCityError(f.outsider.members.completeMigration({ from: lost }), "CityRegistryMigrationNotReady");
    expect(early.args).to.deep.equal([getAddress(lost), pending!.readyAt]);

    await advance(3600);
    await f.outsider.members.completeMigration({ from: lost, wait: true });
    expect(await f.reader.members.getMigration({ from: lost })).to.equal(null);
    expect(await f.reader.members.isActiveMember({ address: fresh })).to.equal(true);
    expect(await f.reader.members.isActiveMember({ address: lost })).to.equal(false);
    expect(await f.reader.currency.getBalance({ address: fresh })).to.equal(parseCity("100"));
  });

  it("cancelMigration by the old key or the orchestrator; anyone else is refused", async () => {
    const f = await loadFixture(sdkFixture);
    const from = addressOf(f.alice);
    await f.registrar.members.startMigration({ from, to: f.free[0]!, wait: true });
    await expectCityError(f.outsider.members.cancelMigration({ from }), "CityRegistryUnauthorizedCancel", [
      getAddress(addressOf(f.outsider)),
      getAddress(from),
    ]);
    await f.alice.members.cancelMigration({ from, wait: true });
    expect(await f.reader.members.getMigration({ from })).to.equal(null);

    await f.registrar.members.startMigration({ from, to: f.free[1]!, wait: true });
    await f.orchestrator.members.cancelMigration({ from, wait: true });
    expect(await f.reader.members.getMigration({ from })).to.equal(null);
    await expectCityError(f.orchestrator.members.cancelMigration({ from }), "CityRegistryNoMigration", [getAddress(from)]);
  });

  it("writes need a walletClient", async () => {
    const f = await loadFixture(sdkFixture);
    let caught: unknown;
    try {
      await register(f.reader, { member: f.free[0]!, college: 1, district: 1, flags: 0n, credentialHash: credential() });
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(WalletClientRequiredError);
    expect((caught as Error).message).to.contain("Pass a viem walletClient");
  });

  it("an explicit account overrides the wallet's", async () => {
    const f = await loadFixture(sdkFixture);
    const who: Address = f.free[4]!;
    // the outsider's client, sending as the registrar (Hardhat signs for both)
    await f.outsider.members.register({
      member: who,
      college: 1,
      district: 1,
      flags: 0n,
      credentialHash: credential(),
      account: addressOf(f.registrar),
      wait: true,
    });
    expect(await f.reader.members.isActiveMember({ address: who })).to.equal(true);
    expect(zeroAddress).to.not.equal(who);
  });
});
