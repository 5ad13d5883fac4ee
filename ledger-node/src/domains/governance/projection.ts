/**
 * Governance read model, from the events of CityGovernor, CitizensVeto and CityCharter alone: every charter version,
 * and every proposal with its calls, the charter it is counted under, its votes per college, its co-signers or
 * petition, its cancellation (reason), its queuing (timelock operation, weighted score), execution, and the citizens'
 * veto signatures.
 *
 * What depends on the clock (pending, active, defeated, succeeded, expired) is not state: the queries derive it from
 * `voteStart`/`voteEnd` and the recorded facts. Members at the snapshot (the quorums' base) are not in these events:
 * read them from the chain (the SDK's getCollegeResults does).
 */
import type { ProjectedEntry } from "../../types";
import type { ContractEvent } from "@cityledger/sdk/ledger";
import { defineProjection } from "../../projections/projection";

/** What the log says happened to a proposal, last fact wins (the clock-dependent states are derived). */
export type GovernanceStatus = "created" | "canceled" | "queued" | "executed" | "vetoed";

export interface CollegeVotes {
  forVotes: bigint;
  againstVotes: bigint;
  abstainVotes: bigint;
}

export interface GovernanceProposalRecord {
  id: bigint;
  proposer: string;
  targets: string[];
  values: bigint[];
  calldatas: string[];
  description: string;
  /** Unix seconds: the snapshot; the vote is open after it, until `voteEnd` included. */
  voteStart: number;
  voteEnd: number;
  charterVersion: number;
  constitutional: boolean;
  /** Votes by college. */
  colleges: Map<number, CollegeVotes>;
  cosigners: string[];
  petitionId: bigint | null;
  status: GovernanceStatus;
  canceledBy: string | null;
  cancelReason: string | null;
  operationId: string | null;
  /** Unix seconds from which the timelock lets it execute. */
  eta: number | null;
  /** Weighted result when queued, 1e18 = 100%. */
  scoreWad: bigint | null;
  vetoSigners: string[];
  vetoNeeded: number;
  createdSeq: number;
}

export interface CharterCollegeRecord {
  college: number;
  weightBps: number;
  quorumBps: number;
}

export interface CharterRecord {
  version: number;
  colleges: CharterCollegeRecord[];
  approvalThresholdBps: number;
  superMajorityBps: number;
  cosignShareBps: number;
  vetoCollege: number;
  vetoThresholdBps: number;
  seq: number;
}

export interface GovernanceState {
  /** Proposals by decimal id. */
  proposals: Map<string, GovernanceProposalRecord>;
  /** Proposals in creation order (derived). */
  _order: GovernanceProposalRecord[];
  /** Charters by version (as a decimal string). */
  charters: Map<string, CharterRecord>;
  /**
   * The charter's constitutional roles (`ConstitutionalRolesSet`): a bit mask as 0x-hex, bit i = role id i, and the
   * entry that set it; null before the charter's deployment.
   */
  constitutionalRoles: { roles: string; seq: number } | null;
  /** The calls the charter names constitutional (`ConstitutionalCallSet`), by `target:selector` (lower case). */
  constitutionalCalls: Map<string, { target: string; selector: string; seq: number }>;
}

function initial(): GovernanceState {
  return { proposals: new Map(), _order: [], charters: new Map(), constitutionalRoles: null, constitutionalCalls: new Map() };
}

