import { useQuery } from "@tanstack/react-query";
import { budgetPhases, computeBudgetResult, type BudgetOutcome, type CityClient, type CityDeployment, type GetBudgetBallotLogReturnType } from "@cityledger/sdk";
import { useCity } from "../../api";
import type { RoundJson } from "./types";

/** What the browser recomputed from the chain, and how it compares with what the node recorded. */
export interface Recomputation {
  /** Ballots read from the chain (changed ballots included) and members whose last ballot counts. */
  ballots: number;
  voters: number;
  /** The ballot log's head as re-derived here (the SDK checked it equals the round's head on chain). */
  head: `0x${string}`;
  /** Winners recomputed, as a bitmap of ballot indexes, and per project id the approvals of the last ballots. */
  winners: bigint;
  approvals: Map<number, number>;
  /** Project ids selected by the rule, per envelope, in selection order. */
  selected: number[][];
  /**
   * The ballot log read from the chain and each envelope's outcome as the rule computed it (with Equal Shares, what
   * each voter paid): the member's wallet shows from them how their share was spent.
   */
  log: GetBudgetBallotLogReturnType;
  outcomes: BudgetOutcome[];
  /** The on-chain phase name (budgetPhases) and the vote window, read with the log. */
  phase: (typeof budgetPhases)[number];
  voteStart: number;
  voteEnd: number;
  /** Compared with the recorded result (null: none recorded yet). */
  verdict: { matches: boolean; headMatches: boolean; onlyRecomputed: number[]; onlyRecorded: number[] } | null;
}

const indexesOf = (bitmap: bigint): number[] => {
  const out: number[] = [];
  for (let i = 0; bitmap >> BigInt(i) !== 0n; i++) if ((bitmap >> BigInt(i)) & 1n) out.push(i);
  return out;
};

/** Reads the round's ballot log from the chain with the SDK and recomputes its winners with the round's own rule. */
async function recompute(client: CityClient, deployment: CityDeployment, round: RoundJson): Promise<Recomputation> {
  const roundId = BigInt(round.id);
  const fromBlock = BigInt(deployment.contracts.ParticipatoryBudget?.blockNumber ?? 0);
  const toBlock = await client.publicClient.getBlockNumber();
  const [log, chainRound] = await Promise.all([
    client.budget.getBudgetBallotLog({ roundId, fromBlock, toBlock }),
    client.budget.getBudgetRound({ roundId, blockNumber: toBlock }),
  ]);
  const { winners, outcomes } = computeBudgetResult(log, round.winnerRule);
  const byIndex = new Map(log.projects.map((p) => [p.ballotIndex, p.projectId]));
  const projectIds = (bitmap: bigint) => indexesOf(bitmap).map((i) => byIndex.get(i) ?? -1);
  const verdict = round.result
    ? (() => {
        const recorded = BigInt(round.result.winners);
        return {
          matches: recorded === winners,
          headMatches: round.result.logHead.toLowerCase() === log.head.toLowerCase(),
          onlyRecomputed: projectIds(winners & ~recorded),
          onlyRecorded: projectIds(recorded & ~winners),
        };
      })()
    : null;
  return {
    ballots: log.entries.length,
    voters: log.lastBallots.size,
    head: log.head,
    winners,
    approvals: approvalsOf(log),
    selected: outcomes.map((o) => o.winners.map(Number)),
    log,
    outcomes,
    phase: budgetPhases[chainRound.phase] ?? "none",
    voteStart: Number(chainRound.config.voteStart),
    voteEnd: Number(chainRound.config.voteEnd),
    verdict,
  };
}

/** Approvals per project id from each voter's last ballot, across envelopes. */
function approvalsOf(log: GetBudgetBallotLogReturnType): Map<number, number> {
  const counts = new Map<number, number>();
  for (const election of log.elections)
    for (const voter of election.voters) for (const id of voter.approvals) counts.set(Number(id), (counts.get(Number(id)) ?? 0) + 1);
  return counts;
}

/**
 * The round recomputed in this browser, refreshed when the node's record of the round changes (a new ballot, a
 * result). Undefined `client`: the city publishes no chain access, nothing to recompute from.
 */
export function useRecomputation(round: RoundJson) {
  const city = useCity().data;
  return useQuery({
    queryKey: ["chain", "budget-recompute", round.id, round.ballots, round.result?.winners ?? null],
    enabled: city?.client !== undefined,
    staleTime: Infinity,
    retry: 1,
    queryFn: () => recompute(city!.client!, city!.deployment, round),
  });
}
