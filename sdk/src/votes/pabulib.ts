/**
 * The pabulib `.pb` interchange format (pabulib.org/format): three sections `META`, `PROJECTS`, `VOTES`, each a title
 * line, a header line and `;`-separated rows with CSV quoting (a field holding `;`, `"` or a line break is quoted,
 * inner quotes doubled). Import a file into a {@link BudgetElection}, export an election and its result back.
 */
import { CityError } from "../errors/base";
import type { BudgetElection } from "./election";
import { isCompletion, type BudgetRule } from "./rules";

/**
 * A `.pb` file as written: the META pairs and the rows of PROJECTS and VOTES keyed by their header's column names,
 * every value a string, in file order.
 *
 * @example
 * ```ts
 * const file = parsePabulib(text);
 * file.meta.budget; // "100000"
 * file.projects[0].project_id; // "3"
 * ```
 */
export interface PabulibFile {
  /** META pairs (`key;value`), in file order. */
  meta: Record<string, string>;
  /** PROJECTS header, e.g. `["project_id", "cost", "votes", "name", "selected"]`. */
  projectColumns: string[];
  projects: Record<string, string>[];
  /** VOTES header, e.g. `["voter_id", "vote"]`. */
  voteColumns: string[];
  votes: Record<string, string>[];
}

/** @example `if (err instanceof PabulibError) console.log(err.line, err.shortMessage)` */
export type PabulibErrorType = PabulibError & { name: "PabulibError" };

/**
 * A `.pb` text that does not follow the format, or a file the election model cannot hold (a non-approval vote type,
 * a malformed amount). `line` is the 1-based line where the problem is, when there is one.
 *
 * @example
 * ```ts
 * try { parsePabulib(text); } catch (err) { if (err instanceof PabulibError) console.log(`line ${err.line}: ${err.shortMessage}`); }
 * ```
 */
export class PabulibError extends CityError {
  /** 1-based line of the problem, or undefined when it concerns the whole file. */
  readonly line: number | undefined;
  constructor(shortMessage: string, line?: number, hint = "See pabulib.org/format for the layout of a .pb file.") {
    super(line === undefined ? shortMessage : `Line ${line}: ${shortMessage}`, { name: "PabulibError", metaMessages: [`- ${hint}`] });
    this.line = line;
  }
}

type Section = "meta" | "projects" | "votes";
const SECTIONS: readonly Section[] = ["meta", "projects", "votes"];

/** One CSV record with the 1-based line it starts on. */
interface CsvRecord {
  fields: string[];
  line: number;
}

/**
 * Splits `;`-separated text into records: fields are trimmed unless quoted; a quoted field may hold `;`, doubled
 * quotes and line breaks; `\r\n` and `\n` both end a record; blank lines are skipped.
 */
function records(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let blank = true;
    for (;;) {
      while (i < n && (text[i] === " " || text[i] === "\t")) i++;
      let field = "";
      if (text[i] === '"') {
        blank = false;
        i++;
        for (;;) {
          if (i >= n) throw new PabulibError("a quoted field is not closed", start, 'Close the field with a quote; write a quote inside a field as "".');
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === "\n") line++;
          field += ch;
          i++;
        }
        while (i < n && (text[i] === " " || text[i] === "\t")) i++;
        if (i < n && text[i] !== ";" && text[i] !== "\n" && text[i] !== "\r") {
          throw new PabulibError("text after a closing quote", line, "A quoted field ends at the next ; or line break.");
        }
      } else {
        const begin = i;
        while (i < n && text[i] !== ";" && text[i] !== "\n" && text[i] !== "\r") i++;
        field = text.slice(begin, i).trim();
        if (field !== "") blank = false;
      }
      fields.push(field);
      if (i < n && text[i] === ";") {
        blank = false;
        i++;
        continue;
      }
      break;
    }
    if (text[i] === "\r") i++;
    if (text[i] === "\n") {
      i++;
      line++;
    }
    if (!blank) out.push({ fields, line: start });
  }
  return out;
}

