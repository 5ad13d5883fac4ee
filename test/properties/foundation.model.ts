/**
 * A plain TypeScript model of the foundation (CityRegistry + CityCoin + BasicIncome) for the model-based property
 * tests in foundation.property.test.ts. No chain access here: every operation returns either the custom error the
 * chain must revert with (and the model stays untouched) or an `apply` that performs the effect once the chain has
 * accepted the transaction.
 *
 * Time: the model never reads the clock. The test moves time only in big jumps that stay away from period boundaries
 * and migration deadlines, so the model can decide with `t` = "latest block + 1" and, when a jump crosses a period
 * boundary, take the snapshot a program reads (the second before the period starts) from its state at that moment.
 */

export const Status = { None: 0, Active: 1, Suspended: 2, Removed: 3 } as const;
export type Status = (typeof Status)[keyof typeof Status];

/** What the registry checkpoints (ICityRegistry.Profile); an inactive account reads as all zeros. */
export interface Profile {
  active: boolean;
  college: number;
  district: number;
  flags: bigint;
}
export const INACTIVE: Profile = Object.freeze({ active: false, college: 0, district: 0, flags: 0n });

export interface Member {
  status: Status;
  college: number;
  district: number;
  flags: bigint;
  /** The person behind the membership: the registry holds one membership per credential, and a key migration
   * carries it to the new address. */
  credential: string;
  /** Registration time of the membership (kept by a key migration, renewed by a new registration). */
  since: number;
}

export interface ProgramParams {
  id: bigint;
  collegeMask: number;
  flagBit: number;
  amountPerPeriod: bigint;
}

export interface Schedule {
  /** Start of period 0 (unix seconds). Every program of the fixture shares the schedule. */
  start: number;
  length: number;
}

interface PeriodState {
  amount: bigint;
  eligible: number;
  claimed: number;
  settled: boolean;
}

export class ProgramModel {
  funded = 0n;
  spent = 0n;
  /** Σ IncomeClaimed amounts. */
  paid = 0n;
  openPeriods = 0;
  periods = new Map<number, PeriodState>();
  lastClaimed = new Map<string, number>();
  constructor(readonly params: ProgramParams) {}
}

export type ContractName = "registry" | "coin" | "income";
export interface Revert {
  contract: ContractName;
  error: string;
  args: unknown[];
}
export type Outcome<R = void> = { revert: Revert } | { revert?: undefined; expected: R; apply: (ts: number) => void };

const revert = (contract: ContractName, error: string, ...args: unknown[]): { revert: Revert } => ({
  revert: { contract, error, args },
});
function ok(apply: (ts: number) => void): Outcome;
function ok<R>(apply: (ts: number) => void, expected: R): Outcome<R>;
function ok<R>(apply: (ts: number) => void, expected?: R): Outcome<R | undefined> {
  return { apply, expected };
}

export interface ModelConfig {
  schedule: Schedule;
  programs: ProgramParams[];
  /** City accounts of CityCoin: the community fund, BasicIncome, the treasury. */
  cityAccounts: string[];
  fund: string;
  income: string;
  orchestrator: string;
  feeBps: bigint;
  migrationDelay: number;
  colleges: number;
}

export class Model {
  readonly members = new Map<string, Member>();
  /** credential hash → holder (CityRegistry.credentialHolder). */
  readonly credentials = new Map<string, string>();
  /** Every credential ever registered, in order (so operations can try to reuse one). */
  readonly knownCredentials: string[] = [];
  readonly pending = new Map<string, { to: string; readyAt: number }>();
  readonly reservedBy = new Map<string, string>();
  readonly balances = new Map<string, bigint>();
  issued = 0n;
  redeemedPayout = 0n;
  readonly programs: ProgramModel[];
  /** The period whose eligibility snapshot `snapshot` holds (-1: before the first period). */
  snapshotPeriod: number;
  snapshot = new Map<string, Profile>();
  /** Snapshot profiles by person (credential), wherever the person's key was at the snapshot. */
  snapshotByPerson = new Map<string, Profile>();
  /** `${program}:${period}:${credential}` for every paid claim. */
  readonly personClaims = new Set<string>();
  /** Key recoveries BasicIncome was told of (it is a membership listener): new key → old key. */
  readonly predecessors = new Map<string, string>();
  private readonly cityAccounts: Set<string>;

