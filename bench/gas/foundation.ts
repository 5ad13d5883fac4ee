import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { deployCity } from "../../scripts/lib/deploy";
import { signForwardRequest } from "../../scripts/lib/relay";
import type { GasEntry } from "./report";
import { gasOf } from "./report";

const DAY = 24 * 3600;

/**
 * Foundation operations: currency transfers (direct and relayed) against a plain OpenZeppelin ERC20 + ERC20Permit
 * and its ERC2771Forwarder, and basic-income claims. Every operation is measured in its steady state: recipients
 * already hold coins, the member has claimed a previous period, the signer has relayed before.
 */
export async function measureFoundation(hre: HardhatRuntimeEnvironment): Promise<Record<string, GasEntry>> {
  const { ethers } = hre;
  const [admin, registrar, issuer, council, alice, bob, carol, orchestrator, dave, carolNewKey] = await ethers.getSigners();
  const city = await deployCity(hre, admin, {
    grants: {
      REGISTRAR: [registrar.address],
      ISSUER: [issuer.address],
      RESERVE_ATTESTER: [admin.address],
      COUNCIL: [council.address],
      ORCHESTRATOR: [orchestrator.address],
    },
  });
  const { registry, coin, income, forwarder } = city;

  // Baselines, deployed by the bench itself.
  const reference = await (await ethers.getContractFactory("ReferenceToken", admin)).deploy(await forwarder.getAddress());
  for (const who of [alice, bob, carol]) await (await reference.mint(who.address, 1_000_000_000n)).wait();
  await (await reference.connect(alice).transfer(bob.address, 1n)).wait();
  const baseTransfer = await gasOf(reference.connect(alice).transfer(bob.address, 1_000_000n));
  await forwardOnce(hre, forwarder, alice, await reference.getAddress(), reference.interface.encodeFunctionData("transfer", [bob.address, 1n]));
  const baseRelayed = await gasOf(
    forwardOnce(hre, forwarder, alice, await reference.getAddress(), reference.interface.encodeFunctionData("transfer", [bob.address, 1_000_000n])),
  );

  // The city: three members holding coins, a program running.
  let credential = 0;
  for (const who of [alice, bob, carol]) {
    await (await registry.connect(registrar).register(who.address, 1, 1, 1n, ethers.id(`bench-${credential++}`))).wait();
  }
  await (await coin.connect(admin).attestReserve(10n ** 15n, ethers.id("report"))).wait();
  let deposit = 0;
  for (const who of [alice, bob, carol, council]) {
    if (who === council) await (await coin.connect(council).setCityAccount(council.address, true)).wait();
    await (await coin.connect(issuer).issue(who.address, 1_000_000_000n, ethers.id(`deposit-${deposit++}`))).wait();
  }
  await (await coin.connect(alice).transfer(bob.address, 1n)).wait();
  const transfer = await gasOf(coin.connect(alice).transfer(bob.address, 1_000_000n));
  await forwardOnce(hre, forwarder, alice, await coin.getAddress(), coin.interface.encodeFunctionData("transfer", [bob.address, 1n]));
  const transferRelayed = await gasOf(
    forwardOnce(hre, forwarder, alice, await coin.getAddress(), coin.interface.encodeFunctionData("transfer", [bob.address, 1_000_000n])),
  );

  const now = (await ethers.provider.getBlock("latest"))!.timestamp;
  await (await income.connect(council).createProgram(0b10, 0, now + 10, 30 * DAY, 12, 50_000_000n)).wait();
  await (await coin.connect(council).approve(await income.getAddress(), 1_000_000_000n)).wait();
  await (await income.connect(council).fund(1, 1_000_000_000n)).wait();
  await hre.network.provider.send("evm_increaseTime", [20]);
  await (await income.openPeriod(1)).wait();
  await (await income.connect(alice).claim(1)).wait();
  await forwardOnce(hre, forwarder, bob, await income.getAddress(), income.interface.encodeFunctionData("claim", [1]));
  await hre.network.provider.send("evm_increaseTime", [30 * DAY]);
  await (await income.openPeriod(1)).wait();
  const claim = await gasOf(income.connect(alice).claim(1));
  const claimRelayed = await gasOf(
    forwardOnce(hre, forwarder, bob, await income.getAddress(), income.interface.encodeFunctionData("claim", [1])),
  );

  // Membership changes, each told to every listener the city deploys (CityCoin and the services that follow suspensions
  // and key recoveries): registering a fourth member, suspending and reinstating it, and a two-party key recovery of a
  // member holding coins and an income claim.
  const register = await gasOf(registry.connect(registrar).register(dave.address, 1, 2, 1n, ethers.id(`bench-${credential++}`)));
  const suspend = await gasOf(registry.connect(registrar).suspend(dave.address, ethers.id("bench suspension")));
  const reinstate = await gasOf(registry.connect(registrar).reinstate(dave.address));
  const startMigration = await gasOf(registry.connect(registrar).startMigration(carol.address, carolNewKey.address));
  const approveMigration = await gasOf(registry.connect(orchestrator).approveMigration(carol.address));
  await hre.network.provider.send("evm_increaseTime", [Number(await registry.migrationDelay()) + 1]);
  const completeMigration = await gasOf(registry.completeMigration(carol.address));

  return {
    "membership.register": { gas: register },
    "membership.suspend": { gas: suspend },
    "membership.reinstate": { gas: reinstate },
    "membership.startMigration": { gas: startMigration },
    "membership.approveMigration": { gas: approveMigration },
    "membership.completeMigration": { gas: completeMigration },
    "currency.transfer": { gas: transfer, baseline: baseTransfer },
    "currency.transferRelayed": { gas: transferRelayed, baseline: baseRelayed },
    "income.claim": { gas: claim },
    "income.claimRelayed": { gas: claimRelayed, baseline: baseRelayed },
  };
}

export async function forwardOnce(
  hre: HardhatRuntimeEnvironment,
  forwarder: Parameters<typeof signForwardRequest>[0],
  signer: Awaited<ReturnType<HardhatRuntimeEnvironment["ethers"]["getSigners"]>>[number],
  to: string,
  data: string,
) {
  const [relayer] = await hre.ethers.getSigners();
  const request = await signForwardRequest(forwarder, signer, { to, data });
  return forwarder.connect(relayer).execute(request);
}
