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
import type { ProjectedEntry } from "../types";
import type { Projection } from "./projection";
import { asArray, asObject, mapToObject, toBig } from "./canonical";
import { addr, addrs, big, hex, num, str } from "./fields";

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
  order: GovernanceProposalRecord[];
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
  return { proposals: new Map(), order: [], charters: new Map(), constitutionalRoles: null, constitutionalCalls: new Map() };
}

function proposal(state: GovernanceState, entry: ProjectedEntry): GovernanceProposalRecord | undefined {
  return state.proposals.get(big(entry, "proposalId").toString());
}

function small(value: unknown): number {
  return typeof value === "bigint" ? Number(value) : (value as number);
}

function charterOf(entry: ProjectedEntry): CharterRecord {
  const c = entry.event.args.charter as Record<string, unknown>;
  return {
    version: num(entry, "version"),
    colleges: (c.colleges as Record<string, unknown>[]).map((r) => ({
      college: small(r.college),
      weightBps: small(r.weightBps),
      quorumBps: small(r.quorumBps),
    })),
    approvalThresholdBps: small(c.approvalThresholdBps),
    superMajorityBps: small(c.superMajorityBps),
    cosignShareBps: small(c.cosignShareBps),
    vetoCollege: small(c.vetoCollege),
    vetoThresholdBps: small(c.vetoThresholdBps),
    seq: entry.seq,
  };
}

function reduceGovernor(state: GovernanceState, entry: ProjectedEntry): void {
  switch (entry.event.name) {
    case "ProposalCreated": {
      const p: GovernanceProposalRecord = {
        id: big(entry, "proposalId"),
        proposer: addr(entry, "proposer"),
        targets: addrs(entry, "targets"),
        values: (entry.event.args.values as (bigint | number)[]).map((v) => BigInt(v)),
        calldatas: (entry.event.args.calldatas as string[]).map((d) => d.toLowerCase()),
        description: str(entry, "description"),
        voteStart: num(entry, "voteStart"),
        voteEnd: num(entry, "voteEnd"),
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
        createdSeq: entry.seq,
      };
      state.proposals.set(p.id.toString(), p);
      state.order.push(p);
      break;
    }
    case "ProposalRules": {
      const p = proposal(state, entry);
      if (p) {
        p.charterVersion = num(entry, "charterVersion");
        p.constitutional = entry.event.args.constitutional === true;
      }
      break;
    }
    case "ProposalCosigned":
      proposal(state, entry)?.cosigners.push(addr(entry, "cosigner"));
      break;
    case "ProposalPetitioned": {
      const p = proposal(state, entry);
      if (p) p.petitionId = big(entry, "petitionId");
      break;
    }
    case "CollegeVoteCast": {
      const p = proposal(state, entry);
      if (!p) break;
      const college = num(entry, "college");
      let votes = p.colleges.get(college);
      if (!votes) {
        votes = { forVotes: 0n, againstVotes: 0n, abstainVotes: 0n };
        p.colleges.set(college, votes);
      }
      const support = num(entry, "support");
      if (support === 1) votes.forVotes += 1n;
      else if (support === 0) votes.againstVotes += 1n;
      else votes.abstainVotes += 1n;
      break;
    }
    case "ProposalCanceled": {
      const p = proposal(state, entry);
      if (p && p.status !== "vetoed") p.status = "canceled";
      break;
    }
    case "ProposalCancelledWithReason": {
      const p = proposal(state, entry);
      if (p) {
        p.canceledBy = addr(entry, "by");
        p.cancelReason = str(entry, "reason");
      }
      break;
    }
    case "ProposalQueued": {
      const p = proposal(state, entry);
      if (p) {
        p.status = "queued";
        p.eta = num(entry, "etaSeconds");
      }
      break;
    }
    case "ProposalTallied": {
      const p = proposal(state, entry);
      if (p) {
        p.operationId = hex(entry, "operationId");
        p.scoreWad = big(entry, "scoreWad");
      }
      break;
    }
    case "ProposalExecuted": {
      const p = proposal(state, entry);
      if (p) p.status = "executed";
      break;
    }
  }
}