  constructor(readonly config: ModelConfig, startTime: number) {
    this.programs = config.programs.map((p) => new ProgramModel(p));
    this.cityAccounts = new Set(config.cityAccounts);
    // The fixture has no members, so whatever period is running, its snapshot is empty.
    this.snapshotPeriod = this.periodIndex(startTime);
  }

  // ─── Reads ──────────────────────────────────────────────────────────────────────────────────────────────────

  status(a: string): Status {
    return this.members.get(a)?.status ?? Status.None;
  }
  isMember(a: string): boolean {
    const s = this.status(a);
    return s === Status.Active || s === Status.Suspended;
  }
  isActive(a: string): boolean {
    return this.status(a) === Status.Active;
  }
  canHold(a: string): boolean {
    return this.cityAccounts.has(a) || this.isActive(a);
  }
  balance(a: string): bigint {
    return this.balances.get(a) ?? 0n;
  }
  profile(a: string): Profile {
    const m = this.members.get(a);
    if (!m || m.status !== Status.Active) return INACTIVE;
    return { active: true, college: m.college, district: m.district, flags: m.flags };
  }
  snapshotProfile(a: string): Profile {
    return this.snapshot.get(a) ?? INACTIVE;
  }
  activeCount(): number {
    let n = 0;
    for (const m of this.members.values()) if (m.status === Status.Active) n++;
    return n;
  }
  collegeSize(college: number): number {
    let n = 0;
    for (const m of this.members.values()) if (m.status === Status.Active && m.college === college) n++;
    return n;
  }
  eligibleFor(profile: Profile, k: number): boolean {
    const { collegeMask, flagBit } = this.programs[k].params;
    if (!profile.active || (collegeMask & (1 << profile.college)) === 0) return false;
    return flagBit === 0 || (profile.flags & (1n << BigInt(flagBit - 1))) !== 0n;
  }
  /** The second a program reads eligibility at for the running period. */
  snapshotTime(): number {
    const { start, length } = this.config.schedule;
    return start + this.snapshotPeriod * length - 1;
  }
  /**
   * Whether `a` may claim program `k` in the running period, as far as eligibility goes: the account's profile at
   * the snapshot qualifies, and the membership the account holds now already existed then (a membership registered
   * after the snapshot never claims on the previous holder's profile).
   */
  claimEligible(a: string, k: number): boolean {
    const m = this.members.get(a);
    // The registry's getPastMemberProfile: the snapshot profile of the membership held now, if it is active now.
    const active = m !== undefined && m.status === Status.Active;
    let profile = active && m.since <= this.snapshotTime() ? this.snapshotProfile(a) : INACTIVE;
    // A recovered key had no profile at the snapshot: BasicIncome reads the membership's under its previous keys.
    if (!profile.active && active) {
      for (let prev = this.predecessors.get(a); prev !== undefined && !profile.active; prev = this.predecessors.get(prev)) {
        profile = this.snapshotProfile(prev);
      }
    }
    return this.eligibleFor(profile, k);
  }
  /** Whether the membership `a` holds claimed `period` of program `k`, under this key or one it was recovered from. */
  claimedBy(a: string, k: number, period: number): boolean {
    const last = this.programs[k].lastClaimed;
    const seen = new Set<string>();
    for (let key: string | undefined = a; key !== undefined && !seen.has(key); key = this.predecessors.get(key)) {
      if (last.get(key) === period + 1) return true;
      seen.add(key);
    }
    return false;
  }
  /** Active members eligible for program `k` right now (getPastEligibleCount at the latest second). */
  eligibleNow(k: number): number {
    let n = 0;
    for (const a of this.members.keys()) if (this.eligibleFor(this.profile(a), k)) n++;
    return n;
  }
  sumBalances(): bigint {
    let s = 0n;
    for (const v of this.balances.values()) s += v;
    return s;
  }

