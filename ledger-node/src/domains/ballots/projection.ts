/**
 * Ballots read model, from CityBallots' events alone: every referendum, consultation and petition with its
 * parameters (BallotCreated, PetitionRequested), each voter's last ballot (VoteCast, VoteCommitted, VoteRevealed,
 * PetitionSigned, with the college and district of their snapshot profile as the contract emitted them), petition
 * thresholds (PetitionThresholdReached), the member who opened a petition (PetitionOpened) and final results
 * (BallotFinalized; the per-district results of finalization pages, `BallotResultsPaged`, are not needed: the
 * projection counts each voter's last ballot itself).
 *
 * The live counts are derived from the voters (see {@link tallyOf}): per option, college and district, the number of
 * voters whose last counted choice includes the option, as the contract's counters hold them; sealed ballots count a
 * choice only once revealed and every commitment as turnout.
 */
import type { ProjectedEntry } from "../../types";
import { defineProjection } from "../../projections/projection";

export const BALLOT_KINDS = ["referendum", "consultation", "petition"] as const;
export type BallotKindName = (typeof BALLOT_KINDS)[number];

/** One voter's last ballot. Addresses lower-case. */
export interface BallotVoter {
  college: number;
  district: number;
  /** Open ballots: last choice; sealed: the revealed choice; petitions: 0 (signed). Undefined until counted. */
  choice?: bigint;
  /** Sealed ballots: the last commitment. */
  commitment?: string;
  /** Seq of the entry that cast the counted ballot (last vote, last commitment, signature). */
  castSeq: number;
  /** Seq of the reveal (sealed ballots). */
  revealSeq?: number;
}

export interface BallotResult {
  turnout: bigint;
  counted: bigint;
  quorumMet: boolean;
  counts: bigint[];
  seq: number;
}

export interface BallotRecord {
  id: bigint;
  kind: number;
  /** The petition that opened this referendum, or 0. */
  petitionId: bigint;
  sealed: boolean;
  binding: boolean;
  approval: boolean;
  optionCount: number;
  maxApprovals: number;
  collegeMask: number;
  flagBit: number;
  thresholdBps: number;
  opensAt: number;
  closesAt: number;
  revealWindow: number;
  districts: number[];
  questionHash: string;
  snapshot: number;
  electorate: bigint;
  /** Petitions: signatures needed. */
  needed: bigint;
  createdSeq: number;
  /** Petitions: the Governor proposal asked for (0: a referendum). */
  proposalId: bigint;
  reached: boolean;
  /** Petitions: the referendum opened at the threshold, or 0. */
  referendumId: bigint;
  /** Petitions opened by a member (`PetitionOpened`): that member; absent for those the city created. */
  openedBy?: string;
  voters: Map<string, BallotVoter>;
  result?: BallotResult;
}

export interface BallotsState {
  /** Ballots by decimal id. */
  ballots: Map<string, BallotRecord>;
}

function initial(): BallotsState {
  return { ballots: new Map() };
}

function voterOf(b: BallotRecord, voter: string, seq: number): BallotVoter {
  let v = b.voters.get(voter);
  if (!v) {
    v = { college: 0, district: 0, castSeq: seq };
    b.voters.set(voter, v);
  }
  return v;
}

