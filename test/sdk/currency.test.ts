import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress, keccak256, recoverTypedDataAddress, toHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import {
  formatCity,
  getBalance,
  parseCity,
  PermitMismatchError,
  signPermit,
  transfer,
  TransactionRevertedError,
} from "../../sdk/src";
import { addressOf, advance, cityAs, credential, depositRef, expectCityError, now, RESERVE, sdkFixture } from "./helpers";

describe("sdk: currency", () => {
  it("getBalance, getTotalSupply and getReserve read CityCoin", async () => {
    const f = await loadFixture(sdkFixture);
    expect(await f.reader.currency.getBalance({ address: addressOf(f.alice) })).to.equal(parseCity("100"));
    expect(await getBalance(f.reader, { address: f.free[0]! })).to.equal(0n);
    expect(await f.reader.currency.getTotalSupply()).to.equal(parseCity("200"));
    expect(await f.reader.currency.getReserve()).to.equal(RESERVE);
    expect(formatCity(await f.reader.currency.getTotalSupply({ blockTag: "latest" }))).to.equal("200");
  });

  it("transfer moves coins between members and returns the transaction hash", async () => {
    const f = await loadFixture(sdkFixture);
    const hash = await f.alice.currency.transfer({ to: addressOf(f.bob), amount: parseCity("12.5"), wait: true });
    expect(hash).to.match(/^0x[0-9a-f]{64}$/);
    expect(await f.reader.currency.getBalance({ address: addressOf(f.alice) })).to.equal(parseCity("87.5"));
    expect(await f.reader.currency.getBalance({ address: addressOf(f.bob) })).to.equal(parseCity("112.5"));
  });

  it("a transfer to a non-member is decoded as CityCoinTransferNotAllowed(account) with its sentence and hint", async () => {
    const f = await loadFixture(sdkFixture);
    const stranger = f.free[0]!;
    const err = await expectCityError(
      transfer(f.alice, { to: stranger, amount: parseCity("1") }),
      "CityCoinTransferNotAllowed",
      [stranger],
    );
    expect(err.reason).to.equal(`account ${stranger} is not an active member nor a city account`);
    expect(err.shortMessage).to.equal(`transfer reverted: account ${stranger} is not an active member nor a city account.`);
    expect(err.hint).to.contain(`register ${stranger}`);
    expect(err.contractAddress).to.equal(f.deployment.addresses.cityCoin);
  });

  it("a transfer above the balance is decoded as ERC20InsufficientBalance with amounts in CITY", async () => {
    const f = await loadFixture(sdkFixture);
    const alice = getAddress(addressOf(f.alice));
    const err = await expectCityError(
      f.alice.currency.transfer({ to: addressOf(f.bob), amount: parseCity("100.000001") }),
      "ERC20InsufficientBalance",
      [alice, parseCity("100"), parseCity("100.000001")],
    );
    expect(err.reason).to.equal(`account ${alice} holds 100 CITY but 100.000001 CITY is needed`);
  });

  it("approve, getAllowance and transferFrom", async () => {
    const f = await loadFixture(sdkFixture);
    const [alice, bob] = [addressOf(f.alice), addressOf(f.bob)];
    await f.alice.currency.approve({ spender: bob, amount: parseCity("10"), wait: true });
    expect(await f.reader.currency.getAllowance({ owner: alice, spender: bob })).to.equal(parseCity("10"));
    await f.bob.currency.transferFrom({ from: alice, to: bob, amount: parseCity("4"), wait: true });
    expect(await f.reader.currency.getAllowance({ owner: alice, spender: bob })).to.equal(parseCity("6"));
    expect(await f.reader.currency.getBalance({ address: bob })).to.equal(parseCity("104"));
    await expectCityError(
      f.bob.currency.transferFrom({ from: alice, to: bob, amount: parseCity("7") }),
      "ERC20InsufficientAllowance",
      [getAddress(bob), parseCity("6"), parseCity("7")],
    );
  });

  it("signPermit signs an ERC-2612 permit against the contract's own EIP-712 domain; permit submits it", async () => {
    const f = await loadFixture(sdkFixture);
    const [alice, bob] = [addressOf(f.alice), addressOf(f.bob)];
    const signed = await signPermit(f.alice, { spender: bob, value: parseCity("5") });
    expect(signed.owner.toLowerCase()).to.equal(alice.toLowerCase());
    expect(signed.nonce).to.equal(0n);
    expect(Number(signed.deadline)).to.equal((await now()) + 3600);
    const recovered = await recoverTypedDataAddress({
      domain: { name: "CityCoin", version: "1", chainId: 31337, verifyingContract: f.deployment.addresses.cityCoin },
      types: {
        Permit: [
          { name: "owner", type: "address" },
          { name: "spender", type: "address" },
          { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
      primaryType: "Permit",
      message: { owner: signed.owner, spender: signed.spender, value: signed.value, nonce: signed.nonce, deadline: signed.deadline },
      signature: signed.signature,
    });
    expect(recovered).to.equal(getAddress(alice));

    // anyone may submit it (here an outsider with no coins)
    await f.outsider.currency.permit({ permit: signed, wait: true });
    expect(await f.reader.currency.getAllowance({ owner: alice, spender: bob })).to.equal(parseCity("5"));
    // a permit is used once: the nonce moved on
    const replay = await expectCityError(f.outsider.currency.permit({ permit: signed }), "ERC2612InvalidSigner");
    expect(replay.args[1]).to.equal(getAddress(alice));
  });

  it("transferFrom with a permit: the spender pulls the coins without a prior approve", async () => {
    const f = await loadFixture(sdkFixture);
    const [alice, bob] = [addressOf(f.alice), addressOf(f.bob)];
    const signed = await f.alice.currency.signPermit({ spender: bob, value: parseCity("5") });
    await f.bob.currency.transferFrom({ from: alice, to: bob, amount: parseCity("5"), permit: signed, wait: true });
    expect(await f.reader.currency.getBalance({ address: bob })).to.equal(parseCity("105"));
    expect(await f.reader.currency.getAllowance({ owner: alice, spender: bob })).to.equal(0n);
  });

  it("transferFrom refuses a permit that does not fit the transfer", async () => {
    const f = await loadFixture(sdkFixture);
    const [alice, bob] = [addressOf(f.alice), addressOf(f.bob)];
    const signed = await f.alice.currency.signPermit({ spender: bob, value: parseCity("5") });
    const cases = [
      () => f.bob.currency.transferFrom({ from: bob, to: bob, amount: 1n, permit: signed }), // owner
      () => f.outsider.currency.transferFrom({ from: alice, to: bob, amount: 1n, permit: signed }), // spender
      () => f.bob.currency.transferFrom({ from: alice, to: bob, amount: parseCity("6"), permit: signed }), // value
    ];
    for (const run of cases) {
      let caught: unknown;
      await run().catch((err: unknown) => (caught = err));
      expect(caught).to.be.instanceOf(PermitMismatchError);
    }
  });

  it("an expired permit is decoded as ERC2612ExpiredSignature", async () => {
    const f = await loadFixture(sdkFixture);
    const deadline = BigInt(await now()) + 60n;
    const signed = await f.alice.currency.signPermit({ spender: addressOf(f.bob), value: 1n, deadline });
    await advance(120);
    const err = await expectCityError(f.bob.currency.permit({ permit: signed }), "ERC2612ExpiredSignature", [deadline]);
    expect(err.hint).to.contain("new permit");
  });

  it("a local (private-key) account signs permits and sends transactions itself", async () => {
    const f = await loadFixture(sdkFixture);
    // Hardhat's default accounts come from this mnemonic; index 19 is unused by the fixture.
    const local = mnemonicToAccount("test test test test test test test test test test test junk", { addressIndex: 19 });
    await f.registrar.members.register({ member: local.address, college: 1, district: 1, flags: 0n, credentialHash: credential(), wait: true });
    await f.issuer.currency.issue({ to: local.address, amount: parseCity("3"), depositRef: depositRef(), wait: true });
    const me = cityAs(f.deployment, local);
    const signed = await me.currency.signPermit({ spender: addressOf(f.bob), value: parseCity("1") });
    await f.bob.currency.transferFrom({ from: local.address, to: addressOf(f.bob), amount: parseCity("1"), permit: signed, wait: true });
    await me.currency.transfer({ to: addressOf(f.alice), amount: parseCity("2"), account: local.address, wait: true });
    expect(await f.reader.currency.getBalance({ address: local.address })).to.equal(0n);
  });

  it("redeem burns the payout and sends the fee to the community fund", async () => {
    const f = await loadFixture(sdkFixture);
    const fund = f.record.deployer as `0x${string}`; // deployCity's default community fund
    const supply = await f.reader.currency.getTotalSupply();
    await f.alice.currency.redeem({ amount: parseCity("50"), wait: true });
    // default fee 1%: 0.5 to the fund, 49.5 burnt
    expect(await f.reader.currency.getBalance({ address: addressOf(f.alice) })).to.equal(parseCity("50"));
    expect(await f.reader.currency.getBalance({ address: fund })).to.equal(parseCity("0.5"));
    expect(await f.reader.currency.getTotalSupply()).to.equal(supply - parseCity("49.5"));
    await expectCityError(f.alice.currency.redeem({ amount: 0n }), "CityCoinZeroAmount", []);
  });

  it("issue (ISSUER) and attestReserve (RESERVE_ATTESTER): issuance never exceeds the attested reserve", async () => {
    const f = await loadFixture(sdkFixture);
    const supply = await f.reader.currency.getTotalSupply();
    await f.attester.currency.attestReserve({ reserve: supply + parseCity("10"), reportHash: keccak256(toHex("audit 2")), wait: true });
    expect(await f.reader.currency.getReserve()).to.equal(supply + parseCity("10"));
    await f.issuer.currency.issue({ to: addressOf(f.alice), amount: parseCity("10"), depositRef: depositRef(), wait: true });
    const err = await expectCityError(
      f.issuer.currency.issue({ to: addressOf(f.alice), amount: 1n, depositRef: depositRef() }),
      "CityCoinReserveExceeded",
      [supply + parseCity("10") + 1n, supply + parseCity("10")],
    );
    expect(err.reason).to.contain("above the attested reserve of");
    expect(err.hint).to.contain("attestReserve");

    const ref = depositRef();
    await f.attester.currency.attestReserve({ reserve: RESERVE, reportHash: keccak256(toHex("audit 3")), wait: true });
    await f.issuer.currency.issue({ to: addressOf(f.bob), amount: 1n, depositRef: ref, wait: true });
    await expectCityError(f.issuer.currency.issue({ to: addressOf(f.bob), amount: 1n, depositRef: ref }), "CityCoinDepositAlreadyIssued", [ref]);
    await expectCityError(
      f.alice.currency.attestReserve({ reserve: 1n, reportHash: keccak256("0x01") }),
      "AccessManagedUnauthorized",
      [getAddress(addressOf(f.alice))],
    );
  });

  it("wait: a transaction mined but reverted raises TransactionRevertedError", async () => {
    const f = await loadFixture(sdkFixture);
    // Simulate against a state where the transfer succeeds, then let the state change before it is mined: with
    // automining off, two transfers of the whole balance both pass simulation and the second reverts when mined.
    const hre = (await import("hardhat")).default;
    await hre.network.provider.send("evm_setAutomine", [false]);
    try {
      // Each send is awaited into the mempool before the next (a loaded machine may take seconds): no race.
      const pendingCount = async () =>
        ((await hre.network.provider.send("eth_getBlockByNumber", ["pending", false])) as { transactions: string[] }).transactions.length;
      const untilPending = async (n: number) => {
        const deadline = Date.now() + 60_000;
        while ((await pendingCount()) < n) {
          if (Date.now() > deadline) throw new Error(`transaction ${n} never reached the mempool`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      const first = f.alice.currency.transfer({ to: addressOf(f.bob), amount: parseCity("100"), wait: true });
      await untilPending(1);
      const second = f.alice.currency.transfer({ to: addressOf(f.bob), amount: parseCity("100"), wait: true }).catch((e: unknown) => e);
      await untilPending(2);
      await hre.network.provider.send("evm_mine");
      await first;
      const err = await second;
      expect(err).to.be.instanceOf(TransactionRevertedError);
      expect((err as TransactionRevertedError).hash).to.match(/^0x[0-9a-f]{64}$/);
    } finally {
      await hre.network.provider.send("evm_setAutomine", [true]);
    }
  });
});
