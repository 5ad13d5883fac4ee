/**
 * A member votes without holding any ETH, then reads the live count (open mode) with the turnout per college. By
 * default it votes in the city's latest open ballot with live counts — in `npm start`'s demo city, the consultation on
 * the next covered bike park (a referendum's options are yes, no and blank; a consultation's are numbered). Run with
 * `npm start` running: `npx ts-node --transpile-only examples/vote.ts`.
 *
 *   BALLOT  the ballot id (default: the latest open single-choice ballot that is neither sealed nor a petition)
 *   CHOICE  the option's index (default 0: "yes" in a referendum, the first option of a consultation)
 */
import { ballotKinds, type CityClient } from "@cityledger/sdk";
import { connect, run } from "./connect";

const REFERENDUM_OPTIONS = ["yes", "no", "blank"];
/** CityBallots' mode bits: a sealed (commit–reveal) ballot has no live count; an approval ballot takes a bitmap. */
const SEALED = 1;
const APPROVAL = 4;

/** The latest single-choice ballot members can vote in right now with an open count, or 0n if there is none. */
async function latestOpenBallot(city: CityClient): Promise<bigint> {
  for (let ballotId = await city.ballots.getBallotCount(); ballotId > 0n; ballotId--) {
    const { config } = await city.ballots.getBallot({ ballotId });
    if (config.kind === ballotKinds.petition || (config.mode & (SEALED | APPROVAL)) !== 0) continue;
    if ((await city.ballots.getBallotState({ ballotId })) === "open") return ballotId;
  }
  return 0n;
}

run(async () => {
  const city = connect();
  const ballotId = process.env.BALLOT ? BigInt(process.env.BALLOT) : await latestOpenBallot(city);
  if (ballotId === 0n) throw new Error("the city has no open ballot: the orchestrator creates one with city.ballots.createBallot");
  const { config } = await city.ballots.getBallot({ ballotId });
  const label = (option: number) => (config.kind === ballotKinds.referendum ? REFERENDUM_OPTIONS[option] : `option ${option}`);
  const choice = BigInt(process.env.CHOICE ?? 0);
  const hash = await city.ballots.vote({ ballotId, choice, gasless: true, wait: true });
  console.log(`voted ${label(Number(choice))} in ballot ${ballotId} (transaction ${hash}, gas paid by the city's relayer)`);
  const results = await city.ballots.getResults({ ballotId });
  console.log(`live count: ${results.counts.map((n, i) => `${label(i)} ${n}`).join(", ")}; turnout ${results.turnout}`);
  console.log(`turnout by college: ${results.byCollege.map((c, i) => `college ${i} ${c.turnout}`).join(", ")}`);
});
