import { citizensVetoAbi } from "../../abis/citizensVeto";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { governanceAddress } from "../internal/governance";

/** @example `const p: VetoParameters = { proposalId };` */
export interface VetoParameters extends WriteParameters {
  proposalId: bigint;
}

/** @example `const hash: VetoReturnType = await veto(citizen, { proposalId });` */
export type VetoReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as VetoErrorType; } // e.g. CitizensVetoNotQueued, CitizensVetoAlreadySigned` */
export type VetoErrorType = WriteErrorType;

/**
 * Signs the citizens' veto of a queued proposal as a member of the charter's veto college; the signature that reaches
 * the threshold cancels it in the timelock. Gasless with `gasless: true`, or see {@link signVeto} and {@link vetoBySig}.
 *
 * @example
 * ```ts
 * await veto(citizen, { proposalId, wait: true });
 * ```
 */
export async function veto(context: CityContext, parameters: VetoParameters): Promise<VetoReturnType> {
  const address = governanceAddress(context, "CitizensVeto", "veto");
  return write(context, "veto", parameters, (publicClient, account) =>
    publicClient.simulateContract({ address, abi: citizensVetoAbi, functionName: "veto", args: [parameters.proposalId], account }),
  );
}
