import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Level } from "level";
import { ZeroAddress, id } from "ethers";
import { getAddress } from "viem";
import { CityEventDecoder } from "@cityledger/sdk/ledger";
import type { DecodedEntry, RawLog } from "../../ledger-node/src/types";
import { DEFAULT_PROJECTIONS, ProjectionEngine, ProjectionStore, canonicalHash, canonicalJson } from "../../ledger-node/src/projections";
import { MemberStatus, createQueries, currencyProjection, incomeProjection, membersProjection, rolesProjection } from "../../ledger-node/src/domains";
import { Roles } from "../../scripts/lib/roles";
import { cityLogs, scenarioFixture, type Scenario } from "./projections.scenario.test";

/** The scenario's logs, decoded as the node decodes them. */
async function scenarioEntries(): Promise<{ f: Scenario; logs: RawLog[]; entries: DecodedEntry[] }> {
  const f = await loadFixture(scenarioFixture);
  const logs = await cityLogs(f);
  const decoder = new CityEventDecoder(f.record);
  const entries: DecodedEntry[] = [];
  logs.forEach((log, seq) => {
    const event = decoder.decode(log);
    if (event) entries.push({ seq, log, event, timestamp: 0 });
  });
  return { f, logs, entries };
}

function engineOf(entries: readonly DecodedEntry[]): ProjectionEngine {
  const engine = new ProjectionEngine();
  engine.apply(entries);
  return engine;
}

