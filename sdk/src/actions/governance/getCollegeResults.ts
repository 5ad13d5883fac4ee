import { cityCharterAbi } from "../../abis/cityCharter";
import { cityGovernorAbi } from "../../abis/cityGovernor";
import { cityRegistryAbi } from "../../abis/cityRegistry";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { governanceAddress } from "../internal/governance";

/** @example `const p: GetCollegeResultsParameters = { proposalId };` */
export interface GetCollegeResultsParameters extends ReadParameters {
  proposalId: bigint;
}

/**
 * One college's count on a proposal, with what the proposal's charter asks of it.
 * @example `const { forVotes, quorumReached }: CollegeResult = results.colleges[0]!;`
 */
export interface CollegeResult {
  college: number;
  /** Share of the weighted result, basis points. */
  weightBps: number;
  /** Share of the college's members who must vote (abstentions count), basis points. */
  quorumBps: number;
  /** Active members of the college at the snapshot (0 while the snapshot is ahead). */
  members: bigint;
  forVotes: bigint;
  againstVotes: bigint;
  abstainVotes: bigint;
  /** `(for + against + abstain) × 10,000 ≥ quorumBps × members`, with members > 0. */
  quorumReached: boolean;
}

/**
 * A proposal's collegial tally.
 * @example `const { scoreWad, thresholdBps, colleges }: GetCollegeResultsReturnType = await getCollegeResults(city, { proposalId });`
 */
export interface GetCollegeResultsReturnType {
  charterVersion: number;
  /** Counted against the super-majority (it changes the governor, the timelock or the charter). */
  constitutional: boolean;
  /** Σ weight × for / (for + against), 1e18 = 100%. */
  scoreWad: bigint;
  /** The threshold the score must exceed, basis points. */
  thresholdBps: number;
  colleges: CollegeResult[];
}

/** @example `catch (e) { const err = e as GetCollegeResultsErrorType; }` */
export type GetCollegeResultsErrorType = ReadErrorType;

/**
 * The per-college results of `proposalId` under the charter it is counted under: votes, members at the snapshot,
 * quorums, and the weighted score against its threshold.
 *
 * @example
 * ```ts
 * const { colleges, scoreWad } = await getCollegeResults(city, { proposalId });
 * for (const c of colleges) console.log(c.college, c.forVotes, c.againstVotes, c.quorumReached);
 * ```
 */
export async function getCollegeResults(context: CityContext, parameters: GetCollegeResultsParameters): Promise<GetCollegeResultsReturnType> {
  const governor = governanceAddress(context, "CityGovernor", "getCollegeResults");
  const charter = governanceAddress(context, "CityCharter", "getCollegeResults");
  const { publicClient } = context;
  const at = blockOf(parameters);
  const { proposalId } = parameters;
  const [[version, constitutional], [scoreWad, thresholdBps], snapshot, block] = await Promise.all([
    read(() => publicClient.readContract({ address: governor, abi: cityGovernorAbi, functionName: "proposalRules", args: [proposalId], ...at })),
    read(() => publicClient.readContract({ address: governor, abi: cityGovernorAbi, functionName: "weightedResult", args: [proposalId], ...at })),
    read(() => publicClient.readContract({ address: governor, abi: cityGovernorAbi, functionName: "proposalSnapshot", args: [proposalId], ...at })),
    parameters.blockNumber !== undefined
      ? publicClient.getBlock({ blockNumber: parameters.blockNumber })
      : publicClient.getBlock({ blockTag: parameters.blockTag ?? "latest" }),
  ]);
  const rules = await read(() => publicClient.readContract({ address: charter, abi: cityCharterAbi, functionName: "charter", args: [version], ...at }));
  const past = snapshot < block.timestamp;
  const colleges = await Promise.all(
    rules.colleges.map(async (rule): Promise<CollegeResult> => {
      const [[forVotes, againstVotes, abstainVotes], members] = await Promise.all([
        read(() => publicClient.readContract({ address: governor, abi: cityGovernorAbi, functionName: "proposalVotes", args: [proposalId, rule.college], ...at })),
        past
          ? read(() =>
              publicClient.readContract({
                address: context.addresses.cityRegistry,
                abi: cityRegistryAbi,
                functionName: "getPastCollegeSize",
                args: [rule.college, snapshot],
                ...at,
              }),
            )
          : Promise.resolve(0n),
      ]);
      const cast = forVotes + againstVotes + abstainVotes;
      return {
        college: rule.college,
        weightBps: rule.weightBps,
        quorumBps: rule.quorumBps,
        members,
        forVotes,
        againstVotes,
        abstainVotes,
        quorumReached: members > 0n && cast * 10_000n >= BigInt(rule.quorumBps) * members,
      };
    }),
  );
  return { charterVersion: version, constitutional, scoreWad, thresholdBps, colleges };
}
