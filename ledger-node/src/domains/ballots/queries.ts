/**
 * Typed reads of the ballots projection (conventions: projections/reads.ts). Results are derived from each voter's last ballot, the way
 * CityBallots' counters hold them; a finalized ballot also carries the result its BallotFinalized event published.
 */
import type { Address, Hex } from "viem";
import type { DomainRead } from "../domain";
import { paged, type Page, type PageRequest } from "../../projections/reads";
import { BALLOT_KINDS, tallyOf, type BallotKindName, type BallotRecord, type BallotsState, type TallyRow } from "./projection";

export interface BallotRowView {
  counts: bigint[];
  turnout: bigint;
}

export interface BallotResultsView extends BallotRowView {
  /** Choices counted (sealed ballots: revealed ones; else the turnout). */
  counted: bigint;
  /** Turnout quorum (referendums, consultations) or threshold (petitions) met, as things stand. */
  quorumMet: boolean;
  byCollege: (BallotRowView & { college: number })[];
  byDistrict: (BallotRowView & { district: number })[];
}

export interface BallotFinalView extends BallotRowView {
  counted: bigint;
  quorumMet: boolean;
  /** Seq of the BallotFinalized entry. */
  seq: number;
}

/** A ballot as the projection records it (voters aside), with its results. */
export type BallotView = Omit<BallotRecord, "kind" | "questionHash" | "voters" | "result" | "openedBy"> & {
  kind: BallotKindName;
  /** Petitions opened by a member: that member; null for ballots the city created. */
  openedBy: Address | null;
  questionHash: Hex;
  results: BallotResultsView;
  /** The published result, once finalized. */
  final: BallotFinalView | null;
};

export interface BallotTurnoutView {
  ballotId: bigint;
  electorate: bigint;
  turnout: bigint;
  counted: bigint;
  byCollege: { college: number; turnout: bigint }[];
  byDistrict: { district: number; turnout: bigint }[];
}

/** What the projection knows of one voter's ballot: the entries to prove (see GET /v1/ballots/:id/receipts/:voter). */
export interface BallotReceiptView {
  ballotId: bigint;
  voter: Address;
  college: number;
  district: number;
  /** The counted choice (sealed: once revealed), or null. */
  choice: bigint | null;
  commitment: Hex | null;
  /** Seq of the entry that cast the ballot that counts (last vote, last commitment, signature). */
  castSeq: number;
  revealSeq: number | null;
}

/** A sealed ballot's commitment: public from the moment it is cast, its choice hidden until revealed. */
export interface BallotCommitmentView {
  voter: Address;
  college: number;
  district: number;
  commitment: Hex;
  /** Seq of the VoteCommitted entry (the voter's last commitment). */
  seq: number;
  /** Whether the voter revealed it (the choice is in the results then). */
  revealed: boolean;
}

export type BallotsQueries = ReturnType<typeof ballotsQueries>;

export function ballotsQueries({ state, cs }: DomainRead<BallotsState>) {
  const sorted = <T>(m: Map<number, T>) => [...m.entries()].sort((a, b) => a[0] - b[0]);
  const row = (r: TallyRow): BallotRowView => ({ counts: [...r.counts], turnout: r.turnout });

  const ballotView = (b: BallotRecord): BallotView => {
    const t = tallyOf(b);
    const quorumMet =
      b.kind === 2 ? b.reached : t.turnout * 10_000n >= BigInt(b.thresholdBps) * b.electorate;
    const { voters: _voters, result, openedBy, ...fields } = b;
    return {
      ...fields,
      openedBy: openedBy === undefined ? null : cs(openedBy),
      kind: BALLOT_KINDS[b.kind] ?? "referendum",
      districts: [...b.districts],
      questionHash: b.questionHash as Hex,
      results: {
        ...row(t),
        counted: t.counted,
        quorumMet,
        byCollege: sorted(t.byCollege).map(([college, r]) => ({ college, ...row(r) })),
        byDistrict: sorted(t.byDistrict).map(([district, r]) => ({ district, ...row(r) })),
      },
      final: result ? { ...result, counts: [...result.counts] } : null,
    };
  };

  return {
    /** A ballot with its live (and, once finalized, published) results, or undefined. */
    ballot(id: bigint): BallotView | undefined {
      const b = state().ballots.get(id.toString());
      return b ? ballotView(b) : undefined;
    },
    /** Ballots, newest first by default, optionally of one kind. */
    ballots(query: PageRequest & { kind?: BallotKindName } = {}): Page<BallotView> {
      const all = [...state().ballots.values()].sort((a, b) => a.createdSeq - b.createdSeq);
      const kind = query.kind === undefined ? undefined : BALLOT_KINDS.indexOf(query.kind);
      return paged(kind === undefined ? all : all.filter((b) => b.kind === kind), query, ballotView);
    },
    /** Turnout of a ballot by college and district, or undefined. */
    turnout(id: bigint): BallotTurnoutView | undefined {
      const b = state().ballots.get(id.toString());
      if (!b) return undefined;
      const t = tallyOf(b);
      return {
        ballotId: b.id,
        electorate: b.electorate,
        turnout: t.turnout,
        counted: t.counted,
        byCollege: sorted(t.byCollege).map(([college, r]) => ({ college, turnout: r.turnout })),
        byDistrict: sorted(t.byDistrict).map(([district, r]) => ({ district, turnout: r.turnout })),
      };
    },
    /**
     * A sealed ballot's commitments in the order they were cast (each voter's last), newest first by default, so
     * anyone can see that theirs is counted while the choices stay hidden; undefined if no such ballot.
     */
    commitments(id: bigint, page?: PageRequest): Page<BallotCommitmentView> | undefined {
      const b = state().ballots.get(id.toString());
      if (!b) return undefined;
      const sealed = [...b.voters.entries()].filter(([, v]) => v.commitment !== undefined).sort((x, y) => x[1].castSeq - y[1].castSeq);
      return paged(sealed, page, ([voter, v]) => ({
        voter: cs(voter),
        college: v.college,
        district: v.district,
        commitment: v.commitment as Hex,
        seq: v.castSeq,
        revealed: v.revealSeq !== undefined,
      }));
    },
    /** A voter's receipt on a ballot, or undefined if the ballot or their ballot is unknown. */
    receipt(id: bigint, voter: string): BallotReceiptView | undefined {
      const v = state().ballots.get(id.toString())?.voters.get(voter.toLowerCase());
      if (!v) return undefined;
      return {
        ballotId: id,
        voter: cs(voter.toLowerCase()),
        college: v.college,
        district: v.district,
        choice: v.choice ?? null,
        commitment: (v.commitment as Hex | undefined) ?? null,
        castSeq: v.castSeq,
        revealSeq: v.revealSeq ?? null,
      };
    },
  };
}
