import type { Address, Hex, PrivateKeyAccount, PublicClient, TransactionReceipt } from "viem";

/** A transaction the sender keeps until it is mined. */
interface InFlight {
  nonce: number;
  to: Address;
  data: Hex;
  gas: bigint;
  /** Wei sent with it: 0 for relayed calls, the amount for a refill of a pool key's gas. */
  value: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  /** Every hash sent for this nonce (each fee bump is a new one); any of them may be the one mined. */
  hashes: Hex[];
  /** Raw signed transaction of the latest hash (re-broadcast as is if the node dropped it). */
  raw: Hex;
  sentAt: number;
  /** When the node was last asked whether it still knows the latest hash (undefined: never). */
  checkedAt?: number;
  onMined: (receipt: TransactionReceipt) => void;
  onHashes: (hashes: Hex[]) => void;
}

export interface SenderOptions {
  publicClient: PublicClient;
  /**
   * The key whose transactions these are. Only {@link TxSender.send} and fee bumps sign: a sender that merely watches
   * transactions sent before a restart (by a key no longer in the relayer's pool) is given an account that never signs.
   */
  account: Pick<PrivateKeyAccount, "address" | "signTransaction">;
  chainId: number;
  /** Re-send with higher fees when a transaction is not mined after this long (default 30 s). */
  bumpAfterMs?: number;
  /** Each bump raises both fees by this factor, in percent (default 125: nodes require ≥ 110 to replace). */
  bumpPercent?: number;
  /** Never offer more than this per gas (default 500 gwei): a spike must not drain the city's account. */
  maxFeeCap?: bigint;
  /** Where fees come from: shared by a pool's senders, so that K keys read them once a second, not K times. */
  fees?: FeeReader;
}

/**
 * EIP-1559 fees from the node, read at most once a second (a block's worth) however many senders ask: one RPC call
 * less per request, and one reading for a whole pool.
 */
export class FeeReader {
  private cache: { at: number; fees: Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> } | undefined;

  constructor(private readonly publicClient: PublicClient) {}

  /**
   * The node's current fees, each capped at `cap` wei per gas. `fresh` (for a fee bump, or a transaction refused as
   * priced below the base fee) reads them now from the block being built, the `pending` one: its base fee is what the
   * transaction must pay, and it may have risen past the latest block's (each full block raises it by up to an eighth;
   * a chain's operator may set it). The reading then serves the others too.
   */
  async read(cap: bigint, fresh = false): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> {
    if (fresh || !this.cache || Date.now() - this.cache.at >= 1_000) {
      // The promise is cached, not its value: concurrent senders share the one call in flight.
      const fees = fresh ? this.pendingFees() : this.publicClient.estimateFeesPerGas();
      this.cache = { at: Date.now(), fees };
      fees.catch(() => (this.cache = undefined));
    }
    const estimate = await this.cache.fees;
    return { maxFeePerGas: min(cap, estimate.maxFeePerGas), maxPriorityFeePerGas: min(cap, estimate.maxPriorityFeePerGas) };
  }

  /** viem's estimate (base fee × 1.2 + the node's suggested tip), from the pending block's base fee. */
  private async pendingFees(): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> {
    const [block, maxPriorityFeePerGas] = await Promise.all([
      this.publicClient.getBlock({ blockTag: "pending" }),
      this.publicClient.estimateMaxPriorityFeePerGas(),
    ]);
    if (block.baseFeePerGas === null) return this.publicClient.estimateFeesPerGas();
    return { maxFeePerGas: (block.baseFeePerGas * 6n) / 5n + maxPriorityFeePerGas, maxPriorityFeePerGas };
  }
}

/**
 * A node's refusal of a transaction priced below the block's base fee (anvil, Hardhat and geth: "max fee per gas less
 * than block base fee"; others: "fee cap less than block base fee", "transaction underpriced").
 */
const PRICED_TOO_LOW = /less than (the )?block base fee|fee cap (is )?(too low|less than)|underpriced/i;

/** A transaction not mined yet is asked about (is it still in the node's pool?) at most this often. */
const KNOWN_CHECK_MS = 2_000;

