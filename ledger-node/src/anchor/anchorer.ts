import { bytesToHex, isAddressEqual, toEventSelector, type Address, type Hex, type PublicClient, type WalletClient } from "viem";
import { ledgerAnchorAbi } from "@cityledger/sdk/abis";
import { sortSignatures } from "@cityledger/sdk/ledger";
import type { LogStore } from "../log/store";
import type { UpdateBus } from "../updates";
import { WitnessRefusedError, type Cosignature, type WitnessClient } from "./witness";
import type { WitnessedCheckpoints } from "./witnessed";

export interface AnchorerOptions {
  store: LogStore;
  updates: UpdateBus;
  publicClient: PublicClient;
  /** Sends the anchor transactions (any funded account: the witness signatures are the authority). */
  walletClient: WalletClient;
  anchorAddress: Address;
  chainId: number;
  origin: string;
  witnesses: WitnessClient[];
  /** Anchor once the log grew by this many entries since the last anchor… */
  everyEntries: number;
  /** …or this long after the last anchor, if it grew by anything but the anchors' own `Anchored` events. */
  everyMs: number;
  /** Where the witnesses' C2SP cosignature lines of every round are kept for the API to serve. */
  witnessed?: WitnessedCheckpoints;
  /**
   * Ask the witnesses to cosign every new checkpoint, not only those anchored (no transaction, no gas): the note the
   * node serves then carries their `cosignature/v1` lines, as C2SP logs publish witnessed checkpoints. Needs
   * `witnessed`.
   */
  witnessEveryCheckpoint?: boolean;
  logger?: Pick<Console, "error" | "warn" | "info">;
}

/** topic0 of LedgerAnchor's `Anchored` event: the anchorer's own entries, which are not growth worth anchoring. */
const ANCHORED_TOPIC = toEventSelector(ledgerAnchorAbi.find((i) => i.type === "event" && i.name === "Anchored")!);

export interface AnchorResult {
  index: bigint;
  size: number;
  root: Hex;
  signers: Address[];
  txHash: Hex;
}

/**
 * Anchors the node's checkpoints in LedgerAnchor: collects witness cosignatures (each witness checks consistency
 * with what it cosigned before), then submits the checkpoint with a consistency proof from the last anchor, which
 * the contract verifies — so the chain enforces that the log only grows.
 */
export class Anchorer {
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private running: Promise<unknown> = Promise.resolve();
  /**
   * Aborted by stop(): the wait for an anchor's receipt gives up at once. A transaction a reorg dropped has no receipt
   * to come, and the wait would otherwise hold stop() for viem's whole timeout (3 minutes).
   */
  private stopping = new AbortController();
  private busy = false;
  /** Set when the follower halts: nothing is anchored after that. */
  private halted = false;
  private lastAnchorAt = Date.now();
  private _last: AnchorResult | undefined;
  /** Size of the latest anchor on chain, as last read (undefined until read: growth is counted from it). */
  private anchoredSize: number | undefined;
  /**
   * How far {@link hasNewEntries} has looked past the anchored size, and whether it found an entry other than an
   * `Anchored` event there (entries never change, so each is read once).
   */
  private scan = { from: 0, to: 0, found: false };
  /**
   * Witness rounds (anchoring's and the per-checkpoint ones) run one at a time: a witness's state only moves forward,
   * so a round for an older checkpoint running after a newer one would be refused as stale.
   */
  private rounds: Promise<unknown> = Promise.resolve();
  /** Each witness's size as last seen, so a round sends the right proof at once (0 before first contact). */
  private readonly witnessSizes = new Map<WitnessClient, number>();
  /** The last refusal logged per witness: a witness down answers every round, its log line is written once. */
  private readonly lastRefusal = new Map<WitnessClient, string>();
  private witnessing: Promise<void> | undefined;
  private witnessAgain = false;
  readonly counters = { anchors: 0, failures: 0 };

  constructor(private readonly options: AnchorerOptions) {}

  get last(): AnchorResult | undefined {
    return this._last;
  }

  /** Starts anchoring on growth (every N entries) and on a timer (every T). */
  start(): void {
    if (this.stopping.signal.aborted) this.stopping = new AbortController();
    // Growth counts from the chain's latest anchor: from 0 after a restart, the first batch would always be "due".
    this.busy = true;
    this.running = this.options.publicClient
      .readContract({ address: this.options.anchorAddress, abi: ledgerAnchorAbi, functionName: "latestAnchor" })
      .then((a) => (this.anchoredSize ??= Number(a.size)))
      .catch(() => (this.anchoredSize ??= 0))
      .finally(() => {
        this.busy = false;
      });
    this.unsubscribe = this.options.updates.subscribe((u) => {
      // A halted follower's log may hold entries the chain no longer has: anchoring it would put them back on record.
      if (u.kind === "halted") this.halted = true;
      if (u.kind !== "checkpoint") return;
      this.maybeAnchor(false);
      this.maybeWitness();
    });
    // After a restart the latest checkpoint may predate the last round: witness it without waiting for growth.
    this.maybeWitness();
    this.timer = setInterval(() => this.maybeAnchor(true), Math.max(1_000, Math.min(this.options.everyMs, 60_000)));
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    this.stopping.abort(new Error("the anchorer stopped"));
    await this.running.catch(() => {});
    await this.witnessing;
  }

