import type { Address, Hex } from "viem";
import { cityAgendaAbi } from "../../abis/cityAgenda";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { governanceAddress, proposalArgs, type ProposalCall } from "../internal/governance";

/** @example `const p: ProposeWithCosignersParameters = { ...call, cosigners: [{ address, signature }], deadline };` */
export interface ProposeWithCosignersParameters extends WriteParameters, ProposalCall {
  /** Members who co-signed with {@link signCosign} (any order: sorted here), without the proposer. */
  cosigners: readonly { address: Address; signature: Hex }[];
  /** The deadline the co-signers signed. */
  deadline: bigint;
}

/** @example `const hash: ProposeWithCosignersReturnType = await proposeWithCosigners(member, params);` */
export type ProposeWithCosignersReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as ProposeWithCosignersErrorType; } // e.g. CityGovernorNotEnoughCosigners` */
export type ProposeWithCosignersErrorType = WriteErrorType;

/**
 * Puts a proposal on the agenda as a member, with the co-signatures of other members reaching the charter's share
 * (sent to the deployment's CityAgenda, which has the governor propose for the member: the member is the proposer).
 * Works gasless (`gasless: true`): the member signs a relayed request.
 *
 * @example
 * ```ts
 * const proposalId = await getProposalId(city, call);
 * const signature = await signCosign(neighbour, { proposalId, deadline });
 * await proposeWithCosigners(member, { ...call, deadline, cosigners: [{ address: neighbourAddress, signature }] });
 * ```
 */
export async function proposeWithCosigners(context: CityContext, parameters: ProposeWithCosignersParameters): Promise<ProposeWithCosignersReturnType> {
  // Members' ways to the agenda live on CityAgenda, which has the governor propose for the member.
  const address = governanceAddress(context, "CityAgenda", "proposeWithCosigners");
  const sorted = [...parameters.cosigners].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
  const cosigned = { cosigners: sorted.map((c) => c.address), deadline: parameters.deadline, signatures: sorted.map((c) => c.signature) };
  return write(context, "proposeWithCosigners", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: cityAgendaAbi,
      functionName: "proposeWithCosigners",
      args: [...proposalArgs(parameters), parameters.description, cosigned],
      account,
    }),
  );
}
