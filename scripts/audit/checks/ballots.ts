/**
 * Ballot tallies, recounted from the votes in the log: for every finalized ballot of CityBallots, the per-option
 * counts, turnout and counted ballots of `BallotFinalized`, and each college's and district's part
 * (`BallotCollegeResult`, `BallotDistrictResult`), against a recount of the voters' last choices (open ballots), their
 * revealed choices (sealed ballots) or their signatures (petitions). The counting rules are CityBallots' NatSpec:
 * a voter's last vote counts; approval choices are bitmaps; unrevealed commitments are turnout only. A ballot voted in
 * many districts is finalized in pages (`BallotResultsPaged`, then `BallotFinalized`): its district results are
 * spread over those transactions, each district reported once.
 */
import type { CityEventOf } from "@cityledger/sdk/ledger";
import type { AuditEvent } from "../events";
import type { AuditCheck, CheckResult } from "../types";
import { fail, pass } from "./result";

interface Voter {
  college: number;
  district: number;
  /** The counted choice: last open vote or revealed choice; undefined = turnout only (unrevealed commitment). */
  choice?: bigint;
}

interface Tally {
  turnout: number;
  counted: number;
  counts: bigint[];
}

const emptyTally = (n: number): Tally => ({ turnout: 0, counted: 0, counts: Array.from({ length: n }, () => 0n) });

export const ballotsCheck: AuditCheck = {
  id: "ballots.tallies",
  title: "every finalized ballot's counts, turnout and per-college and per-district results equal a recount of its votes",
  contracts: ["CityBallots"],
  async run(ctx) {
    const id = this.id;
    const approval = new Map<string, boolean>();
    const voters = new Map<string, Map<string, Voter>>();
    type Final<E extends "BallotFinalized" | "BallotCollegeResult" | "BallotDistrictResult"> = AuditEvent<"CityBallots"> & CityEventOf<"CityBallots", E>;
    const finals = new Map<string, { totals?: Final<"BallotFinalized">; colleges: Final<"BallotCollegeResult">[]; districts: Final<"BallotDistrictResult">[] }>();
    const votersOf = (ballot: string) => {
      let m = voters.get(ballot);
      if (!m) voters.set(ballot, (m = new Map()));
      return m;
    };
    const finalOf = (ballot: string) => {
      let f = finals.get(ballot);
      if (!f) finals.set(ballot, (f = { colleges: [], districts: [] }));
      return f;
    };
    for (const e of ctx.events.of("CityBallots")) {
      const ballot = String("ballotId" in e.args ? e.args.ballotId : "petitionId" in e.args ? e.args.petitionId : undefined);
      const voter = String("voter" in e.args ? e.args.voter : undefined);
      switch (e.name) {
        case "BallotCreated":
          approval.set(ballot, Boolean((e.args.params as { approval: boolean }).approval));
          break;
        case "VoteCast":
          votersOf(ballot).set(voter, { college: Number(e.args.college), district: Number(e.args.district), choice: e.args.choice });
          break;
        case "VoteCommitted":
          votersOf(ballot).set(voter, { college: Number(e.args.college), district: Number(e.args.district) });
          break;
        case "VoteRevealed": {
          const v = votersOf(ballot).get(voter);
          if (v) v.choice = e.args.choice;
          break;
        }
        case "PetitionSigned":
          votersOf(ballot).set(voter, { college: Number(e.args.college), district: Number(e.args.district), choice: 0n });
          break;
        case "BallotFinalized":
          finalOf(ballot).totals = e;
          break;
        case "BallotCollegeResult":
          finalOf(ballot).colleges.push(e);
          break;
        case "BallotDistrictResult":
          finalOf(ballot).districts.push(e);
          break;
      }
    }
    const results: CheckResult[] = [];
    let open = 0;
    for (const ballot of new Set([...approval.keys(), ...voters.keys()])) if (!finals.get(ballot)?.totals) open++;
    for (const [ballot, fin] of finals) {
      if (!fin.totals) continue;
      const n = fin.totals.args.counts.length;
      const whole = emptyTally(n);
      const byCollege = new Map<number, Tally>();
      const byDistrict = new Map<number, Tally>();
      for (const v of votersOf(ballot).values()) {
        const parts = [whole, row(byCollege, v.college, n), row(byDistrict, v.district, n)];
        for (const t of parts) {
          t.turnout++;
          if (v.choice === undefined) continue;
          t.counted++;
          if (approval.get(ballot)) {
            for (let o = 0; o < n; o++) if ((v.choice >> BigInt(o)) & 1n) t.counts[o]++;
          } else if (v.choice < BigInt(n)) t.counts[Number(v.choice)]++;
        }
      }
      const bad: CheckResult[] = [];
      const compare = (record: string, stated: { turnout: bigint; counts: readonly bigint[]; counted?: bigint }, mine: Tally) => {
        const same =
          stated.turnout === BigInt(mine.turnout) &&
          (stated.counted === undefined || stated.counted === BigInt(mine.counted)) &&
          stated.counts.length === mine.counts.length &&
          stated.counts.every((c, i) => c === mine.counts[i]);
        if (!same) {
          bad.push(
            fail(id, record, `states turnout ${stated.turnout}${stated.counted !== undefined ? `, counted ${stated.counted}` : ""}, counts [${stated.counts.join(", ")}]; the votes give turnout ${mine.turnout}${stated.counted !== undefined ? `, counted ${mine.counted}` : ""}, counts [${mine.counts.join(", ")}]`),
          );
        }
      };
      const t = fin.totals;
      compare(`ballot ${ballot} (entry ${t.seq}, BallotFinalized)`, { turnout: t.args.turnout, counted: t.args.counted, counts: t.args.counts }, whole);
      for (const c of fin.colleges) {
        compare(`ballot ${ballot}, college ${c.args.college} (entry ${c.seq})`, { turnout: c.args.turnout, counts: c.args.counts }, byCollege.get(Number(c.args.college)) ?? emptyTally(n));
      }
      for (const d of fin.districts) {
        compare(`ballot ${ballot}, district ${d.args.district} (entry ${d.seq})`, { turnout: d.args.turnout, counts: d.args.counts }, byDistrict.get(Number(d.args.district)) ?? emptyTally(n));
      }
      // Finalized in pages (finalizePage, then finalize) or at once: each district with votes is reported exactly once.
      const reportedDistricts = new Set<number>();
      for (const d of fin.districts) {
        const district = Number(d.args.district);
        if (reportedDistricts.has(district)) bad.push(fail(id, `ballot ${ballot}, district ${district} (entry ${d.seq})`, "a second BallotDistrictResult for the same district"));
        reportedDistricts.add(district);
      }
      for (const district of byDistrict.keys()) {
        if (!reportedDistricts.has(district)) bad.push(fail(id, `ballot ${ballot}, district ${district}`, "has votes but no BallotDistrictResult"));
      }
      results.push(
        ...(bad.length > 0
          ? bad
          : [
              pass(id, `ballot ${ballot}`, `turnout ${whole.turnout}, counts [${whole.counts.join(", ")}], ${fin.colleges.length} college and ${fin.districts.length} district results equal the recount`, {
                turnout: whole.turnout,
                counted: whole.counted,
                counts: whole.counts.join(" "),
              }),
            ]),
      );
    }
    if (results.length === 0) results.push({ check: id, status: "skip", record: "CityBallots", message: `no finalized ballot (${open} open)` });
    return results;
  },
};

function row(map: Map<number, Tally>, key: number, n: number): Tally {
  let t = map.get(key);
  if (!t) map.set(key, (t = emptyTally(n)));
  return t;
}