  /**
   * Has the witnesses cosign the latest checkpoint, unless it already was (no transaction). Returns the C2SP
   * cosignature lines kept for it, or undefined when there is nothing to record them in.
   */
  async witnessOnce(): Promise<string[] | undefined> {
    const { witnessed, store } = this.options;
    if (!witnessed) return undefined;
    const checkpoint = store.checkpoint;
    const already = witnessed.cosignaturesOf(checkpoint.note);
    if (already.length >= this.options.witnesses.length && already.length > 0) return already;
    await this.collect(checkpoint.note, checkpoint.size);
    return witnessed.cosignaturesOf(checkpoint.note);
  }

  /**
   * Anchors the latest checkpoint now if it is larger than the anchored one. Returns undefined when there is nothing
   * to anchor; throws when witnesses or the chain refuse.
   */
  async anchorOnce(): Promise<AnchorResult | undefined> {
    const { store, publicClient, anchorAddress } = this.options;
    const [anchored, threshold] = await Promise.all([
      publicClient.readContract({ address: anchorAddress, abi: ledgerAnchorAbi, functionName: "latestAnchor" }),
      publicClient.readContract({ address: anchorAddress, abi: ledgerAnchorAbi, functionName: "threshold" }),
    ]);
    const checkpoint = store.checkpoint;
    const fromSize = Number(anchored.size);
    this.anchoredSize = fromSize;
    if (checkpoint.size <= fromSize || threshold === 0) return undefined;

    const cosignatures = await this.collect(checkpoint.note, checkpoint.size);
    const root = bytesToHex(checkpoint.root);
    const typed = { chainId: this.options.chainId, anchorAddress, origin: this.options.origin, size: BigInt(checkpoint.size), root };
    // The contract reverts the whole anchor on one bad signature (malformed, or not by a registered witness): keep only
    // the cosignatures it accepts, so one misconfigured or faulty witness cannot block an M-of-N anchor.
    const registered = new Set(
      (await publicClient.readContract({ address: anchorAddress, abi: ledgerAnchorAbi, functionName: "witnesses" })).map((a) => a.toLowerCase()),
    );
    const accepted: Hex[] = [];
    for (const c of cosignatures) {
      try {
        const [signer] = (await sortSignatures({ ...typed, signatures: [c.signature] })).signers;
        if (registered.has(signer.toLowerCase())) accepted.push(c.signature);
        else this.options.logger?.warn(`ledger node: ${c.witness}'s cosignature recovers to ${signer}, not a registered witness: left out`);
      } catch (error) {
        this.options.logger?.warn(`ledger node: ${c.witness}'s cosignature is unusable, left out: ${(error as Error).message.split("\n")[0]}`);
      }
    }
    const sorted = await sortSignatures({ ...typed, signatures: accepted });
    if (sorted.signatures.length < threshold) {
      throw new Error(`only ${sorted.signatures.length} of ${threshold} witness cosignatures for size ${checkpoint.size}`);
    }
    const proof = (await store.consistencyProof(fromSize, checkpoint.size)).map((h) => bytesToHex(h));
    const account = this.options.walletClient.account!;
    let sent: { result: bigint; txHash: Hex };
    try {
      const { request, result } = await publicClient.simulateContract({
        address: anchorAddress,
        abi: ledgerAnchorAbi,
        functionName: "anchor",
        args: [BigInt(checkpoint.size), root, proof, sorted.signatures],
        account,
      });
      const txHash = await this.options.walletClient.writeContract(request);
      const receipt = await publicClient.waitForTransactionReceipt({ hash: txHash, signal: this.stopping.signal });
      if (receipt.status !== "success") throw new Error(`anchor transaction ${txHash} reverted`);
      sent = { result, txHash };
    } catch (error) {
      if (this.stopping.signal.aborted) throw error;
      // In a federation every operator anchors the same log: another one may have anchored this size (or a larger
      // one) between our read of the latest anchor and our transaction. Nothing is lost, nothing to retry.
      const now = await publicClient.readContract({ address: anchorAddress, abi: ledgerAnchorAbi, functionName: "latestAnchor" }).catch(() => undefined);
      if (now && Number(now.size) >= checkpoint.size) {
        this.anchoredSize = Number(now.size);
        this.lastAnchorAt = Date.now();
        this.options.logger?.info(`ledger node: size ${checkpoint.size} was anchored meanwhile by another submitter (latest anchor: size ${now.size})`);
        return undefined;
      }
      throw error;
    }
    const { result, txHash } = sent;
    this._last = { index: result, size: checkpoint.size, root, signers: sorted.signers, txHash };
    this.anchoredSize = checkpoint.size;
    this.counters.anchors++;
    this.lastAnchorAt = Date.now();
    this.options.logger?.info(`ledger node: anchored size ${checkpoint.size} (anchor #${result}, ${sorted.signers.length} witnesses)`);
    return this._last;
  }

