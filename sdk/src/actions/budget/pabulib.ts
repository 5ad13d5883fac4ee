import { keccak256, toHex, type Hash } from "viem";
import { CityError } from "../../errors/base";
import type { CityContext, WriteParameters } from "../../types";
import { electionFromPabulib, formatPabulib, pabulibFromElection, parsePabulib } from "../../votes/pabulib";
import { getBudgetBallotLog } from "./getBudgetBallotLog";
import { getBudgetRound } from "./getBudgetRound";
import { submitProject } from "./submitProject";
import { budgetRuleOf } from "./computeBudgetResult";

/** CityCoin base units per euro: a round's amounts are written to `.pb` files in euros. */
const CITY_UNIT = 1_000_000n;

/** @example `const p: ExportBudgetRoundParameters = { roundId: 1n };` */
export interface ExportBudgetRoundParameters {
  roundId: bigint;
}

/** @example `for (const { envelope, pb } of await exportBudgetRound(city, { roundId })) fs.writeFileSync(`round-${envelope}.pb`, pb);` */
export type ExportBudgetRoundReturnType = { envelope: number; pb: string }[];

/**
 * Exports a participatory-budget round as pabulib `.pb` files, one per envelope (0 = city-wide): projects with their
 * (revised) costs and vote counts, every voter's last ballot, the budget, the round's rule (with its Equal Shares
 * share convention, META `equalshares_share`) and — once tallied or
 * posted — the `selected` column from the on-chain winners. The ballots come from the chain's events, checked against
 * the round's ballot-log head, so the file can be checked with the community's own tools.
 *
 * @example
 * ```ts
 * const [cityWide] = await exportBudgetRound(city, { roundId: 1n });
 * console.log(cityWide.pb); // META … PROJECTS … VOTES …
 * ```
 */
export async function exportBudgetRound(context: CityContext, parameters: ExportBudgetRoundParameters): Promise<ExportBudgetRoundReturnType> {
  const [log, round] = await Promise.all([getBudgetBallotLog(context, parameters), getBudgetRound(context, parameters)]);
  const winners = round.winners;
  const selected = log.projects.filter((p) => (winners >> BigInt(p.ballotIndex)) & 1n).map((p) => String(p.projectId));
  return log.elections.map((election, envelope) => {
    const rule = budgetRuleOf[Number(round.state.winnerRule)];
    const file = pabulibFromElection(election, {
      ...(!round.state.resultIn ? {} : { selected: selected.filter((id) => election.projects.some((p) => p.id === id)) }),
      // The rule with its conventions (greedy-no-skip, the Equal Shares share): what the audit recomputes with.
      ...(rule ? { rule } : {}),
      meta: {
        description: `cityledger participatory budget round ${parameters.roundId}, envelope ${envelope}`,
        currency: "EUR",
        ...(rule ? {} : { rule: "unknown" }),
      },
    });
    return { envelope, pb: formatPabulib(file) };
  });
}

/** @example `const p: ImportBudgetProjectsParameters = { roundId: 2n, envelope: 0, pb: fs.readFileSync("x.pb", "utf8") };` */
export interface ImportBudgetProjectsParameters extends Pick<WriteParameters, "account" | "gasless"> {
  /** A round in its proposals phase. */
  roundId: bigint;
  /** The envelope the projects go to (0 = city-wide). */
  envelope: number;
  /** The `.pb` file's text; its costs are read as euros (1 € = 1 CITY). */
  pb: string;
}

/** @example `const { submitted }: ImportBudgetProjectsReturnType = await importBudgetProjects(city, params);` */
export interface ImportBudgetProjectsReturnType {
  /** The file's project ids in submission order, with each transaction. */
  submitted: { projectId: string; cost: bigint; hash: Hash }[];
}

/**
 * Submits the projects of a pabulib `.pb` file to a round (as the calling member, one transaction each, in file order):
 * each project's cost in CityCoin, its content hash = keccak256 of its name (or id), its URI `pabulib:<project_id>`.
 * Ballots are not imported — they are other people's votes — so a published election's projects can be put to the
 * city's own members, and the result compared with the file's.
 *
 * @throws {CityError} When a cost has more decimals than CityCoin's six.
 * @example `await importBudgetProjects(member, { roundId, envelope: 0, pb: text });`
 */
export async function importBudgetProjects(context: CityContext, parameters: ImportBudgetProjectsParameters): Promise<ImportBudgetProjectsReturnType> {
  const election = electionFromPabulib(parsePabulib(parameters.pb));
  const unit = election.unit ?? 1n;
  if (CITY_UNIT % unit !== 0n) {
    throw new CityError(`the file's amounts have more decimals than CityCoin's six (unit ${unit})`, {
      metaMessages: ["- Round the file's costs to the cent before importing it."],
      name: "PabulibImportError",
    });
  }
  const submitted: ImportBudgetProjectsReturnType["submitted"] = [];
  for (const project of election.projects) {
    const cost = (project.cost * CITY_UNIT) / unit;
    const hash = await submitProject(context, {
      roundId: parameters.roundId,
      envelope: parameters.envelope,
      cost,
      contentHash: keccak256(toHex(project.name ?? project.id)),
      uri: `pabulib:${project.id}`,
      account: parameters.account,
      gasless: parameters.gasless,
      wait: true,
    });
    submitted.push({ projectId: project.id, cost, hash });
  }
  return { submitted };
}
