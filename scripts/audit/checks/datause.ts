/**
 * Data use: the node's violations and monthly bulletins equal what the SDK computes (`recordFindings`,
 * `computeBulletin`) from the log re-derived from the chain — DataUseRegistry's and CityRegistry's events up to the log
 * size each answer names — and the access records the node keeps, which must hash to the batch roots in that log. Each
 * bulletin's signature is checked against the node's key, and the log root it names against the re-derived tree.
 */
import { bytesToHex, getAddress, type Hex } from "viem";
import {
  accessRecordsRoot,
  computeBulletin,
  formatPeriod,
  recordFindings,
  verifyBulletin,
  type AccessRecord,
  type DataUseBulletin,
  type DataUseFacts,
  type RecordFinding,
} from "@cityledger/sdk/datause";
import type { AuditCheck, AuditContext, CheckResult } from "../types";
import { fail, pass } from "./result";

/** The facts of the log's first `size` entries, from the audit's own decoding of the events. */
export function factsFromLog(ctx: Pick<AuditContext, "events" | "tree">, size: number): Omit<DataUseFacts, "batches"> & { batches: Omit<DataUseFacts["batches"][number], "records">[] } {
  const facts: ReturnType<typeof factsFromLog> = { log: { size, root: bytesToHex(ctx.tree.root(size)) }, processors: [], purposes: [], consents: [], members: [], batches: [] };
  const purposes = new Map<bigint, DataUseFacts["purposes"][number]>();
  for (const e of ctx.events.of("DataUseRegistry")) {
    if (e.seq >= size) break;
    switch (e.name) {
      case "ProcessorRegistered":
        facts.processors.push({ id: e.args.processorId, nameHash: e.args.nameHash, contactUri: e.args.contactUri });
        break;
      case "PurposeDeclared":
      case "PurposeUpdated": {
        const { terms, at } = e.args;
        const version = e.name === "PurposeDeclared" ? { version: 1, consentEpoch: 1, material: false } : { version: e.args.version, consentEpoch: e.args.consentEpoch, material: e.args.material };
        const v = { ...version, legalBasis: terms.legalBasis, categories: terms.categories, timestamp: Number(at) };
        const p = purposes.get(e.args.purposeId);
        if (p) p.versions.push(v);
        else purposes.set(e.args.purposeId, { id: e.args.purposeId, processorId: e.args.processorId, versions: [v] });
        break;
      }
      case "ConsentGranted":
      case "ConsentWithdrawn":
        facts.consents.push({ purposeId: e.args.purposeId, member: e.args.member.toLowerCase(), granted: e.name === "ConsentGranted", epoch: e.args.consentEpoch, timestamp: Number(e.args.at) });
        break;
      case "BatchPublished":
        facts.batches.push({ processorId: e.args.processorId, period: e.args.period, root: e.args.root, recordCount: e.args.recordCount });
        break;
      case "SaltRevealed": {
        const b = facts.batches.find((x) => x.processorId === e.args.processorId && x.period === e.args.period);
        if (b) b.salt = e.args.salt;
        break;
      }
    }
  }
  facts.purposes = [...purposes.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const members = new Map<string, { active: boolean; since: number }>();
  for (const e of ctx.events.of("CityRegistry")) {
    if (e.seq >= size) break;
    const set = (account: string, active: boolean) => {
      const m = members.get(account.toLowerCase());
      if (m) m.active = active;
    };
    if (e.name === "MemberRegistered") members.set(e.args.account.toLowerCase(), { active: true, since: Number(e.args.since) });
    else if (e.name === "MemberReinstated") set(e.args.account, true);
    else if (e.name === "MemberSuspended" || e.name === "MemberRemoved") set(e.args.account, false);
    else if (e.name === "MigrationCompleted") {
      const from = members.get(e.args.from.toLowerCase());
      if (from) {
        members.set(e.args.to.toLowerCase(), { ...from });
        from.active = false;
      }
    }
  }
  facts.members = [...members].sort(([a], [b]) => (a < b ? -1 : 1)).map(([member, m]) => ({ member, ...m }));
  facts.processors.sort((a, b) => (a.id < b.id ? -1 : 1));
  return facts;
}

interface RecordsJson {
  records: { pseudonym: Hex; purposeId: string; category: number; count: number; timeBucket: number }[];
}

/** The records the node keeps for each batch, each checked against its root in the log (undefined: none kept). */
async function recordsOf(ctx: AuditContext, batches: ReturnType<typeof factsFromLog>["batches"], results: CheckResult[], id: string): Promise<Map<string, AccessRecord[]>> {
  const out = new Map<string, AccessRecord[]>();
  for (const b of batches) {
    const answer = await ctx.node!.json<RecordsJson>(`/v1/datause/batches/${b.processorId}/${b.period}/records`);
    if (!answer) continue;
    const records = answer.records.map((r) => ({ ...r, purposeId: BigInt(r.purposeId) }));
    const root = accessRecordsRoot(records);
    const record = `batch ${b.processorId}/${b.period}`;
    if (root !== b.root.toLowerCase() || records.length !== b.recordCount) {
      results.push(fail(id, record, `the node keeps ${records.length} records hashing to ${root}; the log commits to ${b.recordCount} records under ${b.root}`));
      continue;
    }
    out.set(`${b.processorId}/${b.period}`, records);
  }
  return out;
}

const findingKey = (f: Pick<RecordFinding, "processorId" | "period" | "index" | "violation"> & { member?: string | null }) =>
  `${f.processorId}/${f.period}#${f.index} ${f.violation} ${f.member ? getAddress(f.member) : "-"}`;

export const datauseCheck: AuditCheck = {
  id: "datause.consent",
  title: "the node's data-use violations and monthly bulletins equal their recomputation from the log and the records it keeps (checked against their roots)",
  contracts: ["DataUseRegistry", "CityRegistry"],
  needsNode: true,
  async run(ctx) {
    const id = this.id;
    const results: CheckResult[] = [];
    const node = ctx.node!;

    // Violations, at the log position the node answered from.
    const violations = await node.json<{ seq: number; items: { processorId: string; period: number; index: number; member?: string; violation: string }[] }>("/v1/datause/violations");
    if (!violations) return [{ check: id, status: "skip", record: "DataUseRegistry", message: "the node serves no data-use records (not ready, or kept none)" }];
    if (violations.seq > ctx.tree.size) return [fail(id, "violations", `the node answered at log size ${violations.seq}, beyond the audited ${ctx.tree.size}: audit a later block`)];
    const atViolations = factsFromLog(ctx, violations.seq);
    const records = await recordsOf(ctx, atViolations.batches, results, id);
    const withRecords = (f: ReturnType<typeof factsFromLog>): DataUseFacts => ({ ...f, batches: f.batches.map((b) => ({ ...b, records: records.get(`${b.processorId}/${b.period}`) })) });
    const mine = recordFindings(withRecords(atViolations)).filter((f) => f.violation).map(findingKey);
    const theirs = violations.items.map((v) => findingKey({ ...v, processorId: BigInt(v.processorId), violation: v.violation as RecordFinding["violation"] }));
    const missing = mine.filter((k) => !theirs.includes(k));
    const extra = theirs.filter((k) => !mine.includes(k));
    results.push(
      missing.length === 0 && extra.length === 0
        ? pass(id, `violations (log size ${violations.seq})`, `${mine.length} violations recomputed from the log and ${records.size} record batches, as the node flags them`, { violations: mine.length })
        : fail(id, `violations (log size ${violations.seq})`, `the node ${missing.length ? `misses ${missing.join(", ")}` : ""}${missing.length && extra.length ? " and " : ""}${extra.length ? `flags ${extra.join(", ")} that the log does not make violations` : ""}`),
    );

    // One bulletin per month with a batch: signature, log root, and every figure.
    const key = ctx.options.nodeKey ?? (await node.checkpoint()).verifierKey;
    for (const period of [...new Set(atViolations.batches.map((b) => b.period))].sort()) {
      const record = `bulletin ${formatPeriod(period)}`;
      const answer = await node.json<{ bulletin: DataUseBulletin; note: string }>(`/v1/datause/bulletins/${formatPeriod(period)}`);
      if (!answer) {
        results.push(fail(id, record, "the node serves no bulletin for this month"));
        continue;
      }
      const { bulletin, note } = answer;
      try {
        verifyBulletin(bulletin, note, key);
      } catch (error) {
        results.push(fail(id, record, `its signature does not hold: ${(error as Error).message}`));
        continue;
      }
      if (bulletin.log.size > ctx.tree.size) {
        results.push(fail(id, record, `computed at log size ${bulletin.log.size}, beyond the audited ${ctx.tree.size}: audit a later block`));
        continue;
      }
      const facts = withRecords(factsFromLog(ctx, bulletin.log.size));
      if (facts.log.root !== bulletin.log.root) {
        results.push(fail(id, record, `names root ${bulletin.log.root} at size ${bulletin.log.size}; the log re-derived from the chain has ${facts.log.root}`));
        continue;
      }
      const recomputed = computeBulletin(facts, period);
      const same = JSON.stringify(recomputed) === JSON.stringify(bulletin);
      const figures = { accesses: recomputed.purposes.reduce((s, p) => s + p.accesses, 0), violations: recomputed.violations.length, logSize: bulletin.log.size };
      results.push(
        same
          ? pass(id, record, `signed by the node, computed at log size ${bulletin.log.size}, and equal to its recomputation from the log and the records`, figures)
          : fail(id, record, `differs from its recomputation from the log and the records: ${firstDifference(recomputed, bulletin)}`, figures),
      );
    }
    return results;
  },
};

/** Where two bulletins first differ, for the report. */
function firstDifference(want: DataUseBulletin, got: DataUseBulletin): string {
  for (const k of Object.keys(want) as (keyof DataUseBulletin)[]) {
    if (JSON.stringify(want[k]) !== JSON.stringify(got[k])) return `${k} is ${JSON.stringify(got[k]).slice(0, 160)}, want ${JSON.stringify(want[k]).slice(0, 160)}`;
  }
  return "the key order or an extra field";
}
