import { citizensVetoAbi } from "../../abis/citizensVeto";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { governanceAddress } from "../internal/governance";

/** @example `const p: GetVetoProgressParameters = { proposalId };` */
export interface GetVetoProgressParameters extends ReadParameters {
  proposalId: bigint;
}

/**
 * How far the citizens' veto of a proposal is.
 * @example `const { signatures, needed }: GetVetoProgressReturnType = await getVetoProgress(city, { proposalId });`
 */
export interface GetVetoProgressReturnType {
  /** Veto signatures so far. */
  signatures: bigint;
  /** Signatures that cancel the proposal (0 before its snapshot). */
  needed: bigint;
  /** The college whose members may veto it. */
  college: number;
}

/** @example `catch (e) { const err = e as GetVetoProgressErrorType; }` */
export type GetVetoProgressErrorType = ReadErrorType;

/**
 * The citizens' veto of `proposalId`: signatures, the threshold, and the college that may sign.
 *
 * @example
 * ```ts
 * const { signatures, needed } = await getVetoProgress(city, { proposalId });
 * ```
 */
export async function getVetoProgress(context: CityContext, parameters: GetVetoProgressParameters): Promise<GetVetoProgressReturnType> {
  const address = governanceAddress(context, "CitizensVeto", "getVetoProgress");
  const [signatures, needed, college] = await read(() =>
    context.publicClient.readContract({ address, abi: citizensVetoAbi, functionName: "vetoProgress", args: [parameters.proposalId], ...blockOf(parameters) }),
  );
  return { signatures, needed, college };
}
