/**
 * A member votes in the participatory budget without holding any ETH: a knapsack ballot for the cheapest city-wide
 * project of the round open for votes (in `npm start`'s demo city, the one with projects in every district), relayed by
 * the ledger node; then the ballot log is read back from the chain, as anyone recomputing the result would.
 * Run with `npm start` running: `npx ts-node --transpile-only examples/budget-vote.ts`.
 *
 *   ROUND  the round id (default: the latest round open for votes with knapsack ballots)
 */
import { budgetBallotRules, budgetPhases, budgetSelection, formatCity, type CityClient } from "@cityledger/sdk";
import { connect, run } from "./connect";

/** The latest round in its vote phase with knapsack ballots (an approval round counts projects, not euros), or 0n. */
async function latestVotingRound(city: CityClient): Promise<bigint> {
  for (let roundId = await city.budget.getBudgetRoundCount(); roundId > 0n; roundId--) {
    const { phase, config } = await city.budget.getBudgetRound({ roundId });
    if (budgetPhases[phase] === "vote" && config.ballotRule === budgetBallotRules.knapsack) return roundId;
  }
  return 0n;
}

run(async () => {
  const city = connect();
  const roundId = process.env.ROUND ? BigInt(process.env.ROUND) : await latestVotingRound(city);
  if (roundId === 0n) throw new Error("no participatory-budget round is open for votes: the orchestrator creates one with city.budget.createRound");
  const before = await city.budget.getBudgetBallotLog({ roundId });
  const cityWide = before.projects.filter((p) => p.envelope === 0).sort((a, b) => (a.cost < b.cost ? -1 : a.cost > b.cost ? 1 : 0));
  if (cityWide.length === 0) throw new Error(`round ${roundId} has no city-wide project on its ballot`);
  const choice = cityWide[0];
  const hash = await city.budget.castBudgetBallot({ roundId, selection: budgetSelection([choice.ballotIndex]), gasless: true, wait: true });
  console.log(`voted in budget round ${roundId} for project ${choice.projectId} (€${formatCity(choice.cost)}, city-wide) in transaction ${hash}, gas paid by the city's relayer`);
  // Read up to the ballot's own block: the client caches the latest block number for a few seconds.
  const { blockNumber } = await city.publicClient.getTransactionReceipt({ hash });
  const after = await city.budget.getBudgetBallotLog({ roundId, toBlock: blockNumber });
  console.log(`ballot log: ${after.entries.length} ballots, head ${after.head}`);
});