  periodIndex(t: number): number {
    const { start, length } = this.config.schedule;
    return t < start ? -1 : Math.floor((t - start) / length);
  }
  /** The first period boundary strictly after `t`. */
  nextBoundary(t: number): number {
    const { start, length } = this.config.schedule;
    return t < start ? start : start + (this.periodIndex(t) + 1) * length;
  }

  // ─── Time ───────────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * The clock jumped from `from` to `to` with no transaction in between: if a period boundary was crossed, the
   * running period's snapshot (the second before it started) is the state as it is now.
   */
  timeJumped(from: number, to: number) {
    const before = this.periodIndex(from);
    const after = this.periodIndex(to);
    if (after === before) return;
    this.snapshotPeriod = after;
    this.snapshot = new Map();
    this.snapshotByPerson = new Map();
    for (const [a, m] of this.members) {
      if (m.status !== Status.Active) continue;
      this.snapshot.set(a, this.profile(a));
      this.snapshotByPerson.set(m.credential, this.profile(a));
    }
  }

  // ─── Registry ───────────────────────────────────────────────────────────────────────────────────────────────

  register(a: string, college: number, district: number, flags: bigint, credential: string): Outcome {
    if (this.isMember(a)) return revert("registry", "CityRegistryAlreadyMember", a);
    const by = this.reservedBy.get(a);
    if (by) return revert("registry", "CityRegistryAddressReserved", a, by);
    if (college >= this.config.colleges) return revert("registry", "CityRegistryUnknownCollege", college);
    const holder = this.credentials.get(credential);
    if (holder) return revert("registry", "CityRegistryCredentialInUse", credential, holder);
    return ok((ts) => {
      this.members.set(a, { status: Status.Active, college, district, flags, credential, since: ts });
      this.credentials.set(credential, a);
      if (!this.knownCredentials.includes(credential)) this.knownCredentials.push(credential);
    });
  }

  suspend(a: string): Outcome {
    if (!this.isMember(a)) return revert("registry", "CityRegistryNotAMember", a);
    if (this.status(a) !== Status.Active) return revert("registry", "CityRegistryNotActive", a);
    return ok(() => {
      this.members.get(a)!.status = Status.Suspended;
    });
  }

  reinstate(a: string): Outcome {
    if (!this.isMember(a)) return revert("registry", "CityRegistryNotAMember", a);
    if (this.status(a) !== Status.Suspended) return revert("registry", "CityRegistryNotSuspended", a);
    return ok(() => {
      this.members.get(a)!.status = Status.Active;
    });
  }

  remove(a: string): Outcome {
    if (!this.isMember(a)) return revert("registry", "CityRegistryNotAMember", a);
    const pending = this.pending.get(a);
    if (pending) return revert("registry", "CityRegistryMigrationPending", a, pending.to);
    return ok(() => {
      const m = this.members.get(a)!;
      m.status = Status.Removed;
      this.credentials.delete(m.credential);
    });
  }

  startMigration(from: string, to: string): Outcome {
    if (!this.isMember(from)) return revert("registry", "CityRegistryNotAMember", from);
    if (this.isMember(to)) return revert("registry", "CityRegistryAlreadyMember", to);
    // A recovered key must be a fresh address (one with a past membership would inherit its snapshots).
    if (this.status(to) === Status.Removed) return revert("registry", "CityRegistryAddressUsed", to);
    const by = this.reservedBy.get(to);
    if (by) return revert("registry", "CityRegistryAddressReserved", to, by);
    const pending = this.pending.get(from);
    if (pending) return revert("registry", "CityRegistryMigrationPending", from, pending.to);
    return ok((ts) => {
      this.pending.set(from, { to, readyAt: ts + this.config.migrationDelay });
      this.reservedBy.set(to, from);
    });
  }

  cancelMigration(from: string, caller: string): Outcome {
    // The member may always cancel a migration of its own membership, even while suspended; so may the orchestrator.
    if (caller !== from && caller !== this.config.orchestrator) {
      return revert("registry", "CityRegistryUnauthorizedCancel", caller, from);
    }
    const pending = this.pending.get(from);
    if (!pending) return revert("registry", "CityRegistryNoMigration", from);
    return ok(() => {
      this.pending.delete(from);
      this.reservedBy.delete(pending.to);
    });
  }

