/**
 * Governance results per college: for every proposal of CityGovernor, the for / against / abstain counts of each
 * college recounted from its `CollegeVoteCast` events (one vote per member and proposal, as the governor counts)
 * equal `proposalVotes(proposalId, college)` on chain at the audited block, and a tallied proposal's
 * `ProposalTallied` score is what `weightedResult` gives.
 *
 * Not recomputed here: the weighted score itself from the charter's weights and quorums (it is compared with the
 * contract's own view, not re-derived).
 */
import type { AuditCheck, CheckResult } from "../types";
import { fail, pass } from "./result";

const SUPPORT = ["against", "for", "abstain"] as const;
const COLLEGES = 16;

export const governanceCheck: AuditCheck = {
  id: "governance.colleges",
  title: "every proposal's for / against / abstain counts per college recounted from the votes equal the governor's",
  contracts: ["CityGovernor"],
  async run(ctx) {
    const id = this.id;
    const address = ctx.events.address("CityGovernor");
    const abi = ctx.events.abi("CityGovernor");
    const results: CheckResult[] = [];
    const counts = new Map<string, number[][]>();
    const voted = new Set<string>();
    const tallied = new Map<string, { scoreWad: bigint; seq: number }>();
    for (const e of ctx.events.of("CityGovernor")) {
      if (e.name === "ProposalRules" || e.name === "ProposalCreated") {
        const pid = String(e.args.proposalId);
        if (!counts.has(pid)) counts.set(pid, Array.from({ length: COLLEGES }, () => [0, 0, 0]));
      } else if (e.name === "CollegeVoteCast") {
        const pid = String(e.args.proposalId);
        const key = `${pid}/${String(e.args.voter).toLowerCase()}`;
        if (voted.has(key)) results.push(fail(id, `entry ${e.seq} (CollegeVoteCast, proposal ${pid})`, `${e.args.voter} voted twice`));
        voted.add(key);
        let rows = counts.get(pid);
        if (!rows) counts.set(pid, (rows = Array.from({ length: COLLEGES }, () => [0, 0, 0])));
        const support = Number(e.args.support);
        if (support > 2) results.push(fail(id, `entry ${e.seq} (CollegeVoteCast, proposal ${pid})`, `support ${support} is not against, for or abstain`));
        else rows[Number(e.args.college)][support]++;
      } else if (e.name === "ProposalTallied") {
        tallied.set(String(e.args.proposalId), { scoreWad: e.args.scoreWad, seq: e.seq });
      }
    }
    for (const [pid, rows] of counts) {
      const before = results.length;
      const votes = rows.reduce((s, r) => s + r[0] + r[1] + r[2], 0);
      for (let college = 0; college < COLLEGES; college++) {
        const chain = (await ctx.client.readContract({
          address,
          abi,
          functionName: "proposalVotes",
          args: [BigInt(pid), college],
          blockNumber: ctx.block,
        })) as readonly [bigint, bigint, bigint];
        // proposalVotes returns (for, against, abstain); rows hold [against, for, abstain] as the support codes.
        const onChain = [Number(chain[1]), Number(chain[0]), Number(chain[2])];
        const mine = rows[college];
        if (onChain.some((n, i) => n !== mine[i])) {
          results.push(
            fail(id, `proposal ${pid}, college ${college}`, `the governor counts ${SUPPORT.map((s, i) => `${onChain[i]} ${s}`).join(", ")}; the votes give ${SUPPORT.map((s, i) => `${mine[i]} ${s}`).join(", ")}`),
          );
        }
      }
      const tally = tallied.get(pid);
      if (tally) {
        const [scoreWad] = (await ctx.client.readContract({ address, abi, functionName: "weightedResult", args: [BigInt(pid)], blockNumber: ctx.block })) as readonly [bigint, number];
        if (scoreWad !== tally.scoreWad) results.push(fail(id, `proposal ${pid} (entry ${tally.seq}, ProposalTallied)`, `tallied a score of ${tally.scoreWad}; weightedResult() is ${scoreWad}`));
      }
      if (results.length === before) {
        const figures: Record<string, string | number> = { votes };
        rows.forEach((r, c) => {
          if (r[0] + r[1] + r[2] > 0) figures[`college${c}`] = `${r[1]} for, ${r[0]} against, ${r[2]} abstain`;
        });
        results.push(pass(id, `proposal ${pid}`, `${votes} votes; every college's counts equal proposalVotes()`, figures));
      }
    }
    if (results.length === 0) results.push({ check: id, status: "skip", record: "CityGovernor", message: "no proposal yet" });
    return results;
  },
};
