import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress, maxUint256, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  ContractNotDeployedError,
  askEnergy,
  cityAuthorityAbi,
  createCityClient,
  energyOrderIdOf,
  memberFlags,
  meterRegistryAbi,
  parseCity,
  signReading,
} from "../../sdk/src";
import { addressOf, cityAs, credential, depositRef, expectCityError, now, publicClient, sdkFixture } from "./helpers";

const SLOT = 900;
const GATE = 300;

/**
 * The SDK fixture plus a prosumer (PROSUMER flag, €100) and a meter operator; meters with fresh device keys: the
 * prosumer's production meter and alice's and bob's consumption meters. Everything through the SDK or viem.
 */
async function energySdkFixture() {
  const f = await loadFixture(sdkFixture);
  const prosumerAddress = f.free[0]!;
  const operatorAddress = f.free[1]!;
  await f.registrar.members.register({
    member: prosumerAddress,
    college: 1,
    district: 4,
    flags: memberFlags.RESIDENT | memberFlags.PROSUMER,
    credentialHash: credential(),
    wait: true,
  });
  await f.issuer.currency.issue({ to: prosumerAddress, amount: parseCity("100"), depositRef: depositRef(), wait: true });
  const grant = await f.admin.walletClient!.writeContract({
    address: f.deployment.addresses.cityAuthority,
    abi: cityAuthorityAbi,
    functionName: "grantRole",
    args: [f.deployment.roles.METER_OPERATOR, operatorAddress, 0],
    chain: null,
    account: addressOf(f.admin),
  });
  await publicClient.waitForTransactionReceipt({ hash: grant });
  const prosumer = cityAs(f.deployment, prosumerAddress);
  const operator = cityAs(f.deployment, operatorAddress);
  const keys = { sol: generatePrivateKey(), alice: generatePrivateKey(), bob: generatePrivateKey() };
  const meterOf = (key: `0x${string}`) => privateKeyToAccount(key).address;
  for (const [member, key, kind] of [
    [prosumerAddress, keys.sol, 1],
    [addressOf(f.alice), keys.alice, 2],
    [addressOf(f.bob), keys.bob, 2],
  ] as const) {
    const hash = await operator.walletClient!.writeContract({
      address: f.deployment.addresses.meterRegistry!,
      abi: meterRegistryAbi,
      functionName: "register",
      args: [meterOf(key), member, kind, 4],
      chain: null,
      account: operatorAddress,
    });
    await publicClient.waitForTransactionReceipt({ hash });
  }
  for (const who of [prosumer, f.alice, f.bob]) {
    await who.currency.approve({ spender: f.deployment.addresses.energyMarket!, amount: maxUint256, wait: true });
  }
  const slot = Math.floor((await now()) / SLOT) + 4;
  /** A client whose wallet account is a meter's device key. */
  const device = (key: `0x${string}`) => cityAs(f.deployment, privateKeyToAccount(key));
  return { ...f, prosumer, operator, keys, meters: { sol: meterOf(keys.sol), alice: meterOf(keys.alice), bob: meterOf(keys.bob) }, device, slot };
}