  /**
   * `t`: timestamp of the block the transaction lands in. Expected value: the balance moved. The run approves every
   * migration (the orchestrator, a second party) right after it starts, so a pending migration here is an approved one.
   */
  completeMigration(from: string, t: number): Outcome<{ to: string; moved: bigint }> {
    const pending = this.pending.get(from);
    if (!pending) return revert("registry", "CityRegistryNoMigration", from);
    if (t < pending.readyAt) return revert("registry", "CityRegistryMigrationNotReady", from, pending.readyAt);
    const { to } = pending;
    const moved = this.balance(from);
    return ok(
      () => {
        this.pending.delete(from);
        this.reservedBy.delete(to);
        const m = this.members.get(from)!;
        this.members.set(to, { ...m });
        m.status = Status.Removed;
        this.credentials.set(m.credential, to);
        this.predecessors.set(to, from);
        this.move(from, to, moved);
      },
      { to, moved },
    );
  }

  // ─── Currency ───────────────────────────────────────────────────────────────────────────────────────────────

  private move(from: string, to: string, v: bigint) {
    this.balances.set(from, this.balance(from) - v);
    this.balances.set(to, this.balance(to) + v);
  }

  /** Used once, for what the fixture did before the run. */
  credit(a: string, amount: bigint) {
    this.balances.set(a, this.balance(a) + amount);
    this.issued += amount;
  }

  issue(to: string, amount: bigint): Outcome {
    if (amount === 0n) return revert("coin", "CityCoinZeroAmount");
    if (!this.canHold(to)) return revert("coin", "CityCoinTransferNotAllowed", to);
    return ok(() => this.credit(to, amount));
  }

  transfer(from: string, to: string, amount: bigint): Outcome {
    if (!this.canHold(from)) return revert("coin", "CityCoinTransferNotAllowed", from);
    const bal = this.balance(from);
    if (bal < amount) return revert("coin", "ERC20InsufficientBalance", from, bal, amount);
    if (!this.canHold(to)) return revert("coin", "CityCoinTransferNotAllowed", to);
    return ok(() => this.move(from, to, amount));
  }

  redeem(a: string, amount: bigint): Outcome<{ fee: bigint; payout: bigint }> {
    if (amount === 0n) return revert("coin", "CityCoinZeroAmount");
    const bal = this.balance(a);
    // Checked up front, before the fee moves.
    if (bal < amount) return revert("coin", "ERC20InsufficientBalance", a, bal, amount);
    const fee = (amount * this.config.feeBps) / 10_000n;
    const payout = amount - fee;
    if (!this.canHold(a)) return revert("coin", "CityCoinTransferNotAllowed", a);
    return ok(
      () => {
        this.move(a, this.config.fund, fee);
        this.balances.set(a, this.balance(a) - payout);
        this.redeemedPayout += payout;
      },
      { fee, payout },
    );
  }

  // ─── Basic income ───────────────────────────────────────────────────────────────────────────────────────────

  /** `funder` approved exactly `amount` just before. */
  fund(funder: string, k: number, amount: bigint): Outcome {
    if (amount === 0n) return revert("income", "BasicIncomeZeroAmount");
    if (!this.canHold(funder)) return revert("coin", "CityCoinTransferNotAllowed", funder);
    const bal = this.balance(funder);
    if (bal < amount) return revert("coin", "ERC20InsufficientBalance", funder, bal, amount);
    return ok(() => {
      this.move(funder, this.config.income, amount);
      this.programs[k].funded += amount;
    });
  }