export interface SentTransaction {
  nonce: number;
  hash: Hex;
}

/**
 * The relayer account's transactions: nonces assigned locally in order (no round trip, no gap), EIP-1559 fees from
 * the node, re-sent with higher fees when stuck and re-broadcast when the node forgot them, until a receipt shows
 * up for one of the hashes. {@link send} must not be called concurrently (the relayer serializes it); {@link poll}
 * is safe to call at any time.
 */
export class TxSender {
  private nextNonce: number | undefined;
  private readonly inFlight = new Map<number, InFlight>();
  private readonly feeReader: FeeReader;
  /** The latest block whose receipts were looked up: until a newer one, nothing more can have been mined. */
  private seenBlock: bigint | undefined;
  readonly counters = { sent: 0, bumped: 0, rebroadcast: 0, mined: 0 };

  constructor(private readonly options: SenderOptions) {
    this.feeReader = options.fees ?? new FeeReader(options.publicClient);
  }

  get address(): Address {
    return this.options.account.address;
  }

  get pending(): number {
    return this.inFlight.size;
  }

  /**
   * Signs and broadcasts a transaction with the next nonce. `onMined` is called with its receipt (whichever of its
   * replacements was mined).
   */
  async send(
    tx: { to: Address; data: Hex; gas: bigint; value?: bigint },
    onMined: (receipt: TransactionReceipt) => void,
    onHashes: (hashes: Hex[]) => void = () => {},
  ): Promise<SentTransaction> {
    const { publicClient } = this.options;
    this.nextNonce ??= await publicClient.getTransactionCount({ address: this.address, blockTag: "pending" });
    const fees = await this.fees();
    const entry: InFlight = { nonce: this.nextNonce, ...tx, value: tx.value ?? 0n, ...fees, hashes: [], raw: "0x", sentAt: Date.now(), onMined, onHashes };
    try {
      await this.broadcast(entry);
    } catch (error) {
      const message = (error as Error).message;
      if (PRICED_TOO_LOW.test(message) && !/replacement/i.test(message)) {
        // The fees read (a second ago at most, from the latest block) are below the base fee of the block being built:
        // it rose meanwhile. Read them again from that block, once.
        Object.assign(entry, await this.feeReader.read(this.cap, true));
      } else if (/nonce/i.test(message)) {
        // The node refused the nonce (someone else used this key?): resynchronise once and retry.
        this.nextNonce = await publicClient.getTransactionCount({ address: this.address, blockTag: "pending" });
        entry.nonce = this.nextNonce;
      } else throw error;
      await this.broadcast(entry);
    }
    this.nextNonce += 1;
    this.inFlight.set(entry.nonce, entry);
    this.counters.sent += 1;
    // One look right away, not waiting for the next poll: a chain that mines on arrival (Hardhat, anvil's automine)
    // already has the receipt, and the member learns it a poll sooner. Nothing is done if it is not there yet.
    void this.receiptOf(entry.hashes).then((receipt) => receipt && this.mined(entry, receipt));
    return { nonce: entry.nonce, hash: entry.hashes[entry.hashes.length - 1] };
  }

  /** Re-attaches a transaction sent before a restart, so its receipt is still reported. */
  resume(nonce: number, hashes: Hex[], onMined: (receipt: TransactionReceipt) => void): void {
    this.inFlight.set(nonce, {
      nonce,
      to: "0x0000000000000000000000000000000000000000",
      data: "0x",
      gas: 0n,
      value: 0n,
      maxFeePerGas: 0n,
      maxPriorityFeePerGas: 0n,
      hashes,
      raw: "0x",
      sentAt: Date.now(),
      onMined,
      onHashes: () => {},
    });
  }