describe("sdk: energy", () => {
  let f: Awaited<ReturnType<typeof energySdkFixture>>;
  beforeEach(async () => {
    f = await loadFixture(energySdkFixture);
  });

  it("ask, bid, cancel, getBook, getOrder, clear, signReading, recordReadings, settle, getMarketBalance, claimRefund", async () => {
    const { slot } = f;
    await f.prosumer.energy.ask({ slot, meter: f.meters.sol, wh: 1_000n, minPrice: 100_000, wait: true });
    await f.alice.energy.bid({ slot, meter: f.meters.alice, wh: 600n, maxPrice: 200_000, wait: true });
    await f.bob.energy.deposit({ amount: parseCity("1"), wait: true });
    await f.bob.energy.bid({ slot, meter: f.meters.bob, wh: 400n, maxPrice: 150_000, wait: true });
    const [askId, aliceId, bobId] = [1n, 2n, 3n].map((seq) => energyOrderIdOf(slot, seq));
    expect(await f.reader.energy.getBook({ slot })).to.deep.equal([askId, aliceId, bobId]);
    const order = await f.reader.energy.getOrder({ orderId: aliceId! });
    expect(order).to.include({ trader: getAddress(addressOf(f.alice)), side: 1, status: 1, price: 200_000 });
    expect(BigInt(order.wh)).to.equal(600n);
    // bob's escrow (60_000) came from its deposit; cancelling puts it back
    expect(await f.reader.energy.getMarketBalance({ address: addressOf(f.bob) })).to.equal(parseCity("1") - 60_000n);
    await f.bob.energy.cancel({ orderId: bobId!, wait: true });
    expect(await f.reader.energy.getMarketBalance({ address: addressOf(f.bob) })).to.equal(parseCity("1"));
    await f.bob.energy.bid({ slot, meter: f.meters.bob, wh: 400n, maxPrice: 150_000, wait: true });

    await time.increaseTo(slot * SLOT - GATE);
    await expectCityError(f.alice.energy.bid({ slot, meter: f.meters.alice, wh: 100n, maxPrice: 1 }), "EnergyMarketGateClosed", [
      slot,
      BigInt(slot * SLOT - GATE),
    ]);
    await f.outsider.energy.clear({ slot, wait: true });
    // asks 1000 @ 0.10; bids 600 @ 0.20, 400 @ 0.15: all 1000 Wh trade, L = 100_000, U = 150_000, P = 125_000
    const result = await f.reader.energy.getSlotResult({ slot });
    expect(result).to.include({ cleared: true, settled: false, price: 125_000 });
    expect(BigInt(result.volume)).to.equal(1_000n);

    await time.increaseTo((slot + 1) * SLOT);
    const readings = [
      await f.device(f.keys.alice).energy.signReading({ slot, producedWh: 0n, consumedWh: 550n }),
      await signReading(f.device(f.keys.sol), { slot, producedWh: 1_000n, consumedWh: 0n }),
    ];
    expect(readings[1]!.meter).to.equal(f.meters.sol);
    // the prosumer records its own reading (it counts whoever settles); the settler brings alice's
    await f.prosumer.energy.recordReadings({ readings: [readings[1]!], wait: true });
    await f.outsider.energy.settle({ slot, readings: [readings[0]!], wait: true });
    expect((await f.reader.energy.getSlotResult({ slot })).settled).to.equal(true);
    // the prosumer: 1000 Wh × €0.125 = 125_000, plus its collateral (1000 Wh × €0.25) back
    const owed = await f.reader.energy.getMarketBalance({ address: addressOf(f.prosumer) });
    expect(owed).to.equal(125_000n + 250_000n);
    const before = await f.reader.currency.getBalance({ address: addressOf(f.prosumer) });
    await f.prosumer.energy.claimRefund({ wait: true });
    expect(await f.reader.currency.getBalance({ address: addressOf(f.prosumer) })).to.equal(before + owed);
    await expectCityError(f.prosumer.energy.claimRefund(), "EnergyMarketNothingToClaim", [getAddress(addressOf(f.prosumer))]);
    await expectCityError(f.outsider.energy.settle({ slot, readings }), "EnergyMarketAlreadySettled", [slot]);
  });

  it("a forged reading is refused with a decoded error", async () => {
    const { slot } = f;
    await f.prosumer.energy.ask({ slot, meter: f.meters.sol, wh: 100n, minPrice: 1, wait: true });
    await f.alice.energy.bid({ slot, meter: f.meters.alice, wh: 100n, maxPrice: 10_000, wait: true });
    await time.increaseTo(slot * SLOT - GATE);
    await f.outsider.energy.clear({ slot, wait: true });
    await time.increaseTo((slot + 1) * SLOT);
    const forged = { ...(await f.device(f.keys.bob).energy.signReading({ slot, producedWh: 100n, consumedWh: 0n })), meter: f.meters.sol };
    // Claiming sol's meter changes the digest, so the signature recovers to an address that is not sol's meter.
    const err = await expectCityError(f.outsider.energy.settle({ slot, readings: [forged] }), "MeterRegistryInvalidSignature");
    expect(err.args[0]).to.equal(f.meters.sol);
    expect(err.args[1]).to.not.equal(f.meters.sol);
    const again = await expectCityError(f.outsider.energy.recordReadings({ readings: [forged] }), "MeterRegistryInvalidSignature");
    expect(again.args[0]).to.equal(f.meters.sol);
  });

  it("energy actions say which contract a deployment lacks", async () => {
    const { energyMarket: _e, meterRegistry: _m, ...rest } = f.deployment.addresses;
    const city = createCityClient({ publicClient, deployment: { ...f.deployment, addresses: rest } });
    let caught: unknown;
    try {
      await askEnergy(city, { slot: f.slot, meter: f.meters.sol as Address, wh: 1n, minPrice: 1 });
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(ContractNotDeployedError);
  });
});
