import type { Address, Hex } from "viem";
import { citizensVetoAbi } from "../../abis/citizensVeto";
import type { CityContext, WriteParameters } from "../../types";
import { addressOf, read, signerOf } from "../internal/call";
import { governanceAddress } from "../internal/governance";

/** @example `const p: SignVetoParameters = { proposalId };` */
export interface SignVetoParameters extends Pick<WriteParameters, "account"> {
  proposalId: bigint;
}

/**
 * A signed veto: what {@link vetoBySig} submits.
 * @example `const { citizen, signature }: SignVetoReturnType = await signVeto(citizen, { proposalId });`
 */
export interface SignVetoReturnType {
  proposalId: bigint;
  citizen: Address;
  signature: Hex;
}

/** @example `catch (e) { const err = e as SignVetoErrorType; }` */
export type SignVetoErrorType = Error;

/**
 * Signs a veto (EIP-712 `Veto(proposalId, citizen)` in CitizensVeto's domain): no gas, no transaction; any relayer
 * submits it with {@link vetoBySig}. One veto per citizen and proposal, so no nonce.
 *
 * @example
 * ```ts
 * const signed = await signVeto(citizen, { proposalId });
 * await vetoBySig(relayer, signed);
 * ```
 */
export async function signVeto(context: CityContext, parameters: SignVetoParameters): Promise<SignVetoReturnType> {
  const { walletClient, account } = signerOf(context, "signVeto", parameters.account);
  const citizen = addressOf(account);
  const address = governanceAddress(context, "CitizensVeto", "signVeto");
  const [, name, version, chainId, verifyingContract] = await read(() =>
    context.publicClient.readContract({ address, abi: citizensVetoAbi, functionName: "eip712Domain" }),
  );
  const signature = await walletClient.signTypedData({
    account,
    domain: { name, version, chainId, verifyingContract },
    types: { Veto: [{ name: "proposalId", type: "uint256" }, { name: "citizen", type: "address" }] },
    primaryType: "Veto",
    message: { proposalId: parameters.proposalId, citizen },
  });
  return { proposalId: parameters.proposalId, citizen, signature };
}
