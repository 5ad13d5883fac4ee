/**
 * Money, recomputed from the events alone and compared with the chain at the audited block: CityCoin balances and
 * supply, the reserve rule, basic-income budgets, and the escrows of ParkingExchange and EnergyMarket (each
 * contract's NatSpec states the invariant checked here).
 */
import type { Address } from "viem";
import type { CityContractName } from "@cityledger/sdk/ledger";
import type { AuditCheck, AuditContext, CheckResult } from "../types";
import { euros, fail, pass } from "./result";

const ZERO = "0x0000000000000000000000000000000000000000";

interface CoinLedger {
  balances: Map<string, bigint>;
  supply: bigint;
}

const ledgers = new WeakMap<AuditContext, CoinLedger>();

/** Balances and supply from CityCoin's Transfer events (zero address = mint or burn) of the first `size` entries. */
export function coinLedger(ctx: AuditContext, size = ctx.logs.length): CoinLedger {
  const hit = size === ctx.logs.length ? ledgers.get(ctx) : undefined;
  if (hit) return hit;
  const balances = new Map<string, bigint>();
  let supply = 0n;
  for (const e of ctx.events.of("CityCoin")) {
    if (e.seq >= size) break;
    if (e.name !== "Transfer") continue;
    const from = e.args.from;
    const to = e.args.to;
    const value = e.args.value;
    if (from === ZERO) supply += value;
    else balances.set(from, (balances.get(from) ?? 0n) - value);
    if (to === ZERO) supply -= value;
    else balances.set(to, (balances.get(to) ?? 0n) + value);
  }
  const ledger = { balances, supply };
  if (size === ctx.logs.length) ledgers.set(ctx, ledger);
  return ledger;
}

async function coinBalanceOf(ctx: AuditContext, account: string): Promise<bigint> {
  return (await ctx.client.readContract({
    address: ctx.events.address("CityCoin"),
    abi: ctx.events.abi("CityCoin"),
    functionName: "balanceOf",
    args: [account as Address],
    blockNumber: ctx.block,
  })) as bigint;
}

/** Runs `tasks` at most `n` at a time (the RPC is one process; this keeps it busy without flooding it). */
async function pool<T>(items: readonly T[], n: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await task(items[next++]);
    }),
  );
}

/** Every account's CityCoin balance and the total supply, from Transfer events, against balanceOf and totalSupply. */
export const currencyCheck: AuditCheck = {
  id: "currency.balances",
  title: "CityCoin balances and total supply recomputed from Transfer events equal balanceOf and totalSupply on chain",
  contracts: ["CityCoin"],
  async run(ctx) {
    const id = this.id;
    const { balances, supply } = coinLedger(ctx);
    const onChainSupply = (await ctx.client.readContract({
      address: ctx.events.address("CityCoin"),
      abi: ctx.events.abi("CityCoin"),
      functionName: "totalSupply",
      blockNumber: ctx.block,
    })) as bigint;
    const results: CheckResult[] = [];
    const figures = { fromEvents: supply.toString(), onChain: onChainSupply.toString() };
    results.push(
      supply === onChainSupply
        ? pass(id, "CityCoin.totalSupply", `€${euros(supply)} from the events equals totalSupply()`, figures)
        : fail(id, "CityCoin.totalSupply", `the events give a supply of €${euros(supply)}; totalSupply() is €${euros(onChainSupply)}`, figures),
    );
    const bad: CheckResult[] = [];
    let sum = 0n;
    await pool([...balances.keys()], 8, async (account) => {
      const derived = balances.get(account)!;
      sum += derived;
      const chain = await coinBalanceOf(ctx, account);
      if (derived !== chain) {
        bad.push(fail(id, `CityCoin.balanceOf(${account})`, `the events give €${euros(derived)}; balanceOf() is €${euros(chain)}`, { fromEvents: derived.toString(), onChain: chain.toString() }));
      }
    });
    results.push(...bad.sort((a, b) => (a.record < b.record ? -1 : 1)));
    if (sum !== supply) results.push(fail(id, "CityCoin balances", `the balances sum to €${euros(sum)}, the supply is €${euros(supply)}`));
    if (bad.length === 0) results.push(pass(id, `CityCoin balances (${balances.size} accounts)`, "every account's balance from the events equals balanceOf()", { accounts: balances.size }));
    return results;
  },
};