function reduce(state: BallotsState, entry: ProjectedEntry): BallotsState {
  const e = entry.event;
  if (e.contract !== "CityBallots") return state;
  const ballot = (id: bigint) => state.ballots.get(id.toString());
  switch (e.name) {
    case "BallotCreated": {
      const { ballotId: id, params: p } = e.args;
      state.ballots.set(id.toString(), {
        id,
        kind: e.args.kind,
        petitionId: e.args.petitionId,
        sealed: p.sealed_,
        binding: p.binding,
        approval: p.approval,
        optionCount: p.optionCount,
        maxApprovals: p.maxApprovals,
        collegeMask: p.collegeMask,
        flagBit: p.flagBit,
        thresholdBps: p.thresholdBps,
        opensAt: p.opensAt,
        closesAt: p.closesAt,
        revealWindow: p.revealWindow,
        districts: [...p.districts],
        questionHash: p.questionHash.toLowerCase(),
        snapshot: e.args.snapshot,
        electorate: e.args.electorate,
        needed: e.args.needed,
        createdSeq: entry.seq,
        proposalId: 0n,
        reached: false,
        referendumId: 0n,
        voters: new Map(),
      });
      break;
    }
    case "PetitionRequested": {
      const b = ballot(e.args.petitionId);
      if (b) b.proposalId = e.args.proposalId;
      break;
    }
    case "PetitionOpened": {
      const b = ballot(e.args.petitionId);
      if (b) b.openedBy = e.args.member.toLowerCase();
      break;
    }
    case "VoteCast":
    case "VoteCommitted":
    case "PetitionSigned": {
      const b = ballot("ballotId" in e.args ? e.args.ballotId : e.args.petitionId);
      if (!b) break;
      const v = voterOf(b, e.args.voter.toLowerCase(), entry.seq);
      v.college = e.args.college;
      v.district = e.args.district;
      v.castSeq = entry.seq;
      if (e.name === "VoteCast") v.choice = e.args.choice;
      else if (e.name === "PetitionSigned") v.choice = 0n;
      else v.commitment = e.args.commitment.toLowerCase();
      break;
    }
    case "VoteRevealed": {
      const v = ballot(e.args.ballotId)?.voters.get(e.args.voter.toLowerCase());
      if (v) {
        v.choice = e.args.choice;
        v.revealSeq = entry.seq;
      }
      break;
    }
    case "PetitionThresholdReached": {
      const b = ballot(e.args.petitionId);
      if (b) {
        b.reached = true;
        b.referendumId = e.args.referendumId;
      }
      break;
    }
    case "BallotFinalized": {
      const b = ballot(e.args.ballotId);
      if (b) {
        const { turnout, counted, quorumMet, counts } = e.args;
        b.result = { turnout, counted, quorumMet, counts: [...counts], seq: entry.seq };
      }
      break;
    }
  }
  return state;
}

// ─── Tallies ─────────────────────────────────────────────────────────────────────────────────────────────────────

export interface TallyRow {
  counts: bigint[];
  turnout: bigint;
}

export interface Tally extends TallyRow {
  /** Choices counted (sealed: revealed; else the turnout). */
  counted: bigint;
  byCollege: Map<number, TallyRow>;
  byDistrict: Map<number, TallyRow>;
}

/** The options a choice counts for: an index (single choice, petitions) or a bitmap (approval). */
function optionsOf(b: BallotRecord, choice: bigint): number[] {
  if (!b.approval) return [Number(choice)];
  const out: number[] = [];
  for (let o = 0; o < b.optionCount; o++) if ((choice >> BigInt(o)) & 1n) out.push(o);
  return out;
}

/** Counts derived from the voters' last ballots, as the contract's counters hold them. */
export function tallyOf(b: BallotRecord): Tally {
  const row = (): TallyRow => ({ counts: new Array<bigint>(b.optionCount).fill(0n), turnout: 0n });
  const tally: Tally = { ...row(), counted: 0n, byCollege: new Map(), byDistrict: new Map() };
  for (const v of b.voters.values()) {
    let college = tally.byCollege.get(v.college);
    if (!college) tally.byCollege.set(v.college, (college = row()));
    let district = tally.byDistrict.get(v.district);
    if (!district) tally.byDistrict.set(v.district, (district = row()));
    for (const r of [tally, college, district]) r.turnout += 1n;
    if (v.choice === undefined) continue;
    tally.counted += 1n;
    for (const o of optionsOf(b, v.choice)) for (const r of [tally, college, district]) r.counts[o] += 1n;
  }
  return tally;
}

export const ballotsProjection = defineProjection<BallotsState>({ name: "ballots", initial, reduce });
