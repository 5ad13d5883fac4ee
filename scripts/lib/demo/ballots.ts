/**
 * The demo's ballots (CityBallots): a referendum voted and finalized days ago, then, open when the city is ready, a
 * consultation with live counts, a sealed referendum in its commit phase, a member's petition halfway to its
 * threshold and an approval consultation (approve up to two of five) no one has voted in yet. Questions and options are published off chain: the chain holds the hash of each ballot's text.
 */
import { id } from "ethers";
import type { Hex } from "viem";
import { toBallotParams, type BallotParameters } from "@cityledger/sdk";
import { READY, mined, type DemoContext } from "./context";
import { DAY, HOUR } from "./timeline";

/** A ballot as the demo made it, with the published text its `questionHash` is the hash of. */
export interface DemoBallot {
  id: bigint;
  question: string;
  options: readonly string[];
  opensAt: number;
  closesAt: number;
}

/** A sealed vote the demo committed: what its voter keeps to reveal it once the ballot closes. */
export interface DemoSealedVote {
  member: number;
  choice: bigint;
  salt: string;
}

export interface DemoBallots {
  /** Voted, closed and finalized: `counts` per option (yes, no, blank), then the turnout. */
  closedReferendum: DemoBallot & { counts: bigint[] };
  /** Open, single choice, counts live. */
  openConsultation: DemoBallot & { votes: number };
  /** Sealed, in its commit phase: commitments only until the reveal window. */
  sealedReferendum: DemoBallot & { revealWindow: number; votes: DemoSealedVote[] };
  /** A member's petition for a referendum, with half the signatures it needs. */
  petition: DemoBallot & { openedBy: number; signatures: number; needed: number };
  /** Open, approval of up to `maxApprovals` options, no vote yet (the wallet's approval ballot). */
  approvalConsultation: DemoBallot & { maxApprovals: number };
}

const REFERENDUM_OPTIONS = ["yes", "no", "blank"] as const;

const TEXTS = {
  closedReferendum: "Should the old town be closed to cars on Sundays?",
  openConsultation: "Where should the next covered bike park go?",
  sealedReferendum: "Should the city join the regional energy cooperative?",
  petition: "We ask for a referendum on free public transport for residents under 25.",
  petitionReferendum: "Should public transport be free for residents under 25?",
  approvalConsultation: "Which two streets should be planted with trees first?",
} as const;
const CONSULTATION_OPTIONS = ["the railway station", "the market square", "the town hall", "the library"] as const;
const APPROVAL_OPTIONS = ["rue de la Gare", "rue du Marché", "avenue Jean-Jaurès", "rue des Écoles", "quai de la Loire"] as const;
const MAX_APPROVALS = 2;

/** The text a ballot's `questionHash` commits to: the question, then its options, one a line. */
function questionHash(question: string, options: readonly string[]): Hex {
  return id([question, ...options].join("\n")) as Hex;
}

/** CityBallots' `BallotParams` from the SDK's parameters (typechain wants the districts as a mutable array). */
function paramsOf(p: BallotParameters) {
  return { ...toBallotParams(p), districts: [...(p.districts ?? [])] };
}

/** The salt demo member `member` sealed its vote on `ballotId` with (derived, so its vote can be revealed later). */
export function demoSealedSalt(ballotId: bigint, member: number): string {
  return id(`cityledger demo sealed vote ${ballotId} ${member}`);
}

