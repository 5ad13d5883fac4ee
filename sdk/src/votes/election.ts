/**
 * The election model shared by the participatory-budget rules ({@link greedy}, {@link equalShares}) and the pabulib
 * interchange ({@link parsePabulib}): projects with a cost, voters with the projects they approve, a budget. Nothing
 * else; a round read from the chain or from a `.pb` file is turned into this.
 */
import { CityError } from "../errors/base";

/**
 * One project on the ballot.
 * @example `{ id: "7", cost: 12_000n, name: "Benches in the park" }`
 */
export interface BudgetProject {
  /**
   * Unique within the election. On chain the project's uint id as a decimal string (`"7"`); in a `.pb` file its
   * `project_id`. Ids made only of digits compare as numbers (`"9" < "10"`), others by code points.
   */
  id: string;
  /** Cost in the election's base units (CityCoin base units for a round on chain), ≥ 0. */
  cost: bigint;
  /** Display name, kept for exports. */
  name?: string;
}

/**
 * One ballot: the ids of the projects its voter approves (order does not matter, duplicates are an error).
 * @example `{ id: "0xab…", approvals: ["1", "7"] }`
 */
export interface BudgetVoter {
  /** Unique within the election: the member's address on chain, `voter_id` in a `.pb` file. */
  id: string;
  /** Approved project ids, each one of {@link BudgetElection.projects}. */
  approvals: readonly string[];
}

/**
 * An approval election over a budget, with cost utilities (a voter's satisfaction is the cost of the winners they
 * approve).
 *
 * @example
 * ```ts
 * const election: BudgetElection = {
 *   budget: 100n,
 *   projects: [{ id: "1", cost: 60n }, { id: "2", cost: 50n }],
 *   voters: [{ id: "a", approvals: ["1"] }, { id: "b", approvals: ["2"] }],
 * };
 * ```
 */
export interface BudgetElection {
  /** The envelope: selected costs never exceed it. */
  budget: bigint;
  /**
   * Base units per currency unit (default 1n): the step of the "add1" completion, which raises each voter's share by
   * one currency unit at a time. A round on chain uses `1_000_000n` (CityCoin has 6 decimals, 1 CITY = €1).
   */
  unit?: bigint;
  projects: readonly BudgetProject[];
  voters: readonly BudgetVoter[];
  /** Free-form metadata (a `.pb` file's META section: `rule`, `description`…), carried to exports untouched. */
  meta?: Readonly<Record<string, string>>;
}

/**
 * How ties are broken, criteria applied in order until one project remains; the project id (lower first) always
 * closes the list so that every outcome is deterministic.
 *
 * - `"minCost"` / `"maxCost"`: the cheaper / dearer project;
 * - `"maxVotes"` / `"minVotes"`: the project with more / fewer approvals (the raw count, before any reduction);
 * - `"minId"` / `"maxId"`: by project id ({@link compareProjectIds});
 * - an array of ids: an explicit order drawn by lot, earlier first (ids not listed come after, in id order).
 *
 * @example `const tieBreaking: TieBreaking = ["minCost", "maxVotes"];`
 */
export type TieBreaker = "minCost" | "maxCost" | "maxVotes" | "minVotes" | "minId" | "maxId" | readonly string[];

/** An ordered list of {@link TieBreaker}s. @example `["minCost", "minId"]` */
export type TieBreaking = readonly TieBreaker[];

/** @example `if (err instanceof InvalidElectionError) console.log(err.shortMessage)` */
export type InvalidElectionErrorType = InvalidElectionError & { name: "InvalidElectionError" };

/**
 * An election the rules cannot run on: a negative cost or budget, a duplicate project or voter id, a ballot naming
 * an unknown project or the same project twice.
 *
 * @example
 * ```ts
 * try { greedy(election); } catch (err) { if (err instanceof InvalidElectionError) console.log(err.shortMessage); }
 * ```
 */
export class InvalidElectionError extends CityError {
  constructor(shortMessage: string, hint: string) {
    super(shortMessage, { name: "InvalidElectionError", metaMessages: [`- ${hint}`] });
  }
}

const DIGITS = /^\d+$/;

/**
 * Orders project ids: two ids made only of digits compare as integers (`"9"` before `"10"`), otherwise by UTF-16 code
 * units (and a numeric id comes before a non-numeric one).
 *
 * @example `["10", "9", "b", "a"].sort(compareProjectIds); // ["9", "10", "a", "b"]`
 */
