/**
 * Participatory-budget results: for every tallied round of ParticipatoryBudget, the ballot log re-derived from the
 * `BallotCast` events of the log hashes (keccak chain, as the contract keeps it) to the head the result was recorded
 * against, and the round's winner rule — greedy (skipping or not), or the Method of Equal Shares with the rule's
 * completion and share convention — run by the
 * SDK (`computeBudgetResult`, exact rationals) on each voter's last ballot selects exactly the winners the round
 * recorded (`RoundTallied.winners`). Envelopes come from `EnvelopeCreated`; the ballot's projects (index, envelope,
 * cost after review) from `ballotEntry` at the audited block.
 */
import type { Address, Hex } from "viem";
import { nextBallotLogHead, type BudgetBallotLogEntry, type BudgetBallotProject, type GetBudgetBallotLogReturnType } from "@cityledger/sdk";
import { budgetRuleName, budgetRuleOf, computeBudgetResult } from "@cityledger/sdk";
import { ballotIndexesOf } from "@cityledger/sdk";
import type { BudgetElection } from "@cityledger/sdk/votes";
import type { AuditCheck, AuditContext, CheckResult } from "../types";
import type { AuditEvent } from "../events";
import { euros, fail, pass } from "./result";
import { escrowBalance } from "./money";

const ZERO_HEAD = `0x${"0".repeat(64)}` as Hex;

export const budgetCheck: AuditCheck = {
  id: "budget.results",
  title: "every tallied budget round's ballot log hashes to its recorded head, and its rule (greedy or Equal Shares) selects its winners",
  contracts: ["ParticipatoryBudget"],
  async run(ctx) {
    const id = this.id;
    const events = ctx.events.of("ParticipatoryBudget");
    const results: CheckResult[] = [];
    for (const e of events) {
      if (e.name !== "RoundTallied") continue;
      const roundId = e.args.roundId;
      const rule = Number(e.args.winnerRule);
      const recorded = e.args.winners;
      const record = `round ${roundId} (entry ${e.seq}, RoundTallied)`;
      const log = await ballotLog(ctx, events, roundId, e.seq);
      if (log.badLink) {
        results.push(fail(id, `round ${roundId} (entry ${log.badLink.seq}, BallotCast)`, `the ballot states log head ${log.badLink.stated}; the ballots before it and this one hash to ${log.badLink.derived}`));
      }
      if (log.head !== e.args.logHead) {
        results.push(fail(id, record, `the result was recorded against ballot-log head ${e.args.logHead}; the ${log.entries.length} ballots in the log hash to ${log.head}`));
        continue;
      }
      if (!budgetRuleOf[rule]) {
        results.push(fail(id, record, `the round's winner rule ${rule} is not one of ParticipatoryBudget's`));
        continue;
      }
      // The rule as recorded, conventions included (greedy with or without skipping, the Equal Shares share): a
      // result computed under another convention selects other projects and fails here.
      const { winners } = computeBudgetResult(log, rule);
      const names = (bits: bigint) => ballotIndexesOf(bits).map((i) => log.projects.find((p) => p.ballotIndex === i)?.projectId ?? `#${i}`);
      const figures = { rule: budgetRuleName(budgetRuleOf[rule]), ballots: log.lastBallots.size, winners: names(recorded).join(" ") };
      results.push(
        winners === recorded
          ? pass(id, record, `${figures.rule} on ${log.lastBallots.size} ballots selects projects [${names(winners).join(", ")}], as recorded`, figures)
          : fail(id, record, `${figures.rule} on the ballot log selects projects [${names(winners).join(", ")}]; the round recorded [${names(recorded).join(", ")}]`, figures),
      );
    }
    if (results.length === 0) results.push({ check: id, status: "skip", record: "ParticipatoryBudget", message: "no tallied round" });
    return results;
  },
};

