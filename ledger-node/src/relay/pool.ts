import { hexToBytes, toHex, type Address, type Hex, type PrivateKeyAccount, type PublicClient, type TransactionReceipt } from "viem";
import { HDKey } from "viem/accounts";
import { FeeReader, TxSender, type SentTransaction } from "./sender";
import { workerSignedAccount } from "./signatures";

/**
 * BIP-32 path under which the pool's keys #1, #2 … are derived (`<path>/<i>`), the relay key itself being the master
 * seed: Ethereum's usual account path, so any BIP-32 tool recomputes them from the one secret the operator keeps.
 */
export const POOL_KEY_PATH = "m/44'/60'/0'/0";

/**
 * The private keys of a relayer pool of `size` keys: the relay key itself (key #0: `size` 1 is a relayer with one key)
 * and `size - 1` keys derived from it as BIP-32 children `m/44'/60'/0'/0/i` of the relay key taken as master seed.
 * Deterministic, so a restart finds the same keys (and their transactions in flight), and one secret backs up all.
 *
 * @example `derivePoolKeys(readSecpKey("relayer.key"), 4).map((k) => privateKeyToAccount(k).address)`
 */
export function derivePoolKeys(relayKey: Hex, size: number): Hex[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`a relayer pool has at least one key, got ${size}`);
  const root = HDKey.fromMasterSeed(hexToBytes(relayKey));
  const derived = Array.from({ length: size - 1 }, (_, i) => toHex(root.derive(`${POOL_KEY_PATH}/${i + 1}`).privateKey!));
  return [relayKey, ...derived];
}

/** When a pool key's gas is topped up, and by whom. */
export interface RefillPolicy {
  /** The account that pays refills; undefined: key #0 refills the others (and its own balance is the operator's). */
  funder?: PrivateKeyAccount;
  /** A key whose balance is below this (wei) is refilled … */
  below: bigint;
  /** … up to this balance (wei): it receives `upTo - balance`. */
  upTo: bigint;
}

/** A refill of a pool key's gas: sent (its transaction hash known), then mined. */
export interface RefillEvent {
  phase: "sent" | "mined";
  /** The refilled key and its index in the pool. */
  key: Address;
  index: number;
  /** Its balance when the refill was decided (wei), below the threshold. */
  balance: bigint;
  threshold: bigint;
  /** Wei sent. */
  amount: bigint;
  funder: Address;
  txHash: Hex;
}

export interface KeyPoolOptions {
  publicClient: PublicClient;
  /** The keys that send relayed transactions, key #0 first; each has its own nonces. */
  keys: PrivateKeyAccount[];
  chainId: number;
  /** Fee bumping of stuck transactions (default 30 s). */
  bumpAfterMs?: number;
  /** Refilling of the keys' gas; off when undefined (then a key's balance is the operator's to keep). */
  refill?: RefillPolicy;
  /** How often balances are read from the chain (default 2 s); in between they follow the receipts' costs. */
  balanceEveryMs?: number;
  logger?: Pick<Console, "error" | "warn" | "info">;
}

/** One key of the pool (or the separate funding key, or a key that left the pool but still has transactions in flight). */
interface PoolKey {
  /** Index in the pool; -1 for the separate funding key and for retired keys. */
  index: number;
  sender: TxSender;
  /** This key's sends, one at a time: its nonces are assigned in the order of the calls. */
  lock: Promise<unknown>;
  /** Sends waiting for the lock; with the transactions in flight, the key's load. */
  waiting: number;
  /** Last known balance (wei): read from the chain, lowered by each receipt's cost in between; undefined before the first read. */
  balance?: bigint;
  /** The refill transaction on its way to this key, if any: one at a time. */
  refilling?: Hex;
  sent: number;
  refills: number;
}

/** After a failed refill (the funder short of ether, the node refusing), the next attempt for that key waits this long. */
const REFILL_RETRY_MS = 30_000;
/** Gas of a plain ether transfer to an account without code (the pool's keys). */
const TRANSFER_GAS = 21_000n;

/**
 * The relayer's keys: K accounts sending relayed transactions side by side, each with its own nonces (a
 * {@link TxSender}), so that K transactions are prepared, signed and broadcast at once instead of one after another.
 *
 * Ordering: a member's requests all go through the same key for as long as one of them is in flight (chosen when the
 * member has none: the least loaded key with gas, ties taken in turn). Their transactions are then successive nonces
 * of that key, which the chain can only include in order; once none is in flight the member's earlier transactions are
 * all mined, so the next key may be any. Keys whose balance falls below the threshold are refilled from the funding key
 * (evented through {@link onRefill} and logged), and are avoided by new members until refilled.
 */