describe("projections (reduced from the real contracts' logs)", () => {
  let f: Scenario;
  let logs: RawLog[];
  let entries: DecodedEntry[];
  let engine: ProjectionEngine;

  before(async () => {
    ({ f, logs, entries } = await scenarioEntries());
    engine = engineOf(entries);
  });

  it("decodes every log of the city (no entry is left without an event)", () => {
    expect(logs.length).to.be.greaterThan(100);
    expect(entries.length).to.equal(logs.length);
    expect(engine.seq).to.equal(logs.length);
  });

  describe("members", () => {
    it("matches CityRegistry.memberOf for every record, and getVotes", async () => {
      const state = engine.state(membersProjection);
      expect(state.members.size).to.equal(7); // six registered and grace (migrated to); heidi's migration was cancelled
      for (const m of state.members.values()) {
        const onChain = await f.registry.memberOf(m.address);
        expect(Number(onChain.status), m.address).to.equal(m.status);
        expect(Number(onChain.college)).to.equal(m.college);
        expect(Number(onChain.district)).to.equal(m.district);
        expect(onChain.flags).to.equal(m.flags);
        expect(Number(onChain.since)).to.equal(m.since);
        expect(onChain.credentialHash).to.equal(m.credentialHash);
        expect(await f.registry.getVotes(m.address)).to.equal(m.votes);
      }
      // Nobody the projection does not know is a member.
      for (const p of f.people) {
        if (!state.members.has(p.address.toLowerCase())) expect((await f.registry.memberOf(p.address)).status).to.equal(0n);
      }
    });

    it("follows each status change, the migration and the update", () => {
      const state = engine.state(membersProjection);
      const get = (s: { address: string }) => state.members.get(s.address.toLowerCase())!;
      expect(get(f.carol).history.map((c) => c.event)).to.deep.equal(["MemberRegistered", "MemberSuspended", "MemberReinstated"]);
      expect(get(f.carol).history[1].reasonHash).to.equal(id("reason: check"));
      expect(get(f.erin).status).to.equal(MemberStatus.Suspended);
      expect(get(f.frank).status).to.equal(MemberStatus.Removed);
      expect(get(f.bob).status).to.equal(MemberStatus.Removed);
      expect(get(f.bob).migratedTo).to.equal(f.grace.address.toLowerCase());
      expect(get(f.grace).migratedFrom).to.equal(f.bob.address.toLowerCase());
      expect(get(f.grace).status).to.equal(MemberStatus.Active);
      expect(get(f.dave).history.map((c) => c.event)).to.deep.equal(["MemberRegistered", "MemberUpdated"]);
      expect(state.migrations.size).to.equal(0);
      for (const c of get(f.grace).history) expect(c.seq).to.be.lessThan(engine.seq);
    });

    it("records who approved a pending migration (MigrationApproved) until it completes", () => {
      const approved = entries.find((e) => e.event.name === "MigrationApproved")!;
      const partial = engineOf(entries.filter((e) => e.seq <= approved.seq));
      const pending = partial.state(membersProjection).migrations.get(f.bob.address.toLowerCase())!;
      expect(pending).to.deep.include({
        to: f.grace.address.toLowerCase(),
        startedBy: f.registrar.address.toLowerCase(),
        approvedBy: f.orchestrator.address.toLowerCase(),
      });
      const started = engineOf(entries.filter((e) => e.seq < approved.seq)).state(membersProjection);
      expect(started.migrations.get(f.bob.address.toLowerCase())!.approvedBy).to.equal(null);
    });

    it("matches the colleges' names, states and sizes", async () => {
      const state = engine.state(membersProjection);
      expect([...state.colleges.keys()].sort()).to.deep.equal([0, 1, 2, 3, 4]);
      for (const c of state.colleges.values()) {
        const [name, enabled] = await f.registry.collegeInfo(c.id);
        expect(c.name).to.equal(name);
        expect(c.enabled).to.equal(enabled);
        expect(BigInt(c.size), `college ${c.id}`).to.equal(await f.registry.getCollegeSize(c.id));
      }
      expect(state.colleges.get(3)!.suspended).to.equal(1); // erin
      expect(state.migrationDelay).to.equal(Number(await f.registry.migrationDelay()));
      // CityCoin first, then the services that follow key recoveries (BasicIncome and ParticipatoryBudget among them), as
      // the registry lists them.
      expect(state.listeners).to.deep.equal((await f.registry.membershipListeners()).map((a) => a.toLowerCase()));
      expect(state.listeners).to.include.members([f.coin, f.income, f.budget].map((c) => String(c.target).toLowerCase()));
      expect(state.listeners[0]).to.equal(String(f.coin.target).toLowerCase());
    });
  });

  describe("roles", () => {
    it("matches CityAuthority.hasRole for every holder, and the revocation", async () => {
      const state = engine.state(rolesProjection);
      let holders = 0;
      for (const r of state.roles.values()) {
        for (const h of r.holders.values()) {
          const [isMember, delay] = await f.authority.hasRole(r.id, h.account);
          expect(isMember, `${r.id} ${h.account}`).to.equal(true);
          expect(Number(delay)).to.equal(h.delay);
          holders++;
        }
        expect(await f.authority.getRoleAdmin(r.id)).to.equal(r.admin ?? 0n);
      }
      expect(holders).to.be.greaterThan(6);
      const heidi = f.heidi.address.toLowerCase();
      expect(state.roles.get(Roles.WITNESS.toString())!.holders.has(heidi)).to.equal(false);
      expect(state.roles.get(Roles.ARBITER.toString())!.holders.get(heidi)!.delay).to.equal(3600);
      expect(state.roles.get(Roles.ARBITER.toString())!.label).to.equal("ARBITRATOR");
      expect(state.roles.get(Roles.COUNCIL.toString())!.label).to.equal("COUNCIL");
    });

    it("matches getTargetFunctionRole for every wired selector", async () => {
      const state = engine.state(rolesProjection);
      let n = 0;
      for (const t of state.targets.values()) {
        for (const [selector, roleId] of t.functions) {
          expect(await f.authority.getTargetFunctionRole(t.target, selector)).to.equal(roleId);
          n++;
        }
        expect(await f.authority.isTargetClosed(t.target)).to.equal(t.closed);
      }
      expect(n).to.be.greaterThan(20);
    });
  });

  describe("currency", () => {
    it("matches balanceOf for every account and totalSupply", async () => {
      const state = engine.state(currencyProjection);
      let sum = 0n;
      for (const [address, a] of state.accounts) {
        expect(await f.coin.balanceOf(address), address).to.equal(a.balance);
        expect(await f.coin.isCityAccount(address)).to.equal(a.cityAccount);
        expect(await f.coin.canHold(address)).to.equal(a.member || a.cityAccount);
        sum += a.balance;
      }
      for (const s of [f.admin, ...f.people]) expect(await f.coin.balanceOf(s.address)).to.equal(state.accounts.get(s.address.toLowerCase())?.balance ?? 0n);
      expect(state.supply).to.equal(await f.coin.totalSupply());
      expect(sum).to.equal(state.supply);
      expect(state.holders).to.equal([...state.accounts.values()].filter((a) => a.balance !== 0n).length);
    });

    it("matches the reserve, fee, fund, pause, policy and every redemption", async () => {
      const state = engine.state(currencyProjection);
      expect(state.reserve!.reserve).to.equal(await f.coin.reserve());
      expect(state.redemptionFeeBps).to.equal(Number(await f.coin.redemptionFeeBps()));
      expect(state.communityFund).to.equal((await f.coin.communityFund()).toLowerCase());
      expect(state.paused).to.equal(await f.coin.paused());
      expect(state.policy).to.equal(Number(await f.coin.transferPolicy()));
      expect(BigInt(state.redemptions.size)).to.equal(await f.coin.redemptionCount());
      for (const r of state.redemptions.values()) {
        const onChain = await f.coin.redemption(r.id);
        expect(onChain.account.toLowerCase()).to.equal(r.account);
        expect(onChain.payout).to.equal(r.payout);
        expect(onChain.settled).to.equal(r.settled);
        expect(r.amount).to.equal(r.fee + r.payout);
      }
      expect(state.pendingRedemptions).to.equal(1);
      expect(state.issued - state.redeemed).to.equal(state.supply);
    });

    it("labels every transfer: issue, transfer, fee, redeem, migration", () => {
      const state = engine.state(currencyProjection);
      const kinds = (who: { address: string }) =>
        state.accounts.get(who.address.toLowerCase())!._history.map((i) => state.transfers[i]).map((t) => [t.kind, t.amount]);
      const fund = state.communityFund!;
      const fees = state.transfers.filter((t) => t.kind === 3);
      expect(fees.map((t) => t.to)).to.deep.equal([fund, fund]);
      expect(fees.map((t) => t.amount)).to.deep.equal([...state.redemptions.values()].map((r) => r.fee));
      const migrations = state.transfers.filter((t) => t.kind === 4);
      expect(migrations).to.have.length(1);
      expect([migrations[0].from, migrations[0].to]).to.deep.equal([f.bob.address.toLowerCase(), f.grace.address.toLowerCase()]);
      // alice: issue, transfer out, fee, redeem burn, income claims (transfers from BasicIncome), one transfer in.
      expect(kinds(f.alice).map(([k]) => k)).to.deep.equal([1, 0, 3, 2, 0, 0, 0]);
      // Seqs increase along every history.
      for (const a of state.accounts.values()) {
        const seqs = a._history.map((i) => state.transfers[i].seq);
        expect(seqs).to.deep.equal([...seqs].sort((x, y) => x - y));
      }
    });
  });

  describe("income", () => {
    it("matches BasicIncome.program and periodOf for every program and period, and every claim", async () => {
      const state = engine.state(incomeProjection);
      expect(BigInt(state.programs.size)).to.equal(await f.income.programCount());
      for (const p of state.programs.values()) {
        const onChain = await f.income.program(p.id);
        expect(Number(onChain.start)).to.equal(p.start);
        expect(Number(onChain.periodLength)).to.equal(p.periodLength);
        expect(Number(onChain.periodCount)).to.equal(p.periodCount);
        expect(Number(onChain.collegeMask)).to.equal(p.collegeMask);
        expect(Number(onChain.flagBit)).to.equal(p.flagBit);
        expect(onChain.amountPerPeriod).to.equal(p.amountPerPeriod);
        expect(onChain.funded, `funded ${p.id}`).to.equal(p.funded);
        expect(onChain.spent, `spent ${p.id}`).to.equal(p.spent);
        expect(Number(onChain.openPeriods)).to.equal(p.openPeriods);
        for (let k = 0; k < Math.max(p.openPeriods, 3); k++) {
          const pd = await f.income.periodOf(p.id, k);
          const mine = p.periods.get(k);
          expect(pd.opened, `period ${p.id}/${k}`).to.equal(mine !== undefined);
          if (!mine) continue;
          expect(pd.amount).to.equal(mine.amount);
          expect(Number(pd.eligible)).to.equal(mine.eligible);
          expect(Number(pd.claimed)).to.equal(mine.claimed);
          expect(pd.settled).to.equal(mine.settled);
        }
      }
      // BasicIncome remembers each member's latest claimed period per program: check those.
      const latest = new Map<string, (typeof state.claims)[number]>();
      for (const c of state.claims) latest.set(`${c.programId}/${c.account}`, c);
      for (const c of latest.values()) expect(await f.income.hasClaimed(c.programId, c.period, c.account)).to.equal(true);
      for (const c of state.claims) expect(state._claimsByAccount.get(c.account)).to.include(state.claims.indexOf(c));
      expect(state.claims).to.have.length(5);
      const p1 = state.programs.get("1")!;
      expect([p1.periods.get(0)!.claimed, p1.periods.get(1)!.claimed, p1.periods.get(2)!.claimed]).to.deep.equal([2, 2, 0]);
      expect(p1.periods.get(1)!.paid).to.equal(2n * p1.periods.get(1)!.amount);
      const p2 = state.programs.get("2")!;
      expect([p2.ended, p2.periodCount, p2.withdrawn, p2.funded]).to.deep.equal([true, 1, 93_000_000n, 7_000_000n]);
    });
  });

  describe("queries", () => {
    it("serve members, colleges, accounts, supply, redemptions and income with bigints and checksummed addresses", async () => {
      const q = createQueries(engine);
      expect(q.seq()).to.equal(engine.seq);
      const grace = q.members.member(f.grace.address.toLowerCase())!;
      expect(grace.address).to.equal(getAddress(f.grace.address));
      expect(grace.status).to.equal("active");
      expect(grace.migratedFrom).to.equal(getAddress(f.bob.address));
      expect(grace.votes).to.equal(1n);
      expect(q.members.member(f.outsider.address)).to.equal(undefined);
      expect(q.members.member("not an address")).to.equal(undefined);
      expect(q.members.members({ status: "active" }, { limit: 100 }).total).to.equal(4); // alice, carol, dave, grace
      expect(q.members.members({ college: 1 }, { order: "asc" }).items.map((m) => m.address)).to.deep.equal(
        [f.alice, f.bob, f.carol, f.grace].map((s) => getAddress(s.address)),
      );
      expect(q.members.college(1)).to.deep.include({ name: "CITIZENS", size: Number(await f.registry.getCollegeSize(1)) });
      expect(q.members.colleges().map((c) => c.id)).to.deep.equal([0, 1, 2, 3, 4]);

      const alice = q.currency.account(f.alice.address, { limit: 3 });
      expect(alice.balance).to.equal(await f.coin.balanceOf(f.alice.address));
      expect(alice.total).to.equal(7);
      expect(alice.history.map((t) => t.kind)).to.deep.equal(["transfer", "transfer", "transfer"]);
      expect(q.currency.account(f.alice.address, { order: "asc", offset: 1, limit: 3 }).history.map((t) => t.kind)).to.deep.equal(["transfer", "fee", "redeem"]);
      expect(q.currency.account(f.alice.address, { order: "asc" }).history[0].from).to.equal(ZeroAddress);
      expect(q.currency.account(f.outsider.address)).to.deep.include({ balance: 0n, total: 0 });
      expect(q.currency.account(f.alice.address, { limit: 5_000, offset: -3 })).to.deep.include({ limit: 1_000, offset: 0 });
      expect(q.currency.account(f.alice.address, { limit: Number.NaN })).to.deep.include({ limit: 50 });
      expect(q.currency.account(f.alice.address, { offset: 6 }).history).to.have.length(1);
      expect(q.currency.account(f.alice.address, { offset: 7 }).history).to.have.length(0);

      const supply = q.currency.supply();
      expect(supply.totalSupply).to.equal(await f.coin.totalSupply());
      expect(supply.redemptionCount).to.equal(2);
      expect(supply.pendingRedemptions).to.equal(1);
      expect(supply.reserve!.reserve).to.equal(await f.coin.reserve());
      expect(supply.cityAccounts).to.have.members([
        getAddress(f.admin.address),
        getAddress(await f.income.getAddress()),
        getAddress(await f.parking.getAddress()),
        getAddress(await f.market.getAddress()),
        getAddress(await f.budget.getAddress()),
      ]);
      expect(q.currency.redemption(1n)).to.deep.include({ settled: true, account: getAddress(f.alice.address) });
      expect(q.currency.redemption(99n)).to.equal(undefined);
      expect(q.currency.redemptions({ settled: false }).items.map((r) => r.id)).to.deep.equal([2n]);

      const program = q.income.program(1n)!;
      expect(program.periods.map((p) => p.period)).to.deep.equal([0, 1, 2]);
      expect(q.income.programs().map((p) => p.id)).to.deep.equal([1n, 2n]);
      expect(q.income.claims(f.alice.address).items.map((c) => c.period)).to.deep.equal([1, 0]);
      expect(q.income.claims(f.alice.address).total).to.equal(2);

      expect(q.roles.rolesOf(f.heidi.address)).to.deep.equal([Roles.ARBITER]);
      expect(q.roles.role(Roles.REGISTRAR)!.members.map((m) => m.account)).to.deep.equal([getAddress(f.registrar.address)]);
      const targets = q.roles.targets().map((t) => t.target);
      for (const c of [f.registry, f.coin, f.income]) expect(targets).to.include(getAddress(await c.getAddress()));
      expect(q.stateHash().stateHash).to.equal(engine.stateHash());
    });
  });

  describe("determinism", () => {
    it("gives the same state hash to two engines fed the same entries, and hashes {seq, states} canonically", () => {
      const a = engineOf(entries);
      const b = engineOf(entries);
      expect(a.stateHash()).to.match(/^[0-9a-f]{64}$/);
      expect(a.stateHash()).to.equal(b.stateHash());
      expect(a.stateHashes().domains).to.deep.equal(b.stateHashes().domains);
      const states = Object.fromEntries(DEFAULT_PROJECTIONS.map((p) => [p.name, p.encode(a.state(p))]));
      expect(a.stateHash()).to.equal(canonicalHash({ seq: a.seq, states }));
      for (const p of DEFAULT_PROJECTIONS) expect(a.stateHashes().domains[p.name]).to.equal(canonicalHash(states[p.name]));
    });

    it("decodes the same with the fast CityEventDecoder as with viem (addresses lower-cased), giving the same hash", () => {
      const slow = new CityEventDecoder(f.record);
      const fast = new CityEventDecoder(f.record);
      const lower = (v: unknown): unknown =>
        typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v) ? v.toLowerCase() : Array.isArray(v) ? v.map(lower) : v;
      for (const log of logs) {
        const a = slow.decode(log)!;
        const b = fast.decodeFast(log)!;
        expect(b.contract).to.equal(a.contract);
        expect(b.name).to.equal(a.name);
        expect(Object.fromEntries(Object.entries(b.args).map(([k, v]) => [k, lower(v)]))).to.deep.equal(
          Object.fromEntries(Object.entries(a.args).map(([k, v]) => [k, lower(v)])),
        );
      }
      const e = new ProjectionEngine();
      e.applyLog(logs.map((log, seq) => ({ seq, log, leafInput: new Uint8Array(), leafHash: new Uint8Array() })), fast);
      expect(e.stateHash()).to.equal(engine.stateHash());
    });

    it("encodes canonically: decode(encode(state)) re-encodes to the same JSON", () => {
      for (const p of DEFAULT_PROJECTIONS) {
        const json = canonicalJson(p.encode(engine.state(p)));
        expect(canonicalJson(p.encode(p.decode(JSON.parse(json)))), p.name).to.equal(json);
      }
    });

    it("reaches the same hash from a snapshot taken half-way, loaded and caught up", async () => {
      const dir = mkdtempSync(join(tmpdir(), "cityledger-projections-"));
      try {
        const half = Math.floor(entries.length / 2);
        const first = engineOf(entries.slice(0, half));
        let db = await ProjectionStore.open(dir);
        const meta = await first.persist(db);
        expect(meta.seq).to.equal(entries[half - 1].seq + 1);
        await db.close();

        db = await ProjectionStore.open(dir);
        const loaded = await ProjectionEngine.load(db);
        expect(loaded.loadNote).to.equal(undefined);
        expect(loaded.seq).to.equal(first.seq);
        expect(loaded.stateHash()).to.equal(first.stateHash());
        loaded.apply(entries); // the first half is skipped: already applied
        expect(loaded.stateHash()).to.equal(engine.stateHash());

        // A second snapshot replaces the first, and loads to the full state.
        await loaded.persist(db);
        const again = await ProjectionEngine.load(db);
        expect(again.stateHash()).to.equal(engine.stateHash());
        await db.close();

        // Small chunks: many per domain; a smaller state later leaves no stale chunk behind.
        db = await ProjectionStore.open(dir, { chunkChars: 500 });
        const many = await engine.persist(db);
        expect(many.domains.currency.chunks).to.be.greaterThan(10);
        expect((await ProjectionEngine.load(db)).stateHash()).to.equal(engine.stateHash());
        const few = await first.persist(db);
        expect(few.domains.currency.chunks).to.be.lessThan(many.domains.currency.chunks);
        expect((await ProjectionEngine.load(db)).stateHash()).to.equal(first.stateHash());
        let keys = 0;
        for (const name of Object.keys(few.domains)) {
          for (let k = 0; k < many.domains[name].chunks + 1; k++) {
            if ((await db.text(name, k + 1).catch(() => undefined)) !== undefined) keys = k + 1;
          }
          expect(keys, name).to.equal(few.domains[name].chunks);
        }
        await db.close();

        // A corrupted chunk fails the hash check: the engine starts from 0 and says why.
        const raw = new Level<string, string>(dir, { keyEncoding: "utf8", valueEncoding: "utf8" });
        const key = "p:s:currency:00000000";
        const chunk = (await raw.get(key))!;
        await raw.put(key, chunk.replace(/"balance":"(\d)/, (_m, d: string) => `"balance":"${(Number(d) + 1) % 10}`));
        await raw.close();
        db = await ProjectionStore.open(dir);
        const fresh = await ProjectionEngine.load(db);
        expect(fresh.loadNote).to.match(/"currency" at seq \d+ fails its hash check/);
        expect(fresh.seq).to.equal(0);
        await db.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("changes the hash when one entry changes, and when the seq alone changes", () => {
      const i = entries.findIndex((e) => e.event.name === "Transfer" && e.event.contract === "CityCoin");
      const tampered = entries.map((e, k) =>
        k === i ? { ...e, event: { ...e.event, args: { ...e.event.args, value: ((e.event.args as Record<string, unknown>).value as bigint) + 1n } } } : e,
      );
      expect(engineOf(tampered).stateHash()).to.not.equal(engine.stateHash());
      const moved = entries.map((e, k) => (k === i ? { ...e, log: { ...e.log, logIndex: e.log.logIndex + 1 } } : e));
      expect(engineOf(moved).stateHash()).to.not.equal(engine.stateHash());
      const longer = engineOf(entries);
      longer.advanceTo(longer.seq + 1);
      expect(longer.stateHash()).to.not.equal(engine.stateHash());
      expect(longer.stateHashes().domains).to.deep.equal(engine.stateHashes().domains);
    });

    it("refuses to go on, or to persist, after a reducer threw (a half-applied entry)", async () => {
      const i = entries.findIndex((e) => e.event.name === "Transfer" && e.event.contract === "CityCoin");
      const e = engineOf(entries.slice(0, i));
      const { value: _dropped, ...args } = entries[i].event.args as Record<string, unknown>;
      const broken = { ...entries[i], event: { ...entries[i].event, args } };
      expect(() => e.apply([broken])).to.throw(/entry \d+ \(CityCoin.Transfer, tx 0x[0-9a-f]+\) failed to reduce: /);
      expect(() => e.apply(entries.slice(i + 1))).to.throw(/failed to reduce/);
      expect(() => e.advanceTo(e.seq + 10)).to.throw(/failed to reduce/);
      const dir = mkdtempSync(join(tmpdir(), "cityledger-projections-"));
      const db = await ProjectionStore.open(dir);
      try {
        let error: unknown;
        await e.persist(db).catch((x) => (error = x));
        expect(String(error)).to.match(/failed to reduce/);
        expect(await db.meta()).to.equal(undefined);
      } finally {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("rejects nothing it already applied and ignores replays of old entries", () => {
      const e = engineOf(entries);
      const before = e.stateHash();
      e.apply(entries.slice(0, 10));
      expect(e.stateHash()).to.equal(before);
    });
  });
});
