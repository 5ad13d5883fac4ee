/**
 * A member votes "yes" in a referendum without holding any ETH, then reads the live count (open mode) with the
 * turnout per college. Run with `npm start` running and a referendum open, e.g. created by the orchestrator:
 * `npx ts-node --transpile-only examples/vote.ts`.
 *
 *   BALLOT  the ballot id (default: the latest ballot)
 *   CHOICE  0 yes, 1 no, 2 blank (default 0)
 */
import { connect, run } from "./connect";

const OPTIONS = ["yes", "no", "blank"];

run(async () => {
  const city = connect();
  const ballotId = process.env.BALLOT ? BigInt(process.env.BALLOT) : await city.ballots.getBallotCount();
  if (ballotId === 0n) throw new Error("the city has no ballot yet: the orchestrator creates one with city.ballots.createBallot");
  const choice = BigInt(process.env.CHOICE ?? 0);
  const hash = await city.ballots.vote({ ballotId, choice, gasless: true, wait: true });
  console.log(`voted ${OPTIONS[Number(choice)]} in ballot ${ballotId} (transaction ${hash}, gas paid by the city's relayer)`);
  const results = await city.ballots.getResults({ ballotId });
  console.log(`live count: ${results.counts.map((n, i) => `${OPTIONS[i] ?? i} ${n}`).join(", ")}; turnout ${results.turnout}`);
  console.log(`turnout by college: ${results.byCollege.map((c, i) => `college ${i} ${c.turnout}`).join(", ")}`);
});
