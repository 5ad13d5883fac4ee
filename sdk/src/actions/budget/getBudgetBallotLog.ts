import { encodePacked, keccak256, type Address, type Hex } from "viem";
import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import { CityError } from "../../errors/base";
import type { CityContext, ReadErrorType } from "../../types";
import type { BudgetElection } from "../../votes/election";
import { read } from "../internal/call";
import { budgetAddress } from "../internal/budget";
import { ballotIndexesOf } from "./types";

/** @example `const p: GetBudgetBallotLogParameters = { roundId: 1n, fromBlock: deployment.contracts.ParticipatoryBudget.blockNumber };` */
export interface GetBudgetBallotLogParameters {
  roundId: bigint;
  /** First block to read events from (default 0; pass the contract's deployment block on a long chain). */
  fromBlock?: bigint | undefined;
  /** Last block to read (default: the latest block); the on-chain head is read at this block too. */
  toBlock?: bigint | undefined;
}

/** One entry of the ballot log, as `BallotCast` evented it. @example `{ voter: "0x…", selection: 17n, head: "0x…" }` */
export interface BudgetBallotLogEntry {
  voter: Address;
  selection: bigint;
  /** The log head after this ballot. */
  head: Hex;
  blockNumber: bigint;
  logIndex: number;
}

/** A project on the ballot. @example `{ ballotIndex: 0, projectId: 3, envelope: 1, cost: 12_000_000_000n }` */
export interface BudgetBallotProject {
  ballotIndex: number;
  projectId: number;
  envelope: number;
  /** Cost after any revision at review. */
  cost: bigint;
}

/** @example `const { head, elections } = await getBudgetBallotLog(city, { roundId: 1n });` */
export interface GetBudgetBallotLogReturnType {
  /** The head the log hashes to; equal to the round's on-chain head at `toBlock` (checked). */
  head: Hex;
  /** Every ballot cast, in chain order (changed ballots included). */
  entries: BudgetBallotLogEntry[];
  /** Each voter's last ballot. */
  lastBallots: Map<Address, bigint>;
  projects: BudgetBallotProject[];
  /** Envelope amounts, by envelope index (0 = city-wide). */
  envelopes: bigint[];
  /**
   * One approval election per envelope (index = envelope), in the model of `sdk/src/votes`: project ids are the
   * on-chain project ids as decimal strings, voter ids the members' addresses, `unit` one CityCoin (10^6 base units);
   * a voter appears in an envelope's election when their last ballot selects a project of it.
   */
  elections: BudgetElection[];
}

/** @example `catch (e) { const err = e as GetBudgetBallotLogErrorType; }` */
export type GetBudgetBallotLogErrorType = BudgetBallotLogMismatchError | ReadErrorType;

/**
 * The ballot log re-derived from the chain does not hash to the round's on-chain head: events are missing (a
 * `fromBlock` after the first ballot, an RPC node that dropped logs) or the node serves a different chain.
 *
 * @example `catch (e) { if (e instanceof BudgetBallotLogMismatchError) console.log(e.shortMessage); }`
 */
export class BudgetBallotLogMismatchError extends CityError {
  constructor(roundId: bigint, expected: Hex, derived: Hex, ballots: number) {
    super(`The ${ballots} ballots read for round ${roundId} hash to ${derived}, not to the round's head ${expected}.`, {
      name: "BudgetBallotLogMismatchError",
      metaMessages: ["- Read from the contract's deployment block (fromBlock) with an RPC node that serves every log."],
    });
  }
}

/**
 * The next head of a ballot log: `keccak256(abi.encodePacked(head, voter, selection))`, as ParticipatoryBudget
 * chains it.
 * @example `const head = nextBallotLogHead(zeroHash, voter, 17n);`
 */
export function nextBallotLogHead(head: Hex, voter: Address, selection: bigint): Hex {
  return keccak256(encodePacked(["bytes32", "address", "uint256"], [head, voter, selection]));
}

const ZERO_HEAD: Hex = `0x${"0".repeat(64)}`;

/**
 * Reads every ballot of a round from its `BallotCast` events, checks that they chain to the round's on-chain log head,
 * and turns each voter's last ballot into one approval election per envelope — the input of {@link equalShares} and
 * {@link greedy}, and what {@link computeBudgetResult} posts.
 *
 * @example
 * ```ts
 * const log = await getBudgetBallotLog(city, { roundId: 1n });
 * const cityWide = equalShares(log.elections[0]!);
 * ```
 */
export async function getBudgetBallotLog(
  context: CityContext,
  parameters: GetBudgetBallotLogParameters,
): Promise<GetBudgetBallotLogReturnType> {
  const address = budgetAddress(context, "getBudgetBallotLog");
  const { roundId } = parameters;
  const toBlock = parameters.toBlock ?? (await context.publicClient.getBlockNumber());
  const call = { address, abi: participatoryBudgetAbi, blockNumber: toBlock } as const;
  const [[, state], onChainHead] = await read(() =>
    Promise.all([
      context.publicClient.readContract({ ...call, functionName: "round", args: [roundId] }),
      context.publicClient.readContract({ ...call, functionName: "logHead", args: [roundId] }),
    ]),
  );
  const envelopes = await read(() =>
    Promise.all(
      Array.from({ length: state.envelopeCount }, (_, e) =>
        context.publicClient.readContract({ ...call, functionName: "envelopeOf", args: [roundId, e] }).then((x) => x.amount),
      ),
    ),
  );
  const projects: BudgetBallotProject[] = await read(() =>
    Promise.all(
      Array.from({ length: state.ballotCount }, (_, i) =>
        context.publicClient
          .readContract({ ...call, functionName: "ballotEntry", args: [roundId, BigInt(i)] })
          .then((e) => ({ ballotIndex: i, projectId: e.projectId, envelope: e.envelope, cost: e.cost })),
      ),
    ),
  );

  const logs = await context.publicClient.getContractEvents({
    address,
    abi: participatoryBudgetAbi,
    eventName: "BallotCast",
    args: { roundId },
    fromBlock: parameters.fromBlock ?? 0n,
    toBlock,
    strict: true,
  });
  logs.sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
  let head = ZERO_HEAD;
  const entries: BudgetBallotLogEntry[] = [];
  const lastBallots = new Map<Address, bigint>();
  for (const log of logs) {
    const { voter, selection } = log.args;
    head = nextBallotLogHead(head, voter, selection);
    entries.push({ voter, selection, head: log.args.logHead, blockNumber: log.blockNumber, logIndex: log.logIndex });
    lastBallots.set(voter, selection);
  }
  if (head !== onChainHead) throw new BudgetBallotLogMismatchError(roundId, onChainHead, head, entries.length);

  const elections: BudgetElection[] = envelopes.map((budget, envelope) => {
    const inEnvelope = projects.filter((p) => p.envelope === envelope);
    const ids = new Map(inEnvelope.map((p) => [p.ballotIndex, String(p.projectId)]));
    const voters = [];
    for (const [voter, selection] of lastBallots) {
      const approvals = ballotIndexesOf(selection).flatMap((i) => (ids.has(i) ? [ids.get(i)!] : []));
      if (approvals.length) voters.push({ id: voter, approvals });
    }
    return { budget, unit: 1_000_000n, projects: inEnvelope.map((p) => ({ id: String(p.projectId), cost: p.cost })), voters };
  });
  return { head, entries, lastBallots, projects, envelopes, elections };
}