/** Accounts whose balance the node is asked for: every one up to this many, else the largest balances. */
const MAX_ASKED_ACCOUNTS = 64;

/**
 * The node's read model, asked as an app asks it: each account's balance at `GET /v1/accounts/:address` equals the
 * balance the events give at the projection's seq (a node may keep its state hash honest and lie in its answers).
 */
export const accountsAnswerCheck: AuditCheck = {
  id: "node.answers",
  title: "the balances the node's API answers (/v1/accounts) equal the ones recomputed from the events at the same seq",
  contracts: ["CityCoin"],
  needsNode: true,
  async run(ctx) {
    const id = this.id;
    const all = coinLedger(ctx).balances;
    const accounts = [...all.entries()].sort((a, b) => (a[1] === b[1] ? (a[0] < b[0] ? -1 : 1) : a[1] < b[1] ? 1 : -1)).map(([a]) => a);
    const asked = accounts.slice(0, MAX_ASKED_ACCOUNTS);
    const bySeq = new Map<number, CoinLedger>();
    const bad: CheckResult[] = [];
    await pool(asked, 8, async (account) => {
      const answer = await ctx.node!.account(account);
      const record = `/v1/accounts/${account}`;
      if (!answer) return void bad.push(fail(id, record, "the node does not answer (not ready or unknown route)"));
      // Without the x-projection-seq header, the answer is compared at the chain's size (a lagging node then differs).
      const seq = answer.seq ?? ctx.logs.length;
      if (!(Number.isSafeInteger(seq) && seq >= 0 && seq <= ctx.logs.length)) {
        return void bad.push(fail(id, record, `answers at projection seq ${answer.seq}; the chain's log has ${ctx.logs.length} entries`));
      }
      let ledger = bySeq.get(seq);
      if (!ledger) bySeq.set(seq, (ledger = coinLedger(ctx, seq)));
      const want = ledger.balances.get(account) ?? 0n;
      if (!/^\d+$/.test(answer.balance) || answer.balance !== want.toString()) {
        bad.push(fail(id, record, `answers a balance of ${answer.balance} base units; the events give €${euros(want)} at seq ${seq}`, { answered: answer.balance, fromEvents: want.toString(), seq }));
      }
    });
    if (bad.length > 0) return bad.sort((a, b) => (a.record < b.record ? -1 : 1));
    return [pass(id, `/v1/accounts (${asked.length} of ${accounts.length} accounts)`, "every balance answered equals the events'", { asked: asked.length, accounts: accounts.length })];
  },
};

/** `totalSupply() <= reserve()` right after every issue (the rule CityCoin states), and the last attestation is reserve(). */
export const reserveCheck: AuditCheck = {
  id: "currency.reserve",
  title: "after every issue the supply was at most the last attested reserve; reserve() is the last attestation",
  contracts: ["CityCoin"],
  async run(ctx) {
    const id = this.id;
    const results: CheckResult[] = [];
    let supply = 0n;
    let reserve = 0n;
    let issues = 0;
    for (const e of ctx.events.of("CityCoin")) {
      if (e.name === "Transfer") {
        if (e.args.from === ZERO) supply += e.args.value;
        if (e.args.to === ZERO) supply -= e.args.value;
      } else if (e.name === "ReserveAttested") {
        reserve = e.args.reserve;
        if (e.args.supply !== supply) {
          results.push(fail(id, `entry ${e.seq} (ReserveAttested)`, `the attestation states a supply of €${euros(e.args.supply)}; the events give €${euros(supply)}`));
        }
      } else if (e.name === "Issued") {
        issues++;
        if (supply > reserve) {
          results.push(fail(id, `entry ${e.seq} (Issued to ${e.args.to})`, `the supply reached €${euros(supply)} above the attested reserve €${euros(reserve)}`));
        }
      }
    }
    const onChain = (await ctx.client.readContract({
      address: ctx.events.address("CityCoin"),
      abi: ctx.events.abi("CityCoin"),
      functionName: "reserve",
      blockNumber: ctx.block,
    })) as bigint;
    if (onChain !== reserve) results.push(fail(id, "CityCoin.reserve", `reserve() is €${euros(onChain)}; the last ReserveAttested said €${euros(reserve)}`));
    if (results.length === 0) {
      results.push(
        pass(id, "CityCoin reserve", `${issues} issues, each within the reserve attested before it; supply €${euros(supply)} of reserve €${euros(reserve)}`, {
          supply: supply.toString(),
          reserve: reserve.toString(),
          issues,
        }),
      );
    }
    return results;
  },
};

