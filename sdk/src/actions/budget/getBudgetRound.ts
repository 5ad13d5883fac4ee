import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { budgetAddress } from "../internal/budget";
import type { BudgetRoundState, BudgetVoteConfig } from "./types";

/** @example `const p: GetBudgetRoundParameters = { roundId: 1n };` */
export interface GetBudgetRoundParameters extends ReadParameters {
  roundId: bigint;
}

/** @example `const { config, state, phase } = await getBudgetRound(city, { roundId: 1n });` */
export interface GetBudgetRoundReturnType {
  config: BudgetVoteConfig;
  state: BudgetRoundState;
  /** `IParticipatoryBudget.Phase` (see {@link budgetPhases}). */
  phase: number;
  /** Head of the round's ballot log. */
  logHead: `0x${string}`;
  /** Bitmap of the winning ballot indexes (once the result is in). */
  winners: bigint;
}

/** @example `catch (e) { const err = e as GetBudgetRoundErrorType; }` */
export type GetBudgetRoundErrorType = ReadErrorType;

/**
 * A round's vote configuration, state, phase, ballot-log head and winners, read at one block.
 *
 * @example
 * ```ts
 * const { phase, state } = await getBudgetRound(city, { roundId: 1n });
 * ```
 */
export async function getBudgetRound(context: CityContext, parameters: GetBudgetRoundParameters): Promise<GetBudgetRoundReturnType> {
  const address = budgetAddress(context, "getBudgetRound");
  const call = { address, abi: participatoryBudgetAbi, args: [parameters.roundId], ...blockOf(parameters) } as const;
  const [[config, state], phase, logHead, winners] = await read(() =>
    Promise.all([
      context.publicClient.readContract({ ...call, functionName: "round" }),
      context.publicClient.readContract({ ...call, functionName: "phaseOf" }),
      context.publicClient.readContract({ ...call, functionName: "logHead" }),
      context.publicClient.readContract({ ...call, functionName: "winnersOf" }),
    ]),
  );
  return { config, state, phase, logHead, winners };
}