  /**
   * Claim of program `k` by `a` in the block at `t`. Eligibility is the account's profile at the period's snapshot
   * (what the contract documents); a claim also pays through CityCoin, so the claimant must be able to hold coins now.
   */
  claim(a: string, k: number, t: number): Outcome<{ period: number; amount: bigint }> {
    const p = this.programs[k];
    const { id } = p.params;
    const { start } = this.config.schedule;
    if (t < start) return revert("income", "BasicIncomeNotStarted", id, start);
    const period = this.periodIndex(t);
    if (period !== this.snapshotPeriod) {
      throw new Error(`model: snapshot is of period ${this.snapshotPeriod}, claim is in period ${period}`);
    }
    let pd = p.periods.get(period);
    const opening = !pd;
    let spentAfterSettle = p.spent;
    const last = p.openPeriods - 1;
    if (!pd) {
      const prev = last >= 0 ? p.periods.get(last)! : undefined;
      if (prev && !prev.settled) spentAfterSettle += prev.amount * BigInt(prev.claimed);
      let eligible = 0;
      for (const prof of this.snapshot.values()) if (this.eligibleFor(prof, k)) eligible++;
      const available = p.funded - spentAfterSettle;
      let amount = p.params.amountPerPeriod;
      if (eligible !== 0) {
        const share = available / BigInt(eligible);
        if (share < amount) amount = share;
      }
      pd = { amount, eligible, claimed: 0, settled: false };
    }
    if (this.claimedBy(a, k, period)) return revert("income", "BasicIncomeAlreadyClaimed", id, period, a);
    if (!this.claimEligible(a, k)) return revert("income", "BasicIncomeNotEligible", id, period, a);
    if (pd.amount === 0n) return revert("income", "BasicIncomeBudgetExhausted", id, period);
    if (!this.canHold(a)) return revert("coin", "CityCoinTransferNotAllowed", a);
    const opened = pd;
    const person = this.members.get(a)?.credential;
    return ok(
      () => {
        if (opening) {
          if (last >= 0) p.periods.get(last)!.settled = true;
          p.spent = spentAfterSettle;
          p.periods.set(period, opened);
          p.openPeriods = period + 1;
        }
        opened.claimed += 1;
        p.lastClaimed.set(a, period + 1);
        this.move(this.config.income, a, opened.amount);
        p.paid += opened.amount;
        if (person !== undefined) this.personClaims.add(`${k}:${period}:${person}`);
      },
      { period, amount: opened.amount },
    );
  }

  /**
   * Person-level view of a claim the chain accepted (see the "person" property): the person holding the
   * claiming account's membership (its credential) must have been eligible at the snapshot, under whichever key they
   * had then, and not have been paid for this period already under another key. Returns what is wrong, or
   * undefined. Call before `apply`.
   */
  personClaimViolation(a: string, k: number, period: number): string | undefined {
    const m = this.members.get(a);
    if (!m) return `claimant ${a} holds no membership`;
    const who = `the member with credential ${m.credential.slice(0, 10)} (now at ${a})`;
    const own = this.snapshotByPerson.get(m.credential) ?? INACTIVE;
    if (!this.eligibleFor(own, k)) {
      return (
        `${who} was not eligible for program ${k} at the snapshot of period ${period} (their profile there: ` +
        `${fmtProfile(own)}), yet is paid on the account's snapshot profile ${fmtProfile(this.snapshotProfile(a))}, ` +
        `which was another person's`
      );
    }
    if (this.personClaims.has(`${k}:${period}:${m.credential}`)) {
      return `${who} is paid twice for period ${period} of program ${k}, under two keys`;
    }
    return undefined;
  }

  /** Everything the model holds, as a string: a reverted operation must leave it unchanged. */
  fingerprint(): string {
    const sorted = <V>(m: Map<string | number, V>) => [...m.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return JSON.stringify(
      {
        members: sorted(this.members),
        credentials: sorted(this.credentials),
        known: this.knownCredentials,
        pending: sorted(this.pending),
        reservedBy: sorted(this.reservedBy),
        balances: sorted(this.balances),
        issued: this.issued,
        redeemed: this.redeemedPayout,
        programs: this.programs.map((p) => ({
          funded: p.funded,
          spent: p.spent,
          paid: p.paid,
          open: p.openPeriods,
          periods: sorted(p.periods),
          last: sorted(p.lastClaimed),
        })),
        snapshotPeriod: this.snapshotPeriod,
        snapshot: sorted(this.snapshot),
        byPerson: sorted(this.snapshotByPerson),
        personClaims: [...this.personClaims].sort(),
        predecessors: sorted(this.predecessors),
      },
      (_k, v) => (typeof v === "bigint" ? v.toString() : v),
    );
  }
}

export function fmtProfile(p: Profile): string {
  return p.active ? `{college ${p.college}, flags ${p.flags}}` : "{inactive}";
}
