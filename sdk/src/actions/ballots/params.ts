import { zeroHash, type Hex } from "viem";

/** The kinds of ballot, by name, as CityBallots numbers them. */
export const ballotKinds = { referendum: 0, consultation: 1, petition: 2 } as const;

/** @example `const kind: BallotKind = "referendum";` */
export type BallotKind = keyof typeof ballotKinds;

/** `ICityBallots.BallotState` by code: where a ballot stands. */
export const ballotStates = ["none", "pending", "open", "revealing", "closed", "finalized"] as const;

/** @example `const state: BallotState = "open";` */
export type BallotState = (typeof ballotStates)[number];

/** Referendum options. */
export const referendumOptions = { yes: 0n, no: 1n, blank: 2n } as const;

/**
 * A ballot as the SDK takes it; {@link toBallotParams} fills the defaults CityBallots expects.
 *
 * @example
 * ```ts
 * const params: BallotParameters = { kind: "consultation", optionCount: 5, approval: true, maxApprovals: 2, opensAt, closesAt, questionHash };
 * ```
 */
export interface BallotParameters {
  kind: BallotKind;
  /** Commit–reveal (default false); needs `revealWindow`. */
  sealed?: boolean | undefined;
  /** Binding rather than advisory (default false). */
  binding?: boolean | undefined;
  /** Consultations: approve up to `maxApprovals` options (default false: single choice). */
  approval?: boolean | undefined;
  /** Consultations: 2 to 64 (referendums: 3, petitions: 1, set by the contract). */
  optionCount?: number | undefined;
  maxApprovals?: number | undefined;
  /** Colleges in the electorate, bit i = college i (default: all 16). */
  collegeMask?: number | undefined;
  /** 0 (default) for no flag, else 1 + the flag's bit. */
  flagBit?: number | undefined;
  /** Referendum quorum of turnout, or petition threshold, in basis points of the electorate (default 0). */
  thresholdBps?: number | undefined;
  /** Unix seconds (a petition's referendum: 0). */
  opensAt: number | bigint;
  /** Unix seconds (a petition's referendum: its duration in seconds). */
  closesAt: number | bigint;
  /** Sealed ballots: seconds of the reveal window after close. */
  revealWindow?: number | undefined;
  /** Districts of the electorate (default: the whole city). */
  districts?: readonly number[] | undefined;
  /** Hash of the published question and options. */
  questionHash: Hex;
}

/** The empty referendum of a petition that asks for a Governor proposal. @internal */
export const NO_REFERENDUM: BallotParameters = { kind: "referendum", collegeMask: 0, opensAt: 0, closesAt: 0, questionHash: zeroHash };

/**
 * The `BallotParams` tuple CityBallots takes, from SDK parameters.
 * @example `const tuple = toBallotParams({ kind: "referendum", opensAt, closesAt, questionHash });`
 */
export function toBallotParams(p: BallotParameters) {
  return {
    kind: ballotKinds[p.kind],
    sealed_: p.sealed ?? false,
    binding: p.binding ?? false,
    approval: p.approval ?? false,
    optionCount: p.optionCount ?? 0,
    maxApprovals: p.maxApprovals ?? 0,
    collegeMask: p.collegeMask ?? 0xffff,
    flagBit: p.flagBit ?? 0,
    thresholdBps: p.thresholdBps ?? 0,
    opensAt: Number(p.opensAt),
    closesAt: Number(p.closesAt),
    revealWindow: p.revealWindow ?? 0,
    districts: [...(p.districts ?? [])],
    questionHash: p.questionHash,
  } as const;
}

/**
 * The choice of an approval ballot: the bitmap of the approved option indexes.
 * @example `approvalOf([0, 3]) // 9n`
 */
export function approvalOf(options: readonly number[]): bigint {
  return options.reduce((bits, o) => bits | (1n << BigInt(o)), 0n);
}
