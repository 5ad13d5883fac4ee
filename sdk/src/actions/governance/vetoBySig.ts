import { citizensVetoAbi } from "../../abis/citizensVeto";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { governanceAddress } from "../internal/governance";
import type { SignVetoReturnType } from "./signVeto";

/** @example `const p: VetoBySigParameters = { ...(await signVeto(citizen, { proposalId })) };` */
export interface VetoBySigParameters extends Omit<WriteParameters, "gasless">, SignVetoReturnType {}

/** @example `const hash: VetoBySigReturnType = await vetoBySig(relayer, signed);` */
export type VetoBySigReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as VetoBySigErrorType; } // e.g. CitizensVetoInvalidSignature` */
export type VetoBySigErrorType = WriteErrorType;

/**
 * Submits a citizen's signed veto ({@link signVeto}); the sender pays the gas.
 *
 * @example
 * ```ts
 * await vetoBySig(relayer, { ...signed, wait: true });
 * ```
 */
export async function vetoBySig(context: CityContext, parameters: VetoBySigParameters): Promise<VetoBySigReturnType> {
  const address = governanceAddress(context, "CitizensVeto", "vetoBySig");
  return write(context, "vetoBySig", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: citizensVetoAbi,
      functionName: "vetoBySig",
      args: [parameters.proposalId, parameters.citizen, parameters.signature],
      account,
    }),
  );
}