function reduceGovernor(state: GovernanceState, e: ContractEvent<"CityGovernor">, seq: number): void {
  if (e.name === "ProposalCreated") {
    const a = e.args;
    const p: GovernanceProposalRecord = {
      id: a.proposalId,
      proposer: a.proposer.toLowerCase(),
      targets: a.targets.map((t) => t.toLowerCase()),
      values: [...a.values],
      calldatas: a.calldatas.map((d) => d.toLowerCase()),
      description: a.description,
      voteStart: Number(a.voteStart),
      voteEnd: Number(a.voteEnd),
      charterVersion: 0,
      constitutional: false,
      colleges: new Map(),
      cosigners: [],
      petitionId: null,
      status: "created",
      canceledBy: null,
      cancelReason: null,
      operationId: null,
      eta: null,
      scoreWad: null,
      vetoSigners: [],
      vetoNeeded: 0,
      createdSeq: seq,
    };
    state.proposals.set(p.id.toString(), p);
    state._order.push(p);
    return;
  }
  const p = "proposalId" in e.args ? state.proposals.get(e.args.proposalId.toString()) : undefined;
  if (!p) return;
  switch (e.name) {
    case "ProposalRules":
      p.charterVersion = e.args.charterVersion;
      p.constitutional = e.args.constitutional;
      break;
    case "ProposalCosigned":
      p.cosigners.push(e.args.cosigner.toLowerCase());
      break;
    case "ProposalPetitioned":
      p.petitionId = e.args.petitionId;
      break;
    case "CollegeVoteCast": {
      let votes = p.colleges.get(e.args.college);
      if (!votes) {
        votes = { forVotes: 0n, againstVotes: 0n, abstainVotes: 0n };
        p.colleges.set(e.args.college, votes);
      }
      if (e.args.support === 1) votes.forVotes += 1n;
      else if (e.args.support === 0) votes.againstVotes += 1n;
      else votes.abstainVotes += 1n;
      break;
    }
    case "ProposalCanceled":
      if (p.status !== "vetoed") p.status = "canceled";
      break;
    case "ProposalCancelledWithReason":
      p.canceledBy = e.args.by.toLowerCase();
      p.cancelReason = e.args.reason;
      break;
    case "ProposalQueued":
      p.status = "queued";
      p.eta = Number(e.args.etaSeconds);
      break;
    case "ProposalTallied":
      p.operationId = e.args.operationId.toLowerCase();
      p.scoreWad = e.args.scoreWad;
      break;
    case "ProposalExecuted":
      p.status = "executed";
      break;
  }
}

function reduce(state: GovernanceState, entry: ProjectedEntry): GovernanceState {
  const e = entry.event;
  if (e.contract === "CityGovernor") reduceGovernor(state, e, entry.seq);
  else if (e.contract === "CitizensVeto") {
    if (e.name === "VetoSigned") {
      const p = state.proposals.get(e.args.proposalId.toString());
      p?.vetoSigners.push(e.args.citizen.toLowerCase());
      if (p) p.vetoNeeded = Number(e.args.needed);
    } else if (e.name === "ProposalVetoed") {
      const p = state.proposals.get(e.args.proposalId.toString());
      if (p) p.status = "vetoed";
    }
  } else if (e.contract === "CityCharter") {
    switch (e.name) {
      case "CharterSet": {
        const c = e.args.charter;
        state.charters.set(String(e.args.version), {
          version: e.args.version,
          colleges: c.colleges.map(({ college, weightBps, quorumBps }) => ({ college, weightBps, quorumBps })),
          approvalThresholdBps: c.approvalThresholdBps,
          superMajorityBps: c.superMajorityBps,
          cosignShareBps: c.cosignShareBps,
          vetoCollege: c.vetoCollege,
          vetoThresholdBps: c.vetoThresholdBps,
          seq: entry.seq,
        });
        break;
      }
      case "ConstitutionalRolesSet":
        state.constitutionalRoles = { roles: `0x${e.args.roles.toString(16)}`, seq: entry.seq };
        break;
      case "ConstitutionalCallSet": {
        const target = e.args.target.toLowerCase();
        const selector = e.args.selector.toLowerCase();
        const key = `${target}:${selector}`;
        if (e.args.constitutional) state.constitutionalCalls.set(key, { target, selector, seq: entry.seq });
        else state.constitutionalCalls.delete(key);
        break;
      }
    }
  }
  return state;
}

/** The governance projection (name "governance"). */
export const governanceProjection = defineProjection<GovernanceState>({
  name: "governance",
  initial,
  reduce,
  rebuild(state) {
    state._order = [...state.proposals.values()].sort((a, b) => a.createdSeq - b.createdSeq);
  },
});