/**
 * Parses a `.pb` file. Section titles are matched case-insensitively; the META header must be `key;value`, PROJECTS
 * must have `project_id` and `cost` columns, VOTES `voter_id` and `vote`. Rows must have as many fields as their
 * header (a missing trailing field of VOTES reads as empty), ids must be unique.
 *
 * @throws {PabulibError} With the line of the first problem.
 * @example
 * ```ts
 * const file = parsePabulib("META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;6\n2;4\nVOTES\nvoter_id;vote\na;1,2\n");
 * file.votes[0].vote; // "1,2"
 * ```
 */
export function parsePabulib(text: string): PabulibFile {
  const file: PabulibFile = { meta: {}, projectColumns: [], projects: [], voteColumns: [], votes: [] };
  let section: Section | undefined;
  let header: string[] | undefined;
  const seen = new Set<Section>();
  const projectIds = new Set<string>();
  const voterIds = new Set<string>();
  for (const { fields, line } of records(text)) {
    const title = fields.length === 1 ? (fields[0]!.toLowerCase() as Section) : undefined;
    if (title && SECTIONS.includes(title)) {
      if (seen.has(title)) throw new PabulibError(`section ${title.toUpperCase()} appears twice`, line);
      seen.add(title);
      section = title;
      header = undefined;
      continue;
    }
    if (!section) throw new PabulibError("data before the META section", line);
    if (!header) {
      header = fields;
      if (new Set(header).size !== header.length) throw new PabulibError(`duplicate column in the ${section.toUpperCase()} header`, line);
      if (section === "meta" && (header.length !== 2 || header[0] !== "key" || header[1] !== "value")) {
        throw new PabulibError('the META header must be "key;value"', line);
      }
      const required = section === "projects" ? ["project_id", "cost"] : section === "votes" ? ["voter_id", "vote"] : [];
      for (const column of required) {
        if (!header.includes(column)) throw new PabulibError(`the ${section.toUpperCase()} header has no "${column}" column`, line);
      }
      if (section === "projects") file.projectColumns = header;
      if (section === "votes") file.voteColumns = header;
      continue;
    }
    if (section === "meta") {
      if (fields.length !== 2) throw new PabulibError(`a META row has ${fields.length} fields, want 2`, line);
      file.meta[fields[0]!] = fields[1]!;
      continue;
    }
    if (fields.length === header.length - 1 && section === "votes") fields.push("");
    if (fields.length !== header.length) {
      throw new PabulibError(`a ${section.toUpperCase()} row has ${fields.length} fields, want ${header.length}`, line, "Quote fields that contain a ;.");
    }
    const row: Record<string, string> = {};
    header.forEach((column, c) => (row[column] = fields[c]!));
    if (section === "projects") {
      if (projectIds.has(row.project_id!)) throw new PabulibError(`project ${row.project_id} appears twice`, line);
      projectIds.add(row.project_id!);
      file.projects.push(row);
    } else {
      if (voterIds.has(row.voter_id!)) throw new PabulibError(`voter ${row.voter_id} appears twice`, line);
      voterIds.add(row.voter_id!);
      file.votes.push(row);
    }
  }
  for (const s of SECTIONS) if (!seen.has(s)) throw new PabulibError(`the ${s.toUpperCase()} section is missing`);
  return file;
}