  /**
   * Asks every witness, one round at a time; a witness at another size than last seen gets a second request with a
   * proof from its own size. The C2SP lines of the answers are recorded in `witnessed`.
   */
  private collect(note: string, size: number): Promise<Cosignature[]> {
    const round = this.rounds.then(() => this.collectNow(note, size));
    this.rounds = round.catch(() => {});
    return round;
  }

  private async collectNow(note: string, size: number): Promise<Cosignature[]> {
    const { store } = this.options;
    const ask = async (witness: WitnessClient, fromSize: number): Promise<Cosignature> => {
      const consistencyProof = (await store.consistencyProof(fromSize, size)).map((h) => bytesToHex(h));
      const cosignature = await witness.cosign({ note, fromSize, consistencyProof });
      this.witnessSizes.set(witness, cosignature.size);
      return cosignature;
    };
    const results = await Promise.allSettled(
      this.options.witnesses.map(async (witness) => {
        const known = this.witnessSizes.get(witness) ?? 0;
        let from = known <= size ? known : 0;
        for (let attempt = 1; ; attempt++) {
          try {
            return await ask(witness, from);
          } catch (error) {
            // A federation's other operators move the witness too: it may have moved again since it said its size.
            const retry = error instanceof WitnessRefusedError && error.code === "wrong-from-size" && error.witnessSize <= size;
            if (!retry || attempt === 3) throw error;
            from = error.witnessSize;
          }
        }
      }),
    );
    const out: Cosignature[] = [];
    results.forEach((r, i) => {
      const witness = this.options.witnesses[i];
      if (r.status === "fulfilled") {
        out.push(r.value);
        this.lastRefusal.delete(witness);
        return;
      }
      const message = `ledger node: ${witness.label} refused: ${(r.reason as Error).message}`;
      if (this.lastRefusal.get(witness) !== message) this.options.logger?.warn(message);
      this.lastRefusal.set(witness, message);
    });
    this.options.witnessed?.record(note, out);
    return out;
  }

  /** Starts a witnessing round for the latest checkpoint, or one more after the running round if one runs. */
  private maybeWitness(): void {
    if (!this.options.witnessEveryCheckpoint || !this.options.witnessed || this.halted || this.stopping.signal.aborted) return;
    if (this.witnessing) {
      this.witnessAgain = true;
      return;
    }
    this.witnessing = (async () => {
      do {
        this.witnessAgain = false;
        // Refusals were logged per witness; a round failing as a whole (the store closing) is retried on growth.
        await this.witnessOnce().catch((error: Error) => this.options.logger?.warn(`ledger node: witnessing failed: ${error.message.split("\n")[0]}`));
      } while (this.witnessAgain && !this.stopping.signal.aborted);
      this.witnessing = undefined;
    })();
  }

  /**
   * Whether the log holds, past the latest anchor, an entry other than this anchor contract's own `Anchored` events.
   * Anchoring only the anchors would send a transaction every interval forever: each anchor's event grows the log.
   */
  async hasNewEntries(): Promise<boolean> {
    const { store, anchorAddress } = this.options;
    const from = this.anchoredSize ?? this._last?.size ?? 0;
    if (this.scan.from !== from) this.scan = { from, to: from, found: false };
    while (!this.scan.found && this.scan.to < store.size) {
      const page = await store.entries(this.scan.to, 256);
      if (page.length === 0) break;
      for (const entry of page) {
        this.scan.to = entry.seq + 1;
        const own = isAddressEqual(entry.log.address, anchorAddress) && entry.log.topics[0]?.toLowerCase() === ANCHORED_TOPIC;
        if (!own) {
          this.scan.found = true;
          break;
        }
      }
    }
    return this.scan.found;
  }

  private maybeAnchor(onTimer: boolean): void {
    if (this.busy || this.halted) return;
    const last = this.anchoredSize ?? this._last?.size ?? 0;
    const grown = this.options.store.size - last;
    const due = grown >= this.options.everyEntries || (onTimer && grown > 0 && Date.now() - this.lastAnchorAt >= this.options.everyMs);
    if (!due) return;
    this.busy = true;
    this.running = this.hasNewEntries()
      .then((fresh) => (fresh ? this.anchorOnce() : undefined))
      .catch((error: Error) => {
        this.counters.failures++;
        this.options.logger?.warn(`ledger node: anchoring failed, will retry: ${error.message.split("\n")[0]}`);
      })
      .finally(() => {
        this.busy = false;
      });
  }
}