/**
 * Basic income: per program, payouts never exceed funding (Σ claims + withdrawals <= Σ funded), each claim is its
 * period's amount, no period pays more members than were eligible, and BasicIncome's coin balance is what is left.
 */
export const incomeCheck: AuditCheck = {
  id: "income.budgets",
  title: "basic-income payouts stay within each program's funding and periods; BasicIncome holds exactly what is left",
  contracts: ["BasicIncome", "CityCoin"],
  async run(ctx) {
    const id = this.id;
    const programs = new Map<string, { funded: bigint; paid: bigint; withdrawn: bigint; claims: number }>();
    const periods = new Map<string, { amount: bigint; eligible: number; claims: number }>();
    const results: CheckResult[] = [];
    const program = (pid: bigint) => {
      let p = programs.get(pid.toString());
      if (!p) programs.set(pid.toString(), (p = { funded: 0n, paid: 0n, withdrawn: 0n, claims: 0 }));
      return p;
    };
    for (const e of ctx.events.of("BasicIncome")) {
      const pid = "programId" in e.args ? e.args.programId : 0n;
      switch (e.name) {
        case "ProgramFunded":
          program(pid).funded += e.args.amount;
          break;
        case "ProgramWithdrawn":
          program(pid).withdrawn += e.args.amount;
          break;
        case "PeriodOpened":
          periods.set(`${pid}/${e.args.period}`, { amount: BigInt(e.args.amount), eligible: Number(e.args.eligible), claims: 0 });
          break;
        case "IncomeClaimed": {
          const p = program(pid);
          const amount = BigInt(e.args.amount);
          p.paid += amount;
          p.claims++;
          const period = periods.get(`${pid}/${e.args.period}`);
          const record = `entry ${e.seq} (IncomeClaimed, program ${pid}, period ${e.args.period}, ${e.args.account})`;
          if (!period) results.push(fail(id, record, "a claim in a period that never opened"));
          else {
            period.claims++;
            if (amount !== period.amount) results.push(fail(id, record, `paid €${euros(amount)}; the period's amount is €${euros(period.amount)}`));
            if (period.claims > period.eligible) results.push(fail(id, record, `claim ${period.claims} of a period with ${period.eligible} eligible members`));
          }
          if (p.paid + p.withdrawn > p.funded) results.push(fail(id, record, `program ${pid} has paid out €${euros(p.paid + p.withdrawn)} of €${euros(p.funded)} funded`));
          break;
        }
      }
    }
    let held = 0n;
    for (const [pid, p] of programs) {
      held += p.funded - p.paid - p.withdrawn;
      if (!results.some((r) => r.record.includes(`program ${pid},`))) {
        results.push(
          pass(id, `program ${pid}`, `${p.claims} claims, €${euros(p.paid)} paid and €${euros(p.withdrawn)} withdrawn of €${euros(p.funded)} funded`, {
            funded: p.funded.toString(),
            paid: p.paid.toString(),
            withdrawn: p.withdrawn.toString(),
          }),
        );
      }
    }
    results.push(await escrowBalance(ctx, id, "BasicIncome", held, "Σ (funded − paid − withdrawn) over programs"));
    return results;
  },
};

