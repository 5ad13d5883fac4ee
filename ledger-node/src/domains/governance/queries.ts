/**
 * Typed reads of the governance projection (conventions: projections/reads.ts). A proposal's per-college results are its votes by college laid over
 * the colleges of the charter it is counted under; its weighted score is recomputed from them with the contract's
 * rounding (Σ ⌊weight × 1e32 × for / (for + against)⌋, then / 1e18), so it equals CityGovernor.weightedResult.
 */
import type { Address, Hex } from "viem";
import type { DomainRead } from "../domain";
import { paged, type Page, type PageRequest } from "../../projections/reads";
import type { CharterRecord, GovernanceProposalRecord, GovernanceState, GovernanceStatus } from "./projection";

export interface GovernanceCollegeView {
  college: number;
  weightBps: number;
  quorumBps: number;
  forVotes: bigint;
  againstVotes: bigint;
  abstainVotes: bigint;
}

export interface GovernanceVetoView {
  college: number;
  signatures: number;
  /** Signatures that cancel it (known from the first veto signature; 0 before). */
  needed: number;
  signers: Address[];
}

export interface GovernanceProposalView {
  id: bigint;
  proposer: Address;
  targets: Address[];
  values: bigint[];
  calldatas: Hex[];
  description: string;
  voteStart: number;
  voteEnd: number;
  charterVersion: number;
  constitutional: boolean;
  status: GovernanceStatus;
  cosigners: Address[];
  petitionId: bigint | null;
  canceledBy: Address | null;
  cancelReason: string | null;
  operationId: Hex | null;
  eta: number | null;
  /** Weighted result from the votes so far, 1e18 = 100%. */
  scoreWad: bigint;
  /** The threshold it must exceed, basis points (super-majority when constitutional). */
  thresholdBps: number;
  colleges: GovernanceCollegeView[];
  veto: GovernanceVetoView;
  createdSeq: number;
}

export type GovernanceCharterView = CharterRecord;

const PER_BPS = 10n ** 32n;

export type GovernanceQueries = ReturnType<typeof governanceQueries>;

export function governanceQueries({ state, cs }: DomainRead<GovernanceState>) {

  const proposalView = (p: GovernanceProposalRecord): GovernanceProposalView => {
    const charter = state().charters.get(String(p.charterVersion));
    let score = 0n;
    const colleges = (charter?.colleges ?? []).map((rule): GovernanceCollegeView => {
      const v = p.colleges.get(rule.college) ?? { forVotes: 0n, againstVotes: 0n, abstainVotes: 0n };
      const decided = v.forVotes + v.againstVotes;
      if (decided > 0n) score += (BigInt(rule.weightBps) * PER_BPS * v.forVotes) / decided;
      return { college: rule.college, weightBps: rule.weightBps, quorumBps: rule.quorumBps, ...v };
    });
    return {
      id: p.id,
      proposer: cs(p.proposer),
      targets: p.targets.map(cs),
      values: [...p.values],
      calldatas: p.calldatas as Hex[],
      description: p.description,
      voteStart: p.voteStart,
      voteEnd: p.voteEnd,
      charterVersion: p.charterVersion,
      constitutional: p.constitutional,
      status: p.status,
      cosigners: p.cosigners.map(cs),
      petitionId: p.petitionId,
      canceledBy: p.canceledBy === null ? null : cs(p.canceledBy),
      cancelReason: p.cancelReason,
      operationId: p.operationId as Hex | null,
      eta: p.eta,
      scoreWad: score / 10n ** 18n,
      thresholdBps: charter ? (p.constitutional ? charter.superMajorityBps : charter.approvalThresholdBps) : 0,
      colleges,
      veto: { college: charter?.vetoCollege ?? 0, signatures: p.vetoSigners.length, needed: p.vetoNeeded, signers: p.vetoSigners.map(cs) },
      createdSeq: p.createdSeq,
    };
  };

  const charterView = (c: CharterRecord): GovernanceCharterView => ({ ...c, colleges: c.colleges.map((r) => ({ ...r })) });

  return {
    /** A proposal with its per-college results and veto progress, or undefined. */
    proposal(id: bigint): GovernanceProposalView | undefined {
      const p = state().proposals.get(id.toString());
      return p && proposalView(p);
    },
    /** Proposals, newest first by default, optionally with one status. */
    proposals(query: PageRequest & { status?: GovernanceStatus } = {}): Page<GovernanceProposalView> {
      let list: readonly GovernanceProposalRecord[] = state()._order;
      if (query.status !== undefined) list = list.filter((p) => p.status === query.status);
      return paged(list, query, proposalView);
    },
    /** Charter `version` as set, or undefined. */
    charter(version: number): GovernanceCharterView | undefined {
      const c = state().charters.get(String(version));
      return c && charterView(c);
    },
    /** Every charter version, oldest first: the last one is in force (CityCharter counts new proposals under it). */
    charters(): GovernanceCharterView[] {
      return [...state().charters.values()].sort((a, b) => a.version - b.version).map(charterView);
    },
    /**
     * The role ids (below 256) whose grant or revocation needs the super-majority now, ascending; ADMIN (0) and ids
     * of 256 and above always do. Undefined before the charter's deployment.
     */
    constitutionalCalls(): { target: Address; selector: string }[] {
      return [...state().constitutionalCalls.values()]
        .sort((a, b) => a.seq - b.seq)
        .map((c) => ({ target: cs(c.target), selector: c.selector }));
    },
    constitutionalRoles(): number[] | undefined {
      const set = state().constitutionalRoles;
      if (!set) return undefined;
      const mask = BigInt(set.roles);
      return Array.from({ length: 256 }, (_, i) => i).filter((i) => i === 0 || ((mask >> BigInt(i)) & 1n) === 1n);
    },
  };
}