function reduce(state: GovernanceState, entry: ProjectedEntry): GovernanceState {
  const { contract, name } = entry.event;
  if (contract === "CityGovernor") reduceGovernor(state, entry);
  else if (contract === "CitizensVeto") {
    const p = name === "VetoSigned" || name === "ProposalVetoed" ? proposal(state, entry) : undefined;
    if (p && name === "VetoSigned") {
      p.vetoSigners.push(addr(entry, "citizen"));
      p.vetoNeeded = num(entry, "needed");
    } else if (p && name === "ProposalVetoed") p.status = "vetoed";
  } else if (contract === "CityCharter" && name === "CharterSet") {
    const c = charterOf(entry);
    state.charters.set(String(c.version), c);
  } else if (contract === "CityCharter" && name === "ConstitutionalRolesSet") {
    state.constitutionalRoles = { roles: `0x${big(entry, "roles").toString(16)}`, seq: entry.seq };
  } else if (contract === "CityCharter" && name === "ConstitutionalCallSet") {
    const target = addr(entry, "target");
    const selector = String(entry.event.args.selector).toLowerCase();
    const key = `${target}:${selector}`;
    if (entry.event.args.constitutional === true) state.constitutionalCalls.set(key, { target, selector, seq: entry.seq });
    else state.constitutionalCalls.delete(key);
  }
  return state;
}

function encode(state: GovernanceState): unknown {
  return {
    charters: mapToObject(state.charters, (c) => c),
    constitutionalRoles: state.constitutionalRoles,
    constitutionalCalls: mapToObject(state.constitutionalCalls, (c) => c),
    proposals: mapToObject(state.proposals, (p) => ({
      ...p,
      colleges: Object.fromEntries([...p.colleges].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v])),
    })),
  };
}

function decode(json: unknown): GovernanceState {
  const o = asObject(json, "governance");
  const state = initial();
  for (const [version, raw] of Object.entries(asObject(o.charters, "charters"))) {
    state.charters.set(version, raw as CharterRecord);
  }
  state.constitutionalRoles = (o.constitutionalRoles as GovernanceState["constitutionalRoles"] | undefined) ?? null;
  for (const [key, raw] of Object.entries(asObject(o.constitutionalCalls ?? {}, "constitutionalCalls"))) {
    state.constitutionalCalls.set(key, raw as { target: string; selector: string; seq: number });
  }
  for (const [id, raw] of Object.entries(asObject(o.proposals, "proposals"))) {
    const p = asObject(raw, `proposal ${id}`);
    const colleges = new Map<number, CollegeVotes>();
    for (const [k, v] of Object.entries(asObject(p.colleges, "colleges"))) {
      const c = asObject(v, `college ${k}`);
      colleges.set(Number(k), {
        forVotes: toBig(c.forVotes, "forVotes"),
        againstVotes: toBig(c.againstVotes, "againstVotes"),
        abstainVotes: toBig(c.abstainVotes, "abstainVotes"),
      });
    }
    const rec: GovernanceProposalRecord = {
      ...(p as unknown as GovernanceProposalRecord),
      id: BigInt(id),
      values: asArray(p.values, "values").map((v) => toBig(v, "value")),
      colleges,
      petitionId: p.petitionId === null || p.petitionId === undefined ? null : toBig(p.petitionId, "petitionId"),
      scoreWad: p.scoreWad === null || p.scoreWad === undefined ? null : toBig(p.scoreWad, "scoreWad"),
    };
    state.proposals.set(id, rec);
  }
  state.order = [...state.proposals.values()].sort((a, b) => a.createdSeq - b.createdSeq);
  return state;
}

/** The governance projection (name "governance"). */
export const governanceProjection: Projection<GovernanceState> = { name: "governance", initial, reduce, encode, decode };