export class KeyPool {
  private readonly keys: PoolKey[];
  private readonly funder: PoolKey | undefined;
  private readonly retired = new Map<string, PoolKey>();
  /** Member → the key its transactions in flight went through, and how many there are (counted from the send call). */
  private readonly holders = new Map<string, { key: PoolKey; inFlight: number }>();
  private readonly listeners = new Set<(event: RefillEvent) => void>();
  private readonly refillFailedAt = new Map<number, number>();
  private balancesAt = 0;
  private turn = 0;
  /** One fee reading for every key (see {@link FeeReader}). */
  private readonly fees: FeeReader;

  constructor(private readonly options: KeyPoolOptions) {
    if (options.keys.length === 0) throw new RangeError("a relayer pool has at least one key");
    const { refill } = options;
    if (refill && refill.upTo <= refill.below) throw new RangeError(`a refill must reach above its threshold: up to ${refill.upTo} wei is not above ${refill.below}`);
    this.fees = new FeeReader(options.publicClient);
    this.keys = options.keys.map((account, index) => this.key(account, index));
    if (!refill) this.funder = undefined;
    else if (!refill.funder) this.funder = this.keys[0];
    else {
      const funder = refill.funder;
      // A funder that is also a pool key sends its refills through that key's sender: one nonce sequence per account.
      this.funder = this.keys.find((k) => sameAddress(k.sender.address, funder.address)) ?? this.key(funder, -1);
    }
  }

  /** The pool's addresses, key #0 first. */
  get addresses(): Address[] {
    return this.keys.map((k) => k.sender.address);
  }

  /** The account refills come from (undefined when refilling is off). */
  get funderAddress(): Address | undefined {
    return this.funder?.sender.address;
  }

  /** Transactions sent by the pool and not yet mined. */
  get pending(): number {
    return [...this.keys, ...this.retired.values()].reduce((n, k) => n + k.sender.pending, 0);
  }

  /** Per key: address, last known balance, transactions in flight, transactions sent and refills received here. */
  status(): { index: number; address: Address; balance?: bigint; pending: number; sent: number; refills: number }[] {
    return this.keys.map((k) => ({ index: k.index, address: k.sender.address, balance: k.balance, pending: k.sender.pending, sent: k.sent, refills: k.refills }));
  }

