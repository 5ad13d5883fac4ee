import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { budgetAddress } from "../internal/budget";

/** @example `const p: GetBudgetChallengeParameters = { roundId };` */
export interface GetBudgetChallengeParameters extends ReadParameters {
  /** Round id. */
  roundId: bigint;
}

/**
 * Where a round's result stands against challenges.
 * @example `const { status, challengeEnd } = await getBudgetChallenge(city, { roundId });`
 */
export interface GetBudgetChallengeReturnType {
  /**
   * `none`: no result yet; `window`: a posted result in its challenge window (members may challenge, not fundable);
   * `challenged`: awaiting the council; `fundable`: the window is over (or the result was computed on chain, or
   * upheld) and not yet funded; `funded`.
   */
  status: "none" | "window" | "challenged" | "fundable" | "funded";
  /** End of the challenge window (unix seconds; 0 for a result computed on chain, or rejected). */
  challengeEnd: number;
  /** Seconds of a posted result's challenge window (`CHALLENGE_WINDOW`). */
  window: number;
}

/** @example `catch (e) { const err = e as GetBudgetChallengeErrorType; }` */
export type GetBudgetChallengeErrorType = ReadErrorType;

/**
 * A round's challenge state at one block: whether its posted result is in its challenge window, challenged, fundable
 * or funded, with the window's end (compared with that block's timestamp).
 *
 * @example
 * ```ts
 * const { status } = await getBudgetChallenge(city, { roundId: 2n });
 * if (status === "window") await challengeResult(city, { roundId: 2n, winners, gasless: true });
 * ```
 */
export async function getBudgetChallenge(context: CityContext, parameters: GetBudgetChallengeParameters): Promise<GetBudgetChallengeReturnType> {
  const address = budgetAddress(context, "getBudgetChallenge");
  const at = blockOf(parameters);
  const [[, state], window, block] = await read(() =>
    Promise.all([
      context.publicClient.readContract({ address, abi: participatoryBudgetAbi, functionName: "round", args: [parameters.roundId], ...at }),
      context.publicClient.readContract({ address, abi: participatoryBudgetAbi, functionName: "CHALLENGE_WINDOW", ...at }),
      context.publicClient.getBlock(at),
    ]),
  );
  const challengeEnd = Number(state.challengeEnd);
  const status = !state.resultIn
    ? "none"
    : state.funded
      ? "funded"
      : state.challenged
        ? "challenged"
        : block.timestamp < BigInt(challengeEnd)
          ? "window"
          : "fundable";
  return { status, challengeEnd, window: Number(window) };
}