/** The contract's CityCoin balance on chain (and from Transfer events) against what the events say it owes. */
export async function escrowBalance(ctx: AuditContext, id: string, contract: CityContractName, owed: bigint, what: string): Promise<CheckResult> {
  const address = ctx.events.address(contract);
  const chain = await coinBalanceOf(ctx, address);
  const figures = { owed: owed.toString(), balanceOf: chain.toString() };
  return chain === owed
    ? pass(id, `CityCoin.balanceOf(${contract})`, `€${euros(chain)} held equals ${what}`, figures)
    : fail(id, `CityCoin.balanceOf(${contract})`, `${contract} holds €${euros(chain)}; ${what} from its events is €${euros(owed)}`, figures);
}

/**
 * ParkingExchange: `coin.balanceOf(this) == Σ (price + deposit)` over open escrows (Booked or Disputed bookings)
 * `+ Σ credits`. A settlement moves exactly its booking's escrow out, once; a share CityCoin refused to deliver (its
 * party suspended or removed) stays in the contract as that party's credit (PaymentCredited), which a key recovery
 * moves (PartyMigrated) and a withdrawal pays out (CreditWithdrawn, never more than the credit).
 */
export const parkingCheck: AuditCheck = {
  id: "parking.escrow",
  title: "ParkingExchange holds exactly the escrow (price + deposit) of its open bookings, each settled once and in full, plus the credits it holds for parties",
  contracts: ["ParkingExchange", "CityCoin"],
  async run(ctx) {
    const id = this.id;
    const open = new Map<string, { escrow: bigint; seq: number }>();
    const credits = new Map<string, bigint>();
    const results: CheckResult[] = [];
    let settled = 0;
    for (const e of ctx.events.of("ParkingExchange")) {
      const bid = "bookingId" in e.args ? e.args.bookingId.toString() : undefined;
      if (e.name === "BookingCreated") {
        if (open.has(bid!)) results.push(fail(id, `entry ${e.seq} (booking ${bid})`, "a booking created while the same id still holds an escrow"));
        open.set(bid!, { escrow: BigInt(e.args.price) + BigInt(e.args.deposit), seq: e.seq });
        continue;
      }
      if (e.name === "PaymentCredited") {
        const account = e.args.account.toLowerCase();
        credits.set(account, (credits.get(account) ?? 0n) + e.args.amount);
        continue;
      }
      if (e.name === "CreditWithdrawn") {
        const account = e.args.account.toLowerCase();
        const held = credits.get(account) ?? 0n;
        const amount = e.args.amount;
        if (amount !== held) results.push(fail(id, `entry ${e.seq} (CreditWithdrawn, ${e.args.account})`, `withdraws €${euros(amount)}; the events credit €${euros(held)}`));
        credits.set(account, held - amount);
        continue;
      }
      if (e.name === "PartyMigrated") {
        const from = e.args.from.toLowerCase();
        const to = e.args.to.toLowerCase();
        const held = credits.get(from) ?? 0n;
        const moved = e.args.credit;
        if (moved !== held) results.push(fail(id, `entry ${e.seq} (PartyMigrated, ${e.args.from})`, `moves €${euros(moved)}; the events credit €${euros(held)}`));
        credits.set(from, held - moved);
        credits.set(to, (credits.get(to) ?? 0n) + moved);
        continue;
      }
      let out: bigint | undefined;
      if (e.name === "BookingCancelled") out = e.args.refund + e.args.toOwner + e.args.fee;
      else if (e.name === "BookingPaidOut") out = e.args.toOwner + e.args.fee + e.args.refund;
      else if (e.name === "DisputeResolved") out = e.args.toDriver + e.args.toOwner + e.args.fee;
      if (out === undefined) continue;
      const booking = open.get(bid!);
      const record = `entry ${e.seq} (${e.name}, booking ${bid})`;
      if (!booking) results.push(fail(id, record, "settles a booking with no open escrow"));
      else if (out !== booking.escrow) results.push(fail(id, record, `pays out €${euros(out)} of an escrow of €${euros(booking.escrow)}`));
      open.delete(bid!);
      settled++;
    }
    const inEscrow = [...open.values()].reduce((s, b) => s + b.escrow, 0n);
    const credited = [...credits.values()].reduce((s, c) => s + c, 0n);
    const holders = [...credits.values()].filter((c) => c !== 0n).length;
    const what =
      credited === 0n
        ? `Σ escrow of the ${open.size} open bookings (${settled} settled)`
        : `Σ escrow of the ${open.size} open bookings (${settled} settled) €${euros(inEscrow)} + credits of ${holders} parties €${euros(credited)}`;
    results.push(await escrowBalance(ctx, id, "ParkingExchange", inEscrow + credited, what));
    return results;
  },
};

