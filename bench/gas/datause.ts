import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { AbiCoder, keccak256 } from "ethers";
import { deployCity } from "../../scripts/lib/deploy";
import { forwardOnce } from "./foundation";
import type { GasEntry } from "./report";
import { gasOf } from "./report";

const DAY = 24 * 3600;

/**
 * Data use: a member's consent and a processor's monthly batch, in their steady state. A member's consent slot is
 * written the first time they act on a purpose (a zero-to-non-zero store, `datause.consentFirst`, shown for the
 * record); a withdrawal keeps it non-zero, so every later grant rewrites it (`datause.consent`, target ≤ 50k). A batch
 * always writes two new slots (root; count, salt commitment and reveal flag): `datause.publishBatch` (target ≤ 80k) is
 * a processor's second month.
 */
export async function measureDatause(hre: HardhatRuntimeEnvironment): Promise<Record<string, GasEntry>> {
  const { ethers } = hre;
  const [admin, registrar, council, publisher, alice, bob] = await ethers.getSigners();
  const { registry, datause, forwarder } = await deployCity(hre, admin, { grants: { REGISTRAR: [registrar.address], COUNCIL: [council.address] } });
  for (const [i, who] of [alice, bob].entries()) {
    await (await registry.connect(registrar).register(who.address, 1, 1, 1n, ethers.id(`bench-datause-${i}`))).wait();
  }
  await (await datause.connect(council).registerProcessor(publisher.address, ethers.id("Parking operator"), "mailto:dpo@parking.example")).wait();
  const terms = { descriptionHash: ethers.id("parking study"), legalBasis: 0, categories: 2 | 16, retention: 90 * DAY, recipients: [ethers.id("city hall")] };
  await (await datause.connect(publisher).declarePurpose(1n, terms)).wait();

  const consentFirst = await gasOf(datause.connect(alice).grantConsent(1n));
  const withdraw = await gasOf(datause.connect(alice).withdrawConsent(1n));
  const consent = await gasOf(datause.connect(alice).grantConsent(1n));
  const target = await datause.getAddress();
  const grantData = datause.interface.encodeFunctionData("grantConsent", [1n]);
  await (await forwardOnce(hre, forwarder, bob, target, grantData)).wait();
  await (await forwardOnce(hre, forwarder, bob, target, datause.interface.encodeFunctionData("withdrawConsent", [1n]))).wait();
  const consentRelayed = await gasOf(forwardOnce(hre, forwarder, bob, target, grantData));

  const saltHash = (month: number) => keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32"], [ethers.id(`salt ${month}`)]));
  await (await datause.connect(publisher).publishBatch(1n, 202610, ethers.id("root 10"), 1_250, saltHash(10))).wait();
  const publishBatch = await gasOf(datause.connect(publisher).publishBatch(1n, 202611, ethers.id("root 11"), 1_318, saltHash(11)));
  const revealSalt = await gasOf(datause.connect(publisher).revealSalt(1n, 202610, ethers.id("salt 10")));

  return {
    "datause.consent": { gas: consent },
    "datause.consentFirst": { gas: consentFirst },
    "datause.consentRelayed": { gas: consentRelayed },
    "datause.withdraw": { gas: withdraw },
    "datause.publishBatch": { gas: publishBatch },
    "datause.revealSalt": { gas: revealSalt },
  };
}
