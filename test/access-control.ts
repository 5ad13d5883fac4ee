import { expect } from "chai";
import type { BaseContract } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { RoleName } from "../scripts/lib/roles";
import type { Actors } from "./fixtures";

/** Every role-holding signer of a city fixture with the role it holds, and the outsider, who holds none. */
export function roleHolders(
  f: Actors & { arbiter?: HardhatEthersSigner; meterOperator?: HardhatEthersSigner },
): [HardhatEthersSigner, RoleName | null][] {
  const holders: [HardhatEthersSigner, RoleName | null][] = [
    [f.admin, "ADMIN"],
    [f.registrar, "REGISTRAR"],
    [f.issuer, "ISSUER"],
    [f.attester, "RESERVE_ATTESTER"],
    [f.council, "COUNCIL"],
    [f.orchestrator, "ORCHESTRATOR"],
    [f.guardian, "GUARDIAN"],
    [f.relayer, "RELAYER"],
  ];
  if (f.arbiter) holders.push([f.arbiter, "ARBITER"]);
  if (f.meterOperator) holders.push([f.meterOperator, "METER_OPERATOR"]);
  holders.push([f.outsider, null]);
  return holders;
}

/**
 * Calls the restricted `signature` of `contract` as every holder of the wrong role (and the outsider), each of which
 * must revert with AccessManagedUnauthorized(caller), then as the holder of `role`, which must emit `event`.
 */
export async function expectOnlyRole(
  contract: BaseContract,
  signature: string,
  role: RoleName,
  holders: [HardhatEthersSigner, RoleName | null][],
  args: unknown[],
  event: [string, unknown[]],
): Promise<void> {
  let allowed: HardhatEthersSigner | undefined;
  for (const [signer, held] of holders) {
    if (held === role) {
      allowed = signer;
      continue;
    }
    await expect((contract.connect(signer) as BaseContract).getFunction(signature)(...args), `${held ?? "outsider"} → ${signature}`)
      .to.be.revertedWithCustomError(contract, "AccessManagedUnauthorized")
      .withArgs(signer.address);
  }
  expect(allowed, `no fixture signer holds ${role}`).to.not.equal(undefined);
  await expect((contract.connect(allowed!) as BaseContract).getFunction(signature)(...args))
    .to.emit(contract, event[0])
    .withArgs(...event[1]);
}