  /**
   * Checks every transaction in flight: reports receipts; re-sends with bumped fees those older than `bumpAfterMs`;
   * re-broadcasts those the node no longer knows (asked at most every 2 s per transaction). Given `block`, the latest
   * block number (read once for a whole pool), receipts are looked up only when a block came since the last lookup:
   * with nothing mined there is nothing to find, and a chain with 1-s blocks is not asked K times per poll for nothing.
   */
  async poll(block?: bigint): Promise<void> {
    const { publicClient } = this.options;
    const entries = [...this.inFlight.values()].sort((a, b) => a.nonce - b.nonce);
    const now = Date.now();
    const due = (entry: InFlight) => entry.raw !== "0x" && now - (entry.checkedAt ?? 0) >= KNOWN_CHECK_MS;
    // A transaction due for its check is looked up too, whatever the block: a lookup that failed is retried that way.
    const fresh = block === undefined || this.seenBlock === undefined || block > this.seenBlock || entries.some(due);
    if (block !== undefined) this.seenBlock = block;
    if (!fresh) return;
    // Receipts are looked up all at once (one round trip's latency for the lot), then handled in nonce order.
    const receipts = await Promise.all(entries.map((entry) => this.receiptOf(entry.hashes)));
    for (const [i, entry] of entries.entries()) {
      if (this.inFlight.get(entry.nonce) !== entry) continue; // reported meanwhile (see send)
      const receipt = receipts[i];
      if (receipt) {
        this.mined(entry, receipt);
        continue;
      }
      if (entry.raw === "0x") continue; // resumed after a restart: nothing to re-send, only watched
      if (Date.now() - entry.sentAt >= (this.options.bumpAfterMs ?? 30_000)) {
        const percent = BigInt(this.options.bumpPercent ?? 125);
        const cap = this.cap;
        const fees = await this.feeReader.read(cap, true);
        entry.maxPriorityFeePerGas = min(cap, max(fees.maxPriorityFeePerGas, (entry.maxPriorityFeePerGas * percent) / 100n + 1n));
        entry.maxFeePerGas = min(cap, max(fees.maxFeePerGas, (entry.maxFeePerGas * percent) / 100n + 1n));
        entry.sentAt = Date.now();
        try {
          await this.broadcast(entry);
          this.counters.bumped += 1;
        } catch {
          // Not counted: the node did not take it (down, replacement refused); tried again after the next delay.
        }
      } else if (due(entry)) {
        entry.checkedAt = now;
        if (await this.isKnown(entry.hashes[entry.hashes.length - 1])) continue;
        try {
          await publicClient.request({ method: "eth_sendRawTransaction", params: [entry.raw] });
          this.counters.rebroadcast += 1;
        } catch {
          // Not counted: the node refused it again; asked again at the next check.
        }
      }
    }
  }

  /** Reports `entry`'s receipt, once. */
  private mined(entry: InFlight, receipt: TransactionReceipt): void {
    if (this.inFlight.get(entry.nonce) !== entry) return;
    this.inFlight.delete(entry.nonce);
    this.counters.mined += 1;
    entry.onMined(receipt);
  }

  private async broadcast(entry: InFlight): Promise<void> {
    const raw = await this.options.account.signTransaction({
      type: "eip1559",
      chainId: this.options.chainId,
      nonce: entry.nonce,
      to: entry.to,
      data: entry.data,
      gas: entry.gas,
      maxFeePerGas: entry.maxFeePerGas,
      maxPriorityFeePerGas: entry.maxPriorityFeePerGas,
      value: entry.value,
    });
    const hash = (await this.options.publicClient.request({ method: "eth_sendRawTransaction", params: [raw] })) as Hex;
    entry.raw = raw;
    entry.hashes.push(hash);
    entry.onHashes([...entry.hashes]);
  }

  private fees(): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> {
    return this.feeReader.read(this.cap);
  }

  /** The most offered per gas (default 500 gwei). */
  private get cap(): bigint {
    return this.options.maxFeeCap ?? 500_000_000_000n;
  }

  private async receiptOf(hashes: Hex[]): Promise<TransactionReceipt | undefined> {
    for (const hash of hashes) {
      const receipt = await this.options.publicClient.getTransactionReceipt({ hash }).catch(() => undefined);
      if (receipt) return receipt;
    }
    return undefined;
  }

  private async isKnown(hash: Hex): Promise<boolean> {
    const tx = await this.options.publicClient.request({ method: "eth_getTransactionByHash", params: [hash] }).catch(() => null);
    return tx !== null;
  }
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
