import type { Hex } from "viem";
import { cityGovernorAbi } from "../../abis/cityGovernor";
import type { CityContext, WriteParameters } from "../../types";
import { read, signerOf } from "../internal/call";
import { governanceAddress } from "../internal/governance";

/** @example `const p: SignCosignParameters = { proposalId, deadline: 1_900_000_000n };` */
export interface SignCosignParameters extends Pick<WriteParameters, "account"> {
  /** The proposal co-signed ({@link getProposalId}). */
  proposalId: bigint;
  /** Unix seconds until which the co-signature may be used. */
  deadline: bigint;
}

/** @example `const signature: SignCosignReturnType = await signCosign(member, params);` */
export type SignCosignReturnType = Hex;

/** @example `catch (e) { const err = e as SignCosignErrorType; }` */
export type SignCosignErrorType = Error;

/**
 * Co-signs a member's proposal (EIP-712 `Cosign(proposalId, deadline)` in the governor's domain): no gas, no
 * transaction. The proposer gathers co-signatures and submits them with {@link proposeWithCosigners}.
 *
 * @example
 * ```ts
 * const signature = await signCosign(neighbour, { proposalId, deadline });
 * ```
 */
export async function signCosign(context: CityContext, parameters: SignCosignParameters): Promise<SignCosignReturnType> {
  const { walletClient, account } = signerOf(context, "signCosign", parameters.account);
  const address = governanceAddress(context, "CityGovernor", "signCosign");
  const [, name, version, chainId, verifyingContract] = await read(() =>
    context.publicClient.readContract({ address, abi: cityGovernorAbi, functionName: "eip712Domain" }),
  );
  return walletClient.signTypedData({
    account,
    domain: { name, version, chainId, verifyingContract },
    types: { Cosign: [{ name: "proposalId", type: "uint256" }, { name: "deadline", type: "uint256" }] },
    primaryType: "Cosign",
    message: { proposalId: parameters.proposalId, deadline: parameters.deadline },
  });
}
