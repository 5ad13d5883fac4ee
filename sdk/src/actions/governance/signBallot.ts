import type { Address, Hex } from "viem";
import { cityGovernorAbi } from "../../abis/cityGovernor";
import type { CityContext, WriteParameters } from "../../types";
import { addressOf, read, signerOf } from "../internal/call";
import { governanceAddress } from "../internal/governance";
import type { VoteSupport } from "./castVote";

/** @example `const p: SignBallotParameters = { proposalId, support: 1 };` */
export interface SignBallotParameters extends Pick<WriteParameters, "account"> {
  proposalId: bigint;
  support: VoteSupport;
}

/**
 * A signed ballot: what {@link castVoteBySig} submits.
 * @example `const { voter, signature }: SignBallotReturnType = await signBallot(member, params);`
 */
export interface SignBallotReturnType {
  proposalId: bigint;
  support: VoteSupport;
  voter: Address;
  signature: Hex;
}

/** @example `catch (e) { const err = e as SignBallotErrorType; }` */
export type SignBallotErrorType = Error;

/**
 * Signs a vote (OpenZeppelin's EIP-712 `Ballot`, with the voter's governor nonce): no gas, no transaction. Anyone —
 * the city's relayer — submits it with {@link castVoteBySig}.
 *
 * @example
 * ```ts
 * const ballot = await signBallot(member, { proposalId, support: 1 });
 * await castVoteBySig(relayer, ballot);
 * ```
 */
export async function signBallot(context: CityContext, parameters: SignBallotParameters): Promise<SignBallotReturnType> {
  const { walletClient, account } = signerOf(context, "signBallot", parameters.account);
  const voter = addressOf(account);
  const address = governanceAddress(context, "CityGovernor", "signBallot");
  const { publicClient } = context;
  const [domain, nonce] = await Promise.all([
    read(() => publicClient.readContract({ address, abi: cityGovernorAbi, functionName: "eip712Domain" })),
    read(() => publicClient.readContract({ address, abi: cityGovernorAbi, functionName: "nonces", args: [voter] })),
  ]);
  const [, name, version, chainId, verifyingContract] = domain;
  const signature = await walletClient.signTypedData({
    account,
    domain: { name, version, chainId, verifyingContract },
    types: {
      Ballot: [
        { name: "proposalId", type: "uint256" },
        { name: "support", type: "uint8" },
        { name: "voter", type: "address" },
        { name: "nonce", type: "uint256" },
      ],
    },
    primaryType: "Ballot",
    message: { proposalId: parameters.proposalId, support: parameters.support, voter, nonce },
  });
  return { proposalId: parameters.proposalId, support: parameters.support, voter, signature };
}