/** The round's ballot log up to entry `until`, in the SDK's model (what `getBudgetBallotLog` builds from the RPC). */
async function ballotLog(
  ctx: AuditContext,
  events: readonly AuditEvent<"ParticipatoryBudget">[],
  roundId: bigint,
  until: number,
): Promise<GetBudgetBallotLogReturnType & { badLink?: { seq: number; stated: Hex; derived: Hex } }> {
  let head = ZERO_HEAD;
  let badLink: { seq: number; stated: Hex; derived: Hex } | undefined;
  const entries: BudgetBallotLogEntry[] = [];
  const lastBallots = new Map<Address, bigint>();
  const envelopes: bigint[] = [];
  for (const e of events) {
    if (e.seq >= until || !("roundId" in e.args) || e.args.roundId !== roundId) continue;
    if (e.name === "EnvelopeCreated") envelopes[Number(e.args.envelope)] = BigInt(e.args.amount);
    if (e.name !== "BallotCast") continue;
    const voter = e.args.voter;
    const selection = e.args.selection;
    head = nextBallotLogHead(head, voter, selection);
    if (head !== e.args.logHead && !badLink) badLink = { seq: e.seq, stated: e.args.logHead, derived: head };
    entries.push({ voter, selection, head, blockNumber: e.log.blockNumber, logIndex: e.log.logIndex });
    lastBallots.set(voter, selection);
  }
  const address = ctx.events.address("ParticipatoryBudget");
  const abi = ctx.events.abi("ParticipatoryBudget");
  const [, state] = (await ctx.client.readContract({ address, abi, functionName: "round", args: [roundId], blockNumber: ctx.block })) as [unknown, { ballotCount: number }];
  const projects: BudgetBallotProject[] = await Promise.all(
    Array.from({ length: Number(state.ballotCount) }, async (_, i) => {
      const entry = (await ctx.client.readContract({ address, abi, functionName: "ballotEntry", args: [roundId, BigInt(i)], blockNumber: ctx.block })) as {
        projectId: number;
        envelope: number;
        cost: bigint;
      };
      return { ballotIndex: i, projectId: Number(entry.projectId), envelope: Number(entry.envelope), cost: BigInt(entry.cost) };
    }),
  );
  // One approval election per envelope, as the SDK models a round (voters: those whose last ballot selects in it).
  const elections: BudgetElection[] = envelopes.map((budget, envelope) => {
    const ids = new Map(projects.filter((p) => p.envelope === envelope).map((p) => [p.ballotIndex, String(p.projectId)]));
    const voters = [...lastBallots]
      .map(([voter, selection]) => ({ id: voter, approvals: ballotIndexesOf(selection).flatMap((i) => (ids.has(i) ? [ids.get(i)!] : [])) }))
      .filter((v) => v.approvals.length > 0);
    return { budget, unit: 1_000_000n, projects: projects.filter((p) => p.envelope === envelope).map((p) => ({ id: String(p.projectId), cost: p.cost })), voters };
  });
  return { head, entries, lastBallots, projects, envelopes, elections, badLink };
}

/**
 * Participatory-budget money: ParticipatoryBudget's CityCoin balance equals Σ project escrow + Σ tranches held for
 * members (ParticipatoryBudget's NatSpec). From the events alone: `ProjectFunded` puts a winner's cost in escrow (their
 * sum is the round's `RoundFunded.total`); `TrancheReleased` takes a tranche out of it (never more than is left), paid
 * to the proposer or, for a proposer who is not an active member, held for them (`TrancheHeld`, whose running total
 * must follow); `HeldWithdrawn` and `HeldForfeited` pay out everything held for an account, `ProposerMigrated` moves it
 * to the recovered key; `ProjectClosed` returns what is left in escrow to the treasury.
 */
