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
import type { ProjectedEntry } from "../types";
import type { Projection } from "./projection";
import { asArray, asObject, mapToObject, optBig, toBig } from "./canonical";
import { addr, big, num } from "./fields";

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

const CONTRACT = "CityBallots";

function initial(): BallotsState {
  return { ballots: new Map() };
}

function ballotOf(state: BallotsState, entry: ProjectedEntry, key = "ballotId"): BallotRecord | undefined {
  return state.ballots.get(big(entry, key).toString());
}

/** A field of the BallotCreated tuple, which viem decodes into an object. */
function field(params: Record<string, unknown>, key: string): unknown {
  const v = params[key];
  if (v === undefined) throw new TypeError(`projections: CityBallots.BallotCreated params has no "${key}"`);
  return v;
}

function voterOf(b: BallotRecord, entry: ProjectedEntry): BallotVoter {
  const voter = addr(entry, "voter");
  let v = b.voters.get(voter);
  if (!v) {
    v = { college: 0, district: 0, castSeq: entry.seq };
    b.voters.set(voter, v);
  }
  return v;
}

function reduce(state: BallotsState, entry: ProjectedEntry): BallotsState {
  if (entry.event.contract !== CONTRACT) return state;
  switch (entry.event.name) {
    case "BallotCreated": {
      const id = big(entry, "ballotId");
      const p = entry.event.args.params as Record<string, unknown>;
      state.ballots.set(id.toString(), {
        id,
        kind: num(entry, "kind"),
        petitionId: big(entry, "petitionId"),
        sealed: field(p, "sealed_") as boolean,
        binding: field(p, "binding") as boolean,
        approval: field(p, "approval") as boolean,
        optionCount: Number(field(p, "optionCount")),
        maxApprovals: Number(field(p, "maxApprovals")),
        collegeMask: Number(field(p, "collegeMask")),
        flagBit: Number(field(p, "flagBit")),
        thresholdBps: Number(field(p, "thresholdBps")),
        opensAt: Number(field(p, "opensAt")),
        closesAt: Number(field(p, "closesAt")),
        revealWindow: Number(field(p, "revealWindow")),
        districts: (field(p, "districts") as readonly (number | bigint)[]).map(Number),
        questionHash: (field(p, "questionHash") as string).toLowerCase(),
        snapshot: num(entry, "snapshot"),
        electorate: big(entry, "electorate"),
        needed: big(entry, "needed"),
        createdSeq: entry.seq,
        proposalId: 0n,
        reached: false,
        referendumId: 0n,
        voters: new Map(),
      });
      break;
    }
    case "PetitionRequested": {
      const b = ballotOf(state, entry, "petitionId");
      if (b) b.proposalId = big(entry, "proposalId");
      break;
    }
    case "PetitionOpened": {
      const b = ballotOf(state, entry, "petitionId");
      if (b) b.openedBy = addr(entry, "member");
      break;
    }
    case "VoteCast": {
      const b = ballotOf(state, entry);
      if (!b) break;
      const v = voterOf(b, entry);
      v.college = num(entry, "college");
      v.district = num(entry, "district");
      v.choice = big(entry, "choice");
      v.castSeq = entry.seq;
      break;
    }
    case "VoteCommitted": {
      const b = ballotOf(state, entry);
      if (!b) break;
      const v = voterOf(b, entry);
      v.college = num(entry, "college");
      v.district = num(entry, "district");
      v.commitment = (entry.event.args.commitment as string).toLowerCase();
      v.castSeq = entry.seq;
      break;
    }
    case "VoteRevealed": {
      const b = ballotOf(state, entry);
      const v = b?.voters.get(addr(entry, "voter"));
      if (v) {
        v.choice = big(entry, "choice");
        v.revealSeq = entry.seq;
      }
      break;
    }
    case "PetitionSigned": {
      const b = ballotOf(state, entry, "petitionId");
      if (!b) break;
      const v = voterOf(b, entry);
      v.college = num(entry, "college");
      v.district = num(entry, "district");
      v.choice = 0n;
      v.castSeq = entry.seq;
      break;
    }
    case "PetitionThresholdReached": {
      const b = ballotOf(state, entry, "petitionId");
      if (b) {
        b.reached = true;
        b.referendumId = big(entry, "referendumId");
      }
      break;
    }
    case "BallotFinalized": {
      const b = ballotOf(state, entry);
      if (b) {
        b.result = {
          turnout: big(entry, "turnout"),
          counted: big(entry, "counted"),
          quorumMet: entry.event.args.quorumMet as boolean,
          counts: (entry.event.args.counts as readonly bigint[]).map((c) => BigInt(c)),
          seq: entry.seq,
        };
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

// ─── Canonical encoding ──────────────────────────────────────────────────────────────────────────────────────────

function encode(state: BallotsState): unknown {
  return {
    ballots: mapToObject(state.ballots, (b) => ({
      kind: b.kind,
      petitionId: b.petitionId,
      sealed: b.sealed,
      binding: b.binding,
      approval: b.approval,
      optionCount: b.optionCount,
      maxApprovals: b.maxApprovals,
      collegeMask: b.collegeMask,
      flagBit: b.flagBit,
      thresholdBps: b.thresholdBps,
      opensAt: b.opensAt,
      closesAt: b.closesAt,
      revealWindow: b.revealWindow,
      districts: b.districts,
      questionHash: b.questionHash,
      snapshot: b.snapshot,
      electorate: b.electorate,
      needed: b.needed,
      createdSeq: b.createdSeq,
      proposalId: b.proposalId,
      reached: b.reached,
      referendumId: b.referendumId,
      openedBy: b.openedBy ?? null,
      /** Tuples: [college, district, choice | null, commitment | null, castSeq, revealSeq | null]. */
      voters: mapToObject(b.voters, (v) => [v.college, v.district, v.choice ?? null, v.commitment ?? null, v.castSeq, v.revealSeq ?? null]),
      result: b.result ? { ...b.result } : null,
    })),
  };
}

function decode(json: unknown): BallotsState {
  const o = asObject(json, "ballots");
  const state = initial();
  for (const [id, raw] of Object.entries(asObject(o.ballots, "ballots"))) {
    const b = asObject(raw, `ballot ${id}`);
    const voters = new Map<string, BallotVoter>();
    for (const [voter, t] of Object.entries(asObject(b.voters, "voters"))) {
      const [college, district, choice, commitment, castSeq, revealSeq] = asArray(t, "voter") as [number, number, unknown, string | null, number, number | null];
      const v: BallotVoter = { college, district, castSeq };
      const c = optBig(choice ?? undefined, "choice");
      if (c !== undefined) v.choice = c;
      if (commitment !== null) v.commitment = commitment;
      if (revealSeq !== null) v.revealSeq = revealSeq;
      voters.set(voter, v);
    }
    const r = b.result === null ? undefined : asObject(b.result, "result");
    const record: BallotRecord = {
      id: BigInt(id),
      kind: b.kind as number,
      petitionId: toBig(b.petitionId, "petitionId"),
      sealed: b.sealed as boolean,
      binding: b.binding as boolean,
      approval: b.approval as boolean,
      optionCount: b.optionCount as number,
      maxApprovals: b.maxApprovals as number,
      collegeMask: b.collegeMask as number,
      flagBit: b.flagBit as number,
      thresholdBps: b.thresholdBps as number,
      opensAt: b.opensAt as number,
      closesAt: b.closesAt as number,
      revealWindow: b.revealWindow as number,
      districts: asArray(b.districts, "districts") as number[],
      questionHash: b.questionHash as string,
      snapshot: b.snapshot as number,
      electorate: toBig(b.electorate, "electorate"),
      needed: toBig(b.needed, "needed"),
      createdSeq: b.createdSeq as number,
      proposalId: toBig(b.proposalId, "proposalId"),
      reached: b.reached as boolean,
      referendumId: toBig(b.referendumId, "referendumId"),
      voters,
    };
    if (typeof b.openedBy === "string") record.openedBy = b.openedBy;
    if (r) {
      record.result = {
        turnout: toBig(r.turnout, "turnout"),
        counted: toBig(r.counted, "counted"),
        quorumMet: r.quorumMet as boolean,
        counts: asArray(r.counts, "counts").map((c) => toBig(c, "count")),
        seq: r.seq as number,
      };
    }
    state.ballots.set(id, record);
  }
  return state;
}

export const ballotsProjection: Projection<BallotsState> = { name: "ballots", initial, reduce, encode, decode };