/** Schedules the ballots; the returned function reads what was made, once played. */
export function scheduleBallots(ctx: DemoContext): () => Promise<DemoBallots> {
  const { city, timeline, actors, wallets } = ctx;
  const ballots = city.ballots;
  const t0 = timeline.t0;
  const orchestrator = ballots.connect(actors.orchestrator);
  const made: Partial<Record<keyof DemoBallots, { id: bigint; params: BallotParameters; options: readonly string[] }>> = {};
  const create = async (name: keyof DemoBallots, params: Omit<BallotParameters, "questionHash">, options: readonly string[], question: string) => {
    const full = { ...params, questionHash: questionHash(question, options) };
    await mined(orchestrator.createBallot(paramsOf(full)));
    made[name] = { id: await ballots.ballotCount(), params: full, options };
  };

  // Members 0..19 vote: six in ten yes, three no, one blank.
  const referendumVoters = ctx.members.slice(0, 20);
  timeline.at(t0, "ballots: a referendum is called", () =>
    create("closedReferendum", { kind: "referendum", binding: true, thresholdBps: 2_000, opensAt: t0 + HOUR, closesAt: t0 + 2 * DAY }, REFERENDUM_OPTIONS, TEXTS.closedReferendum),
  );
  timeline.at(t0 + 2 * HOUR, "ballots: members vote in the referendum", async () => {
    for (const m of referendumVoters) {
      const slot = m.index % 10;
      await mined(ballots.connect(wallets[m.index]).vote(made.closedReferendum!.id, slot < 6 ? 0n : slot < 9 ? 1n : 2n));
    }
  });
  timeline.at(t0 + 2 * DAY + HOUR, "ballots: the referendum's result", () => mined(ballots.finalize(made.closedReferendum!.id)));

  const opensAt = t0 + READY;
  const consultationVoters = ctx.members.slice(12, 20);
  const sealedVoters = ctx.members.slice(22, 28);
  // An association opens the petition and signs first; members 30 and up follow.
  const opener = ctx.members.find((m) => m.college === 3)!;
  const petitioners = [opener, ...ctx.members.slice(30).filter((m) => m !== opener)];
  const sealed: DemoSealedVote[] = [];
  timeline.at(t0 + READY - HOUR, "ballots: a consultation, a sealed referendum, a petition", async () => {
    await create("openConsultation", { kind: "consultation", optionCount: CONSULTATION_OPTIONS.length, opensAt, closesAt: opensAt + 7 * DAY }, CONSULTATION_OPTIONS, TEXTS.openConsultation);
    await create(
      "sealedReferendum",
      { kind: "referendum", sealed: true, binding: true, opensAt, closesAt: opensAt + 5 * DAY, revealWindow: 2 * DAY },
      REFERENDUM_OPTIONS,
      TEXTS.sealedReferendum,
    );
    // A member's petition: the whole city, a fifth of it to sign; reaching it opens a week-long referendum.
    const referendum = { kind: "referendum", opensAt: 0, closesAt: 7 * DAY, questionHash: questionHash(TEXTS.petitionReferendum, REFERENDUM_OPTIONS) } as const;
    const petition = { kind: "petition", thresholdBps: 2_000, opensAt, closesAt: opensAt + 21 * DAY, questionHash: questionHash(TEXTS.petition, ["sign"]) } as const;
    await mined(ballots.connect(wallets[opener.index]).openPetition(paramsOf(petition), { proposalId: 0n, referendum: paramsOf(referendum) }));
    made.petition = { id: await ballots.ballotCount(), params: petition, options: ["sign"] };
    // Last, so that the ids above stay as they were before it existed.
    await create(
      "approvalConsultation",
      { kind: "consultation", approval: true, optionCount: APPROVAL_OPTIONS.length, maxApprovals: MAX_APPROVALS, opensAt, closesAt: opensAt + 10 * DAY },
      APPROVAL_OPTIONS,
      TEXTS.approvalConsultation,
    );
  });
  timeline.at(t0 + READY, "ballots: members vote, commit and sign", async () => {
    for (const m of consultationVoters) {
      await mined(ballots.connect(wallets[m.index]).vote(made.openConsultation!.id, BigInt((m.index * 7) % CONSULTATION_OPTIONS.length)));
    }
    const sealedId = made.sealedReferendum!.id;
    for (const m of sealedVoters) {
      const vote = { member: m.index, choice: BigInt(m.index % 3), salt: demoSealedSalt(sealedId, m.index) };
      await mined(ballots.connect(wallets[m.index]).commit(sealedId, await ballots.hashCommitment(sealedId, m.address, vote.choice, vote.salt)));
      sealed.push(vote);
    }
    const needed = Number((await ballots.ballot(made.petition!.id))[1].needed);
    for (const m of petitioners.slice(0, Math.floor(needed / 2))) await mined(ballots.connect(wallets[m.index]).sign(made.petition!.id));
  });

  return async () => {
    const describe = (name: keyof DemoBallots): DemoBallot => {
      const { id: ballotId, params, options } = made[name]!;
      const question = name === "petition" ? TEXTS.petition : TEXTS[name];
      return { id: ballotId, question, options, opensAt: Number(params.opensAt), closesAt: Number(params.closesAt) };
    };
    const [totals] = await ballots.results(made.closedReferendum!.id);
    const [, tally] = await ballots.ballot(made.petition!.id);
    return {
      closedReferendum: { ...describe("closedReferendum"), counts: [...totals] },
      openConsultation: { ...describe("openConsultation"), votes: consultationVoters.length },
      sealedReferendum: { ...describe("sealedReferendum"), revealWindow: 2 * DAY, votes: sealed },
      petition: { ...describe("petition"), openedBy: opener.index, signatures: Number(tally.signatures), needed: Number(tally.needed) },
      approvalConsultation: { ...describe("approvalConsultation"), maxApprovals: MAX_APPROVALS },
    };
  };
}