export function compareProjectIds(a: string, b: string): number {
  const an = DIGITS.test(a);
  const bn = DIGITS.test(b);
  if (an && bn) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (an !== bn) return an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * An election indexed for the rules: projects and voters by position, each project's approvers as voter indices.
 * @internal
 */
export interface IndexedElection {
  readonly election: BudgetElection;
  readonly costs: readonly bigint[];
  readonly ids: readonly string[];
  /** `approvers[p]`: indices of the voters approving project p, ascending. */
  readonly approvers: readonly Int32Array[];
  /** `votes[p]`: number of approvers of project p. */
  readonly votes: readonly number[];
  readonly unit: bigint;
}

/**
 * Checks an election and indexes it; see {@link InvalidElectionError} for what is refused.
 * @internal
 */
export function indexElection(election: BudgetElection): IndexedElection {
  if (election.budget < 0n) throw new InvalidElectionError(`Budget ${election.budget} is negative.`, "A budget is a non-negative amount of base units.");
  const unit = election.unit ?? 1n;
  if (unit <= 0n) throw new InvalidElectionError(`Unit ${unit} is not positive.`, "unit is the number of base units in one currency unit, e.g. 1_000_000n for CityCoin.");
  const position = new Map<string, number>();
  election.projects.forEach((project, p) => {
    if (position.has(project.id)) throw new InvalidElectionError(`Project id ${JSON.stringify(project.id)} appears twice.`, "Give every project a unique id.");
    if (project.cost < 0n) throw new InvalidElectionError(`Project ${JSON.stringify(project.id)} has a negative cost (${project.cost}).`, "Costs are non-negative amounts of base units.");
    position.set(project.id, p);
  });
  const lists: number[][] = election.projects.map(() => []);
  const voterIds = new Set<string>();
  election.voters.forEach((voter, v) => {
    if (voterIds.has(voter.id)) throw new InvalidElectionError(`Voter id ${JSON.stringify(voter.id)} appears twice.`, "Keep one ballot per voter (the last one counts).");
    voterIds.add(voter.id);
    const seen = new Set<number>();
    for (const id of voter.approvals) {
      const p = position.get(id);
      if (p === undefined) throw new InvalidElectionError(`Voter ${JSON.stringify(voter.id)} approves unknown project ${JSON.stringify(id)}.`, "Every approval must name a project of the election.");
      if (seen.has(p)) throw new InvalidElectionError(`Voter ${JSON.stringify(voter.id)} approves project ${JSON.stringify(id)} twice.`, "List each approved project once.");
      seen.add(p);
      lists[p]!.push(v);
    }
  });
  return {
    election,
    costs: election.projects.map((p) => p.cost),
    ids: election.projects.map((p) => p.id),
    approvers: lists.map((l) => Int32Array.from(l)),
    votes: lists.map((l) => l.length),
    unit,
  };
}

/**
 * A comparator of project indices by the given tie-breaking criteria, closed by the lower id: negative when `a`
 * wins the tie.
 * @internal
 */
export function tieBreakComparator(indexed: IndexedElection, tieBreaking: TieBreaking): (a: number, b: number) => number {
  const { costs, votes, ids } = indexed;
  const byCost = (a: number, b: number) => (costs[a]! < costs[b]! ? -1 : costs[a]! > costs[b]! ? 1 : 0);
  const criteria = tieBreaking.map((criterion): ((a: number, b: number) => number) => {
    if (typeof criterion !== "string") {
      const rank = new Map(criterion.map((id, i) => [id, i] as const));
      const rankOf = (p: number) => rank.get(ids[p]!) ?? Number.MAX_SAFE_INTEGER;
      return (a, b) => rankOf(a) - rankOf(b);
    }
    switch (criterion) {
      case "minCost":
        return byCost;
      case "maxCost":
        return (a, b) => byCost(b, a);
      case "maxVotes":
        return (a, b) => votes[b]! - votes[a]!;
      case "minVotes":
        return (a, b) => votes[a]! - votes[b]!;
      case "minId":
        return (a, b) => compareProjectIds(ids[a]!, ids[b]!);
      case "maxId":
        return (a, b) => compareProjectIds(ids[b]!, ids[a]!);
      default:
        throw new InvalidElectionError(`Unknown tie-breaking criterion ${JSON.stringify(criterion)}.`, 'Use "minCost", "maxCost", "maxVotes", "minVotes", "minId", "maxId" or an array of project ids.');
    }
  });
  return (a, b) => {
    for (const criterion of criteria) {
      const c = criterion(a, b);
      if (c !== 0) return c;
    }
    return compareProjectIds(ids[a]!, ids[b]!);
  };
}

/**
 * The total cost of the given projects.
 * @example `totalCost(election, ["1", "2"]); // 110n`
 */
export function totalCost(election: BudgetElection, projectIds: Iterable<string>): bigint {
  const cost = new Map(election.projects.map((p) => [p.id, p.cost] as const));
  let sum = 0n;
  for (const id of projectIds) {
    const c = cost.get(id);
    if (c === undefined) throw new InvalidElectionError(`Unknown project ${JSON.stringify(id)}.`, "Name projects of the election.");
    sum += c;
  }
  return sum;
}

/**
 * Whether no other project fits in what the selection leaves of the budget (the outcome is *exhaustive*).
 * @example `isExhaustive(election, ["1"]); // false when a project costing ≤ budget − cost(1) is left out`
 */
export function isExhaustive(election: BudgetElection, selected: Iterable<string>): boolean {
  const chosen = new Set(selected);
  const left = election.budget - totalCost(election, chosen);
  return election.projects.every((p) => chosen.has(p.id) || p.cost > left);
}
