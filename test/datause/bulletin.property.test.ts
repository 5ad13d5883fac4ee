/**
 * The bulletin against a naive recomputation (fast-check): random grants, withdrawals and material changes of a
 * consent-based purpose, and random access batches under it and under a public-task purpose. The oracle replays the
 * contract's state instant by instant (never the SDK's consent intervals): a record is a violation exactly when, under
 * the consent-based purpose, no instant of its hour saw the member's consent stand; the bulletin's accesses, records,
 * members concerned, grants, withdrawals, consenting members and violations are the oracle's.
 */
import { expect } from "chai";
import fc from "fast-check";
import { getAddress, type Address, type Hex } from "viem";
import { computeBulletin, periodBounds, pseudonymOf, type AccessRecord, type DataUseFacts } from "../../sdk/src/datause";

const HOUR = 3600;
const PERIOD = 202611;
const { start, end } = periodBounds(PERIOD);
const MEMBERS = Array.from({ length: 5 }, (_, i) => getAddress(`0x${(i + 1).toString(16).padStart(40, "a")}`) as Address);
const SALT = `0x${"5a".repeat(32)}` as Hex;
const ROOT = `0x${"00".repeat(32)}` as Hex;

/** Actions at distinct, increasing times through the month (some before it: what stands when it begins). */
const scenario = fc.record({
  actions: fc.array(fc.record({ gap: fc.integer({ min: 1, max: 3 * 24 * HOUR }), action: fc.oneof(fc.record({ kind: fc.constant("toggle" as const), member: fc.nat(MEMBERS.length - 1) }), fc.constant({ kind: "material" as const })) }), { maxLength: 30 }),
  accesses: fc.array(fc.record({ member: fc.nat(MEMBERS.length - 1), purpose: fc.constantFrom(1 as const, 2 as const), hour: fc.nat(30 * 24 - 1), count: fc.integer({ min: 1, max: 50 }) }), { maxLength: 40 }),
});

describe("data-use bulletin (property): counts and violations equal a naive recomputation", () => {
  it("holds for random consents, withdrawals, material changes and access batches", () => {
    fc.assert(
      fc.property(scenario, ({ actions, accesses }) => {
        // The contract's rules, replayed: a toggle grants when the member's consent does not stand, withdraws when it does.
        let t = start - 5 * 24 * HOUR;
        let epoch = 1;
        const consent = new Map<number, { granted: boolean; epoch: number }>();
        const facts: DataUseFacts = {
          log: { size: 1, root: ROOT },
          processors: [{ id: 1n, nameHash: ROOT, contactUri: "" }],
          purposes: [
            { id: 1n, processorId: 1n, versions: [{ version: 1, consentEpoch: 1, material: false, legalBasis: 0, categories: 2, timestamp: start - 10 * 24 * HOUR }] },
            { id: 2n, processorId: 1n, versions: [{ version: 1, consentEpoch: 1, material: false, legalBasis: 4, categories: 1, timestamp: start - 10 * 24 * HOUR }] },
          ],
          consents: [],
          members: MEMBERS.map((m) => ({ member: m.toLowerCase(), active: true, since: start - 20 * 24 * HOUR })),
          batches: [],
        };
        /** Every state change with its time: the oracle's timeline. */
        const timeline: { t: number; apply: () => void }[] = [];
        for (const { gap, action } of actions) {
          t += gap;
          if (action.kind === "material") {
            epoch += 1;
            const v = facts.purposes[0]!.versions;
            v.push({ version: v.length + 1, consentEpoch: epoch, material: true, legalBasis: 0, categories: 2 | 1, timestamp: t });
            const e = epoch;
            timeline.push({ t, apply: () => (oracleEpoch = e) });
          } else {
            const c = consent.get(action.member);
            const stands = c !== undefined && c.granted && c.epoch === epoch;
            consent.set(action.member, { granted: !stands, epoch });
            facts.consents.push({ purposeId: 1n, member: MEMBERS[action.member]!.toLowerCase(), granted: !stands, epoch, timestamp: t });
            const [m, g, e] = [action.member, !stands, epoch];
            timeline.push({ t, apply: () => oracleConsent.set(m, { granted: g, epoch: e }) });
          }
        }
        let oracleEpoch = 1;
        const oracleConsent = new Map<number, { granted: boolean; epoch: number }>();
        /** Whether `member`'s consent stands at instant `at` (state after every change at or before it). */
        const standsAt = (member: number, at: number) => {
          oracleEpoch = 1;
          oracleConsent.clear();
          for (const change of timeline) if (change.t <= at) change.apply();
          const c = oracleConsent.get(member);
          return c !== undefined && c.granted && c.epoch === oracleEpoch;
        };

        const records: AccessRecord[] = accesses.map((a) => ({
          pseudonym: pseudonymOf(MEMBERS[a.member]!, BigInt(a.purpose), SALT),
          purposeId: BigInt(a.purpose),
          category: a.purpose === 1 ? 2 : 1,
          count: a.count,
          timeBucket: start + a.hour * HOUR,
        }));
        facts.batches.push({ processorId: 1n, period: PERIOD, root: ROOT, recordCount: records.length, salt: SALT, records });
        const bulletin = computeBulletin(facts, PERIOD);

        // Violations: under purpose 1, no instant of the hour (its start, or any change inside it) with consent.
        const violating = accesses.flatMap((a, index) => {
          if (a.purpose !== 1) return [];
          const from = start + a.hour * HOUR;
          const instants = [from, ...timeline.filter((c) => c.t > from && c.t < from + HOUR).map((c) => c.t)];
          return instants.some((at) => standsAt(a.member, at)) ? [] : [index];
        });
        expect(bulletin.violations.map((v) => v.index)).to.deep.equal(violating);
        for (const v of bulletin.violations) expect(v.member).to.equal(MEMBERS[accesses[v.index]!.member]);

        const of = (purpose: 1 | 2) => accesses.filter((a) => a.purpose === purpose);
        for (const purpose of [1, 2] as const) {
          const line = bulletin.purposes.find((p) => p.purposeId === String(purpose))!;
          const mine = of(purpose);
          expect(line.accesses).to.equal(mine.reduce((s, a) => s + a.count, 0));
          expect(line.records).to.equal(mine.length);
          expect(line.membersConcerned).to.equal(new Set(mine.map((a) => a.member)).size);
          expect(line.violations).to.equal(purpose === 1 ? violating.length : 0);
        }
        const study = bulletin.purposes[0]!;
        const inMonth = facts.consents.filter((c) => c.timestamp >= start && c.timestamp < end);
        expect([study.grants, study.withdrawals]).to.deep.equal([inMonth.filter((c) => c.granted).length, inMonth.filter((c) => !c.granted).length]);
        const consenting = MEMBERS.filter((_, i) => standsAt(i, end - 1)).length;
        expect([study.consenting, study.consentRateBp]).to.deep.equal([consenting, Math.floor((consenting * 10_000) / MEMBERS.length)]);
        expect(bulletin.eligibleMembers).to.equal(MEMBERS.length);
      }),
      { numRuns: 150 },
    );
  });
});