/**
 * EnergyMarket: `coin.balanceOf(this) == Σ market balances + Σ locked of open and cleared-unsettled orders`, with
 * balances and locks replayed from Deposited, OrderPlaced, OrderCancelled, OrderEvicted, Ask/BidSettled,
 * BalanceMigrated and RefundClaimed (each credit to the account the event names: after a key recovery, the new key).
 * A suspended or removed member's balance stays in the sum: it is held for the member, not lost.
 */
export const energyCheck: AuditCheck = {
  id: "energy.escrow",
  title: "EnergyMarket holds exactly its traders' market balances plus what open and unsettled orders lock",
  contracts: ["EnergyMarket", "CityCoin"],
  async run(ctx) {
    const id = this.id;
    const balances = new Map<string, bigint>();
    const locked = new Map<string, bigint>();
    const results: CheckResult[] = [];
    const add = (who: string, amount: bigint) => balances.set(who, (balances.get(who) ?? 0n) + amount);
    const release = (e: { seq: number; name: string; args: { orderId: bigint } }) => {
      const oid = e.args.orderId.toString();
      if (!locked.has(oid)) results.push(fail(id, `entry ${e.seq} (${e.name}, order ${oid})`, "releases an order that locks nothing"));
      locked.delete(oid);
    };
    for (const e of ctx.events.of("EnergyMarket")) {
      const who = "account" in e.args ? e.args.account : undefined;
      switch (e.name) {
        case "Deposited": {
          add(who!, e.args.amount);
          if (balances.get(who!) !== e.args.balance) {
            results.push(fail(id, `entry ${e.seq} (Deposited, ${who})`, `states a balance of €${euros(e.args.balance)}; the events give €${euros(balances.get(who!)!)}`));
            balances.set(who!, e.args.balance);
          }
          break;
        }
        case "OrderPlaced":
          add(e.args.trader, -e.args.locked);
          locked.set(e.args.orderId.toString(), e.args.locked);
          if (balances.get(e.args.trader)! < 0n) {
            results.push(fail(id, `entry ${e.seq} (OrderPlaced, order ${e.args.orderId})`, `locks €${euros(e.args.locked)} the trader's balance does not hold`));
          }
          break;
        case "OrderCancelled":
        case "OrderEvicted":
          release(e);
          add(e.args.trader, e.args.refund);
          break;
        case "BalanceMigrated": {
          const from = e.args.from;
          if ((balances.get(from) ?? 0n) !== e.args.amount) {
            results.push(fail(id, `entry ${e.seq} (BalanceMigrated, ${from})`, `moved €${euros(e.args.amount)}; the events give a balance of €${euros(balances.get(from) ?? 0n)}`));
          }
          add(from, -e.args.amount);
          add(e.args.to, e.args.amount);
          break;
        }
        case "AskSettled":
        case "BidSettled":
          release(e);
          add(e.args.trader, e.args.credit);
          break;
        case "RefundClaimed":
          if (balances.get(who!) !== e.args.amount) {
            results.push(fail(id, `entry ${e.seq} (RefundClaimed, ${who})`, `paid €${euros(e.args.amount)}; the events give a balance of €${euros(balances.get(who!) ?? 0n)}`));
          }
          balances.set(who!, 0n);
          break;
      }
    }
    const inBalances = [...balances.values()].reduce((s, b) => s + b, 0n);
    const inOrders = [...locked.values()].reduce((s, b) => s + b, 0n);
    results.push(await escrowBalance(ctx, id, "EnergyMarket", inBalances + inOrders, `market balances €${euros(inBalances)} + locked by ${locked.size} orders €${euros(inOrders)}`));
    return results;
  },
};