  /** Listens to refills (sent, then mined); returns the unsubscribe function. Listeners must not throw. */
  onRefill(listener: (event: RefillEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Sends `member`'s transaction from the key that keeps its requests in order (see the class comment). Calls for one
   * member must come one after another (the relayer drains a member's queue in nonce order), so that each joins the
   * key of the previous one.
   */
  async send(
    member: Address,
    tx: { to: Address; data: Hex; gas: bigint },
    onMined: (receipt: TransactionReceipt) => void,
    onHashes: (hashes: Hex[]) => void,
  ): Promise<SentTransaction & { from: Address }> {
    const id = member.toLowerCase();
    let held = this.holders.get(id);
    if (!held) this.holders.set(id, (held = { key: this.choose(), inFlight: 0 }));
    const holder = held;
    // Counted before the send: the member's next request, if it comes while this one waits for the key, joins it.
    holder.inFlight += 1;
    const release = () => {
      holder.inFlight -= 1;
      if (holder.inFlight === 0 && this.holders.get(id) === holder) this.holders.delete(id);
    };
    const { key } = holder;
    try {
      const sent = await this.onKey(key, () =>
        key.sender.send(
          tx,
          (receipt) => {
            release();
            this.spent(key, receipt);
            onMined(receipt);
          },
          onHashes,
        ),
      );
      key.sent += 1;
      return { ...sent, from: key.sender.address };
    } catch (error) {
      release();
      throw error;
    }
  }

  /**
   * Watches again a transaction sent before a restart by `from` (a pool key, or key #0 for records written before
   * pools existed). A key no longer in the pool (a smaller pool after the restart) is watched, never used again; its
   * member is then not held to it, which only matters if that member's next request is mined before this one.
   */
  resume(member: Address, from: Address | undefined, nonce: number, hashes: Hex[], onMined: (receipt: TransactionReceipt) => void): void {
    const key = from === undefined ? this.keys[0] : (this.keys.find((k) => sameAddress(k.sender.address, from)) ?? this.retire(from));
    let release = () => {};
    if (key.index >= 0) {
      const id = member.toLowerCase();
      const holder = this.holders.get(id) ?? { key, inFlight: 0 };
      if (holder.key === key) {
        this.holders.set(id, holder);
        holder.inFlight += 1;
        release = () => {
          holder.inFlight -= 1;
          if (holder.inFlight === 0 && this.holders.get(id) === holder) this.holders.delete(id);
        };
      }
    }
    key.sender.resume(nonce, hashes, (receipt) => {
      release();
      this.spent(key, receipt);
      onMined(receipt);
    });
  }

  /** Reads the balances and refills the keys below the threshold (a first pass before the relayer takes requests). */
  async start(): Promise<void> {
    await this.readBalances().catch((error) => this.options.logger?.warn(`relayer: could not read the pool's balances: ${firstLine(error)}`));
    await this.refillLow();
  }

  /**
   * Receipts of every key, balances when due, refills of keys below the threshold. The latest block number is read
   * once for all keys, and only while something is in flight: each key looks its receipts up when a block came.
   */
  async poll(): Promise<void> {
    const all = [...this.keys, ...this.retired.values(), ...(this.funder && this.funder.index < 0 ? [this.funder] : [])];
    if (all.some((k) => k.sender.pending > 0)) {
      const block = await this.options.publicClient.getBlockNumber({ cacheTime: 0 });
      await Promise.all(all.map((k) => k.sender.poll(block)));
    }
    for (const [address, key] of this.retired) if (key.sender.pending === 0) this.retired.delete(address);
    if (Date.now() - this.balancesAt >= (this.options.balanceEveryMs ?? 2_000)) await this.readBalances();
    await this.refillLow();
  }

  /** Waits for sends in progress. */
  async stop(): Promise<void> {
    await Promise.all([...this.keys, ...(this.funder ? [this.funder] : [])].map((k) => k.lock.catch(() => {})));
  }

  /** The pool's gauges and counters, in Prometheus text lines (one series per key). */
  metricLines(): string[] {
    const label = (k: PoolKey) => `key="${k.sender.address}",index="${k.index}"`;
    const known = this.keys.filter((k) => k.balance !== undefined);
    return [
      "# HELP relay_key_balance_wei Balance of each relayer pool key (wei): read from the chain every few seconds, lowered by each receipt's cost in between.",
      "# TYPE relay_key_balance_wei gauge",
      ...known.map((k) => `relay_key_balance_wei{${label(k)}} ${k.balance}`),
      "# HELP relay_key_pending_transactions Transactions each relayer pool key sent that are not yet mined.",
      "# TYPE relay_key_pending_transactions gauge",
      ...this.keys.map((k) => `relay_key_pending_transactions{${label(k)}} ${k.sender.pending}`),
      "# HELP relay_key_sent_total Relayed transactions each pool key sent since this process started.",
      "# TYPE relay_key_sent_total counter",
      ...this.keys.map((k) => `relay_key_sent_total{${label(k)}} ${k.sent}`),
      "# HELP relay_key_fee_bumps_total Transactions each pool key re-sent with higher fees (not mined within --relay-bump-after-seconds).",
      "# TYPE relay_key_fee_bumps_total counter",
      ...this.keys.map((k) => `relay_key_fee_bumps_total{${label(k)}} ${k.sender.counters.bumped}`),
      "# HELP relay_key_rebroadcasts_total Transactions each pool key broadcast again because the chain's node no longer knew them.",
      "# TYPE relay_key_rebroadcasts_total counter",
      ...this.keys.map((k) => `relay_key_rebroadcasts_total{${label(k)}} ${k.sender.counters.rebroadcast}`),
      "# HELP relay_key_refills_total Refills of each pool key's gas from the funding key since this process started.",
      "# TYPE relay_key_refills_total counter",
      ...this.keys.map((k) => `relay_key_refills_total{${label(k)}} ${k.refills}`),
      ...(this.funder && this.funder.balance !== undefined
        ? [
            "# HELP relay_funding_balance_wei Balance of the key that refills the pool (wei).",
            "# TYPE relay_funding_balance_wei gauge",
            `relay_funding_balance_wei{key="${this.funder.sender.address}"} ${this.funder.balance}`,
          ]
        : []),
    ];
  }

  private key(account: Pick<PrivateKeyAccount, "address" | "signTransaction">, index: number): PoolKey {
    const { publicClient, chainId, bumpAfterMs } = this.options;
    return { index, sender: new TxSender({ publicClient, account, chainId, bumpAfterMs, fees: this.fees }), lock: Promise.resolve(), waiting: 0, sent: 0, refills: 0 };
  }

  /** A key that left the pool: watched until its transactions are mined, never signing again. */
  private retire(address: Address): PoolKey {
    const found = this.retired.get(address.toLowerCase());
    if (found) return found;
    this.options.logger?.warn(`relayer: ${address} is no longer in the pool; its transactions in flight are still watched`);
    const watchOnly = {
      address,
      signTransaction: () => Promise.reject(new Error(`${address} left the relayer pool: it signs nothing more`)),
    } as Pick<PrivateKeyAccount, "address" | "signTransaction">;
    const key = this.key(watchOnly, -1);
    this.retired.set(address.toLowerCase(), key);
    return key;
  }

  /**
   * The key for a member with nothing in flight: among keys with gas (at or above the refill threshold, or of unknown
   * balance), the least loaded (sends waiting plus transactions in flight); ties go round the pool so that sequential
   * requests spread too.
   */
  private choose(): PoolKey {
    const floor = this.options.refill?.below ?? 1n;
    const rank = (k: PoolKey) => (k.balance !== undefined && k.balance < floor ? 1_000_000 : 0) + k.waiting + k.sender.pending;
    const start = this.turn++ % this.keys.length;
    let best = this.keys[start];
    for (let i = 1; i < this.keys.length; i++) {
      const key = this.keys[(start + i) % this.keys.length];
      if (rank(key) < rank(best)) best = key;
    }
    return best;
  }

  private onKey<T>(key: PoolKey, work: () => Promise<T>): Promise<T> {
    key.waiting += 1;
    const run = key.lock.then(work, work).finally(() => {
      key.waiting -= 1;
    });
    key.lock = run.catch(() => {});
    return run;
  }

  private spent(key: PoolKey, receipt: TransactionReceipt): void {
    if (key.balance === undefined) return;
    const cost = receipt.gasUsed * receipt.effectiveGasPrice;
    key.balance = key.balance > cost ? key.balance - cost : 0n;
  }

  private async readBalances(): Promise<void> {
    const { publicClient } = this.options;
    const all = [...this.keys, ...(this.funder && this.funder.index < 0 ? [this.funder] : [])];
    const balances = await Promise.all(all.map((k) => publicClient.getBalance({ address: k.sender.address })));
    all.forEach((k, i) => (k.balance = balances[i]));
    this.balancesAt = Date.now();
  }

  /** Sends a refill to each key below the threshold that has none on its way (one pass; the poll repeats it). */
  private async refillLow(): Promise<void> {
    const { refill } = this.options;
    const funder = this.funder;
    if (!refill || !funder) return;
    for (const key of this.keys) {
      if (key === funder || key.refilling || key.balance === undefined || key.balance >= refill.below) continue;
      if (Date.now() - (this.refillFailedAt.get(key.index) ?? 0) < REFILL_RETRY_MS) continue;
      const balance = key.balance;
      const amount = refill.upTo - balance;
      const base = { key: key.sender.address, index: key.index, balance, threshold: refill.below, amount, funder: funder.sender.address };
      try {
        const sent = await this.onKey(funder, () =>
          funder.sender.send({ to: key.sender.address, data: "0x", gas: TRANSFER_GAS, value: amount }, (receipt) => {
            key.refilling = undefined;
            this.spent(funder, receipt);
            if (receipt.status === "success") {
              key.refills += 1;
              if (key.balance !== undefined) key.balance += amount;
              if (funder.balance !== undefined) funder.balance = funder.balance > amount ? funder.balance - amount : 0n;
              this.options.logger?.info(`relayer: refill of key #${key.index} ${key.sender.address} mined (${receipt.transactionHash})`);
              this.emit({ ...base, phase: "mined", txHash: receipt.transactionHash });
            } else {
              this.refillFailedAt.set(key.index, Date.now());
              this.options.logger?.warn(`relayer: the refill of key #${key.index} ${key.sender.address} reverted (${receipt.transactionHash})`);
            }
          }),
        );
        key.refilling = sent.hash;
        this.options.logger?.info(
          `relayer: key #${key.index} ${key.sender.address} has ${balance} wei, below ${refill.below}: refilling ${amount} wei from ${funder.sender.address} (${sent.hash})`,
        );
        this.emit({ ...base, phase: "sent", txHash: sent.hash });
      } catch (error) {
        this.refillFailedAt.set(key.index, Date.now());
        this.options.logger?.warn(`relayer: could not refill key #${key.index} ${key.sender.address} from ${funder.sender.address}: ${firstLine(error)}`);
      }
    }
  }

  private emit(event: RefillEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/**
 * The pool's accounts from the relay key: `size` keys (see {@link derivePoolKeys}), their transactions signed off the
 * event loop (see {@link workerSignedAccount}).
 */
export function poolAccounts(relayKey: Hex, size: number): PrivateKeyAccount[] {
  return derivePoolKeys(relayKey, size).map((key) => workerSignedAccount(key));
}

function sameAddress(a: Address, b: Address): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split("\n")[0];
}