function quote(field: string): string {
  return /[;"\r\n]|^\s|\s$/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/**
 * Writes a {@link PabulibFile} as `.pb` text (`\n` line ends, a final line break, fields quoted only when needed).
 * `formatPabulib(parsePabulib(text))` gives back `text` for a file written that way.
 *
 * @example `writeFileSync("round.pb", formatPabulib(pabulibFromElection(election, { selected: result.winners })))`
 */
export function formatPabulib(file: PabulibFile): string {
  const lines: string[] = ["META", "key;value"];
  for (const [key, value] of Object.entries(file.meta)) lines.push(`${quote(key)};${quote(value)}`);
  lines.push("PROJECTS", file.projectColumns.map(quote).join(";"));
  for (const row of file.projects) lines.push(file.projectColumns.map((c) => quote(row[c] ?? "")).join(";"));
  lines.push("VOTES", file.voteColumns.map(quote).join(";"));
  for (const row of file.votes) lines.push(file.voteColumns.map((c) => quote(row[c] ?? "")).join(";"));
  return lines.join("\n") + "\n";
}

const AMOUNT = /^(\d+)(?:\.(\d+))?$/;

/**
 * Reads the election held by a `.pb` file of approval (or choose-1) ballots: the budget, each project's id, cost and
 * name, each voter's approvals, the META pairs. Amounts with decimals (`"500000.50"`) are scaled to integers: `unit`
 * becomes 10^d for the largest number d of decimals seen, and every cost and the budget are multiplied by it.
 *
 * @throws {PabulibError} For another vote type, a missing or malformed budget or cost.
 * @example
 * ```ts
 * const election = electionFromPabulib(parsePabulib(text));
 * equalShares(election, { completion: "add1-no-greedy" }).winners;
 * ```
 */
export function electionFromPabulib(file: PabulibFile): BudgetElection {
  const voteType = file.meta.vote_type ?? "approval";
  if (voteType !== "approval" && voteType !== "choose-1") {
    throw new PabulibError(`vote_type "${voteType}" is not supported`, undefined, "Only approval and choose-1 ballots map to the approval election model.");
  }
  const amounts = [file.meta.budget, ...file.projects.map((p) => p.cost)];
  let decimals = 0;
  amounts.forEach((amount, i) => {
    const what = i === 0 ? "the META budget" : `the cost of project ${file.projects[i - 1]!.project_id}`;
    const match = amount === undefined ? null : AMOUNT.exec(amount);
    if (!match) throw new PabulibError(`${what} is ${amount === undefined ? "missing" : `"${amount}", not a non-negative decimal`}`);
    decimals = Math.max(decimals, match[2]?.length ?? 0);
  });
  const scale = (amount: string) => {
    const [, whole, fraction = ""] = AMOUNT.exec(amount)!;
    return BigInt(whole! + fraction.padEnd(decimals, "0"));
  };
  return {
    budget: scale(file.meta.budget!),
    ...(decimals > 0 ? { unit: 10n ** BigInt(decimals) } : {}),
    projects: file.projects.map((p) => ({ id: p.project_id!, cost: scale(p.cost!), ...(p.name ? { name: p.name } : {}) })),
    voters: file.votes.map((v) => ({
      id: v.voter_id!,
      approvals: v.vote === "" ? [] : v.vote!.split(",").map((id) => id.trim()),
    })),
    meta: { ...file.meta },
  };
}

/**
 * The projects a `.pb` file marks as selected by the city's own rule (`selected` = 1; pabulib uses 2 for projects
 * funded outside the rule, not included), in file order.
 * @example `publishedWinners(parsePabulib(text)); // ["3", "9", "2", …]`
 */
export function publishedWinners(file: PabulibFile): string[] {
  return file.projects.filter((p) => p.selected === "1").map((p) => p.project_id!);
}

/**
 * The META key that records an Equal Shares rule's share convention: `integral` (each voter's share rounded down to a
 * whole currency unit before the add1 raises, equalshares.net's default) or `exact` (`budget / voters`). pabulib's
 * `rule` names the completion only; a file without this key reads as `integral`.
 */
export const PABULIB_SHARE_KEY = "equalshares_share";

/**
 * The rule a `.pb` file's META names, with its conventions: `rule` = `greedy`, `greedy-no-skip`, `equalshares` (no
 * completion) or `equalshares/<completion>` (`add1`, `add1-no-greedy`, `add1-stop-on-overspend`), and for Equal
 * Shares {@link PABULIB_SHARE_KEY}. Undefined for a rule the SDK does not run (`unknown`, `greedy-custom`…).
 *
 * @throws {PabulibError} When {@link PABULIB_SHARE_KEY} is neither `integral` nor `exact`.
 * @example
 * ```ts
 * const file = parsePabulib(text);
 * const rule = ruleFromPabulib(file); // { method: "greedy", skip: false } for Gdynia 2022
 * if (rule) runBudgetRule(electionFromPabulib(file), rule).winners;
 * ```
 */
export function ruleFromPabulib(file: Pick<PabulibFile, "meta">): BudgetRule | undefined {
  const rule = file.meta.rule;
  if (rule === "greedy" || rule === "greedy-no-skip") return { method: "greedy", skip: rule === "greedy" };
  if (rule === undefined || !/^equalshares(\/|$)/.test(rule)) return undefined;
  const completion = rule === "equalshares" ? "none" : rule.slice("equalshares/".length);
  if (!isCompletion(completion)) return undefined;
  const share = file.meta[PABULIB_SHARE_KEY] ?? "integral";
  if (share !== "integral" && share !== "exact") {
    throw new PabulibError(`${PABULIB_SHARE_KEY} is "${share}"`, undefined, 'The Equal Shares share convention is "integral" or "exact".');
  }
  return { method: "equalShares", completion, integral: share === "integral" };
}

/**
 * The META pairs that record a rule in a `.pb` file (the inverse of {@link ruleFromPabulib}).
 * @example `pabulibRuleMeta({ method: "equalShares", completion: "add1", integral: false }) // { rule: "equalshares/add1", equalshares_share: "exact" }`
 */
export function pabulibRuleMeta(rule: BudgetRule): Record<string, string> {
  if (rule.method === "greedy") return { rule: rule.skip ? "greedy" : "greedy-no-skip" };
  return {
    rule: rule.completion === "none" ? "equalshares" : `equalshares/${rule.completion}`,
    [PABULIB_SHARE_KEY]: rule.integral ? "integral" : "exact",
  };
}

/** Options of {@link pabulibFromElection}. @example `{ selected: result.winners, rule: { method: "greedy", skip: true } }` */
export interface PabulibFromElectionOptions {
  /** Winners, written as the `selected` column (1 or 0); no column when omitted. */
  selected?: Iterable<string>;
  /** The rule the winners were selected by, written to META as {@link pabulibRuleMeta} says. */
  rule?: BudgetRule;
  /** META pairs added to (and overriding) the election's own. */
  meta?: Record<string, string>;
}

function formatAmount(value: bigint, unit: bigint): string {
  if (unit === 1n) return value.toString();
  const decimals = unit.toString().length - 1;
  if (unit !== 10n ** BigInt(decimals)) {
    throw new PabulibError(`unit ${unit} is not a power of ten`, undefined, "Amounts in a .pb file are decimals: use a unit of 10^d base units.");
  }
  const digits = value.toString().padStart(decimals + 1, "0");
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/**
 * Builds the `.pb` file of an election (and its result): META with the election's pairs and the counts, budget and
 * vote type set from the election, and the rule when given; PROJECTS with `project_id;cost;votes;name` (and `selected`); VOTES with
 * `voter_id;vote`. Amounts are written in currency units (`unit` decimals). Pass it to {@link formatPabulib}.
 *
 * @throws {PabulibError} When `unit` is not a power of ten.
 * @example
 * ```ts
 * const text = formatPabulib(pabulibFromElection(election, { selected: equalShares(election).winners }));
 * ```
 */
export function pabulibFromElection(election: BudgetElection, options: PabulibFromElectionOptions = {}): PabulibFile {
  const unit = election.unit ?? 1n;
  const votes = new Map<string, number>(election.projects.map((p) => [p.id, 0]));
  for (const voter of election.voters) for (const id of voter.approvals) votes.set(id, (votes.get(id) ?? 0) + 1);
  const selected = options.selected === undefined ? undefined : new Set(options.selected);
  const meta: Record<string, string> = {
    ...election.meta,
    num_projects: String(election.projects.length),
    num_votes: String(election.voters.length),
    budget: formatAmount(election.budget, unit),
    vote_type: "approval",
    ...(options.rule ? pabulibRuleMeta(options.rule) : {}),
    ...options.meta,
  };
  // A share convention carried over from the election's META does not belong to a greedy rule.
  if (options.rule?.method === "greedy" && options.meta?.[PABULIB_SHARE_KEY] === undefined) delete meta[PABULIB_SHARE_KEY];
  const projectColumns = ["project_id", "cost", "votes", "name", ...(selected ? ["selected"] : [])];
  return {
    meta,
    projectColumns,
    projects: election.projects.map((p) => ({
      project_id: p.id,
      cost: formatAmount(p.cost, unit),
      votes: String(votes.get(p.id) ?? 0),
      name: p.name ?? "",
      ...(selected ? { selected: selected.has(p.id) ? "1" : "0" } : {}),
    })),
    voteColumns: ["voter_id", "vote"],
    votes: election.voters.map((v) => ({ voter_id: v.id, vote: v.approvals.join(",") })),
  };
}
