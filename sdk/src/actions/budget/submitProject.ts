import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import type { Hex } from "viem";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { budgetAddress } from "../internal/budget";

/** @example `const p: SubmitProjectParameters = { roundId, envelope, cost, contentHash, uri };` */
export interface SubmitProjectParameters extends WriteParameters {
  /** Round id. */
  roundId: bigint;
  /** Envelope index: 0 city-wide, i the i-th district listed at creation. */
  envelope: number;
  /** Cost in CityCoin base units, at most the envelope. */
  cost: bigint;
  /** Hash of the project's description. */
  contentHash: Hex;
  /** Where the description is published. */
  uri: string;
}

/** @example `const hash: SubmitProjectReturnType = await submitProject(city, params);` */
export type SubmitProjectReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as SubmitProjectErrorType; } // e.g. ParticipatoryBudgetWrongPhase, ParticipatoryBudgetNotAMember, ParticipatoryBudgetInvalidCost` */
export type SubmitProjectErrorType = WriteErrorType;

/**
 * Submits a project during the proposals phase; the account must be an active member. Project ids run from 1 per
 * round.
 *
 * @example
 * ```ts
 * await submitProject(city, { roundId: 1n, envelope: 0, cost: parseCity("12000"), contentHash, uri: "ipfs://…", wait: true });
 * ```
 */
export async function submitProject(context: CityContext, parameters: SubmitProjectParameters): Promise<SubmitProjectReturnType> {
  const address = budgetAddress(context, "submitProject");
  return write(context, "submitProject", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: participatoryBudgetAbi,
      functionName: "submit",
      args: [parameters.roundId, parameters.envelope, parameters.cost, parameters.contentHash, parameters.uri],
      account,
    }),
  );
}