export const budgetEscrowCheck: AuditCheck = {
  id: "budget.escrow",
  title: "ParticipatoryBudget holds exactly the escrow of its funded projects plus the tranches held for members",
  contracts: ["ParticipatoryBudget", "CityCoin"],
  async run(ctx) {
    const id = this.id;
    const results: CheckResult[] = [];
    const escrow = new Map<string, bigint>();
    const held = new Map<string, bigint>();
    const fundedOfRound = new Map<string, bigint>();
    let tranches = 0;
    let heldTranches = 0;
    const heldOf = (a: string) => held.get(a.toLowerCase()) ?? 0n;
    for (const e of ctx.events.of("ParticipatoryBudget")) {
      const project = `${"roundId" in e.args ? e.args.roundId : undefined}/${"projectId" in e.args ? e.args.projectId : undefined}`;
      const record = (what: string) => `entry ${e.seq} (${e.name}, ${what})`;
      switch (e.name) {
        case "ProjectFunded": {
          if (escrow.has(project)) results.push(fail(id, record(`project ${project}`), "funds a project that was already funded"));
          const cost = BigInt(e.args.amount);
          escrow.set(project, cost);
          const round = String(e.args.roundId);
          fundedOfRound.set(round, (fundedOfRound.get(round) ?? 0n) + cost);
          break;
        }
        case "RoundFunded": {
          const round = String(e.args.roundId);
          const sum = fundedOfRound.get(round) ?? 0n;
          const total = BigInt(e.args.total);
          if (sum !== total) results.push(fail(id, record(`round ${round}`), `moves €${euros(total)} from the treasury; its projects' escrows add up to €${euros(sum)}`));
          break;
        }
        case "TrancheReleased": {
          tranches++;
          const left = escrow.get(project);
          const amount = BigInt(e.args.amount);
          if (left === undefined) results.push(fail(id, record(`project ${project}`), "releases a tranche of a project never funded"));
          else if (amount > left) results.push(fail(id, record(`project ${project}`), `releases €${euros(amount)} of an escrow of €${euros(left)}`));
          escrow.set(project, (left ?? 0n) - amount);
          break;
        }
        case "TrancheHeld": {
          heldTranches++;
          const account = e.args.recipient.toLowerCase();
          const total = heldOf(account) + BigInt(e.args.amount);
          held.set(account, total);
          if (total !== BigInt(e.args.held)) {
            results.push(fail(id, record(e.args.recipient), `states €${euros(BigInt(e.args.held))} held; the events hold €${euros(total)}`));
          }
          break;
        }
        case "HeldWithdrawn":
        case "HeldForfeited": {
          const account = e.args.account.toLowerCase();
          const amount = BigInt(e.args.amount);
          if (amount !== heldOf(account)) {
            results.push(fail(id, record(e.args.account), `pays out €${euros(amount)}; the events hold €${euros(heldOf(account))} for the account`));
          }
          held.set(account, 0n);
          break;
        }
        case "ProposerMigrated": {
          const from = e.args.from.toLowerCase();
          const to = e.args.to.toLowerCase();
          const amount = BigInt(e.args.amount);
          if (amount !== heldOf(from)) {
            results.push(fail(id, record(`${e.args.from} → ${e.args.to}`), `moves €${euros(amount)}; the events hold €${euros(heldOf(from))} for the old key`));
          }
          held.set(from, 0n);
          held.set(to, heldOf(to) + amount);
          break;
        }
        case "ProjectClosed": {
          const left = escrow.get(project) ?? 0n;
          const returned = BigInt(e.args.returned);
          if (returned !== left) results.push(fail(id, record(`project ${project}`), `returns €${euros(returned)} to the treasury; the escrow left is €${euros(left)}`));
          escrow.set(project, 0n);
          break;
        }
      }
    }
    const inEscrow = [...escrow.values()].reduce((s, v) => s + v, 0n);
    const inHeld = [...held.values()].reduce((s, v) => s + v, 0n);
    const holders = [...held.values()].filter((v) => v !== 0n).length;
    results.push(
      await escrowBalance(
        ctx,
        id,
        "ParticipatoryBudget",
        inEscrow + inHeld,
        `the escrow of ${escrow.size} funded projects €${euros(inEscrow)} (${tranches} tranches released) + held for ${holders} members €${euros(inHeld)} (${heldTranches} tranches held)`,
      ),
    );
    return results;
  },
};
