import {
  concatHex,
  decodeErrorResult,
  decodeFunctionData,
  encodeFunctionData,
  getAddress,
  isAddressEqual,
  parseSignature,
  zeroAddress,
  type Abi,
  type Address,
  type Hex,
  type PrivateKeyAccount,
  type PublicClient,
  type TransactionReceipt,
  type TypedDataDomain,
} from "viem";
import { cityCoinAbi, cityForwarderAbi, cityRegistryAbi } from "@cityledger/sdk/abis";
import { forwardRequestTypes, permitTypes } from "@cityledger/sdk/relay";
import { NodeError } from "../errors";
import { AllowList, type AllowedCall, type DeployedContracts } from "./allowlist";
import { KeyPool, type RefillPolicy } from "./pool";
import { KeyedSerial } from "../serial";
import { signatureWorker, typedDataDigest } from "./signatures";
import { RelayStore, utcDay, type RelayRecord } from "./store";

/** Why the relayer refuses a request: each is a problem type of the API. */
export type RelayRejectionKind =
  | "invalid-request"
  | "malformed-calldata"
  | "nonce-conflict"
  | "wrong-chain"
  | "bad-signature"
  | "expired"
  | "replayed"
  | "not-a-member"
  | "not-allowed"
  | "quota-exceeded"
  | "simulation-reverted"
  | "relay-unavailable";

/** A refusal, before any gas is spent: the API answers it as an RFC 9457 problem of type `kind`. */
export class RelayRejectedError extends NodeError {
  override name = "RelayRejectedError";
  constructor(
    readonly kind: RelayRejectionKind,
    readonly detail: string,
    readonly extensions: { requestId?: Hex; revert?: { name: string; args: string[] }; retryAfterSeconds?: number } = {},
    /** Already counted in the relayer's metrics (a queued request refused when its turn came). */
    readonly counted = false,
  ) {
    super(detail);
  }
}

/** A forward request as posted (numbers as decimal strings: JSON has no bigints). */
export interface ForwardRequestInput {
  from: string;
  to: string;
  value: string;
  gas: string;
  nonce: string;
  deadline: number;
  data: string;
  signature: string;
}

/** An ERC-2612 permit for CityCoin, as posted. */
export interface PermitInput {
  owner: string;
  spender: string;
  value: string;
  nonce: string;
  deadline: string;
  signature: string;
}

export interface RelayQuota {
  /** Requests a member may send per UTC day (each that passes the signature check counts, refused or not). */
  requestsPerDay: number;
  /** Gas the relayer's transactions for a member may use per UTC day (calldata and forwarder overhead included). */
  gasPerDay: bigint;
  /** Requests of a member that may be refused after the signature check per UTC day, before all are refused. */
  refusalsPerDay: number;
}

export interface RelayerOptions {
  publicClient: PublicClient;
  /**
   * The relayer's keys (each holds RELAYER and pays gas), the relay key first: transactions are sent through all of
   * them side by side, a member's requests through one at a time (see {@link KeyPool}). One key: a single sender.
   */
  accounts: PrivateKeyAccount[];
  /** Refilling the keys' gas from a funding key below a threshold; off when undefined. */
  refill?: RefillPolicy;
  chainId: number;
  deployment: DeployedContracts;
  store: RelayStore;
  quota: RelayQuota;
  /** Largest `gas` a request may ask for (default 1,000,000). */
  maxGasPerRequest?: bigint;
  /** How far ahead of the member's next nonce a request may be queued (default 32). */
  maxNonceAhead?: number;
  /** A queued request waiting longer than this for its predecessors is rejected (default 120 s). */
  queueTimeoutMs?: number;
  /** Receipt polling and queue expiry period (default 1 s). */
  pollMs?: number;
  /** Fee bumping of stuck transactions (default 30 s). */
  bumpAfterMs?: number;
  logger?: Pick<Console, "error" | "warn" | "info">;
  /** Clock (ms) for quota days and queue expiry; tests move it. */
  now?: () => number;
  /** How often the pool's balances are read from the chain (default 2 s). */
  balanceEveryMs?: number;
}

/** Gas CityCoin's `permit` may use at most, for the acceptance bound (it uses ~60k; the transaction's is estimated). */
const PERMIT_QUOTA_GAS = 80_000n;
/**
 * CityForwarder's own work around the call, for the acceptance bound: reading the request, EIP-712 hashing, ecrecover,
 * the nonce's SSTORE, the call's cold access, the event; measured at ~45k, bounded here with room.
 */
const FORWARDER_OVERHEAD_GAS = 60_000n;
/** Per byte of forwarded calldata the forwarder copies and hashes (memory, keccak, the call's copy): generous. */
const FORWARDER_GAS_PER_BYTE = 8n;
/** Members whose next nonce the relayer remembers at most (the oldest forgotten first: they read the chain again). */
const REMEMBERED_NONCES = 100_000;
/** How often the poll re-reads the next nonce of a member whose requests wait in the queue. */
const QUEUE_RECHECK_MS = 3_000;

interface Queued {
  record: RelayRecord;
  /** The `execute` or `permit` call, ready to simulate and send. */
  call: { to: Address; data: Hex };
  /** For a forward request: the inner call, simulated on its own so that its custom error is decoded. */
  inner?: { to: Address; data: Hex; gas: bigint };
  deadline: bigint;
  settle: () => void;
}

/**
 * The ledger node's relayer: members sign, the city pays the gas. Every request is checked before any gas is spent —
 * chain, allow-list (city contracts, member actions only), deadline, signature, replay, active membership, the
 * member's daily quota, then a simulation — and only then sent from one of the relayer's keys, in the member's nonce
 * order (requests signed ahead wait in a per-member queue). Records and quotas live in the relayer's own LevelDB, so
 * restarts lose nothing and replays stay refused.
 *
 * Concurrency: each member's requests are checked, queued and sent one at a time (a lock per member: its nonce order and
 * its quota's read-modify-write), different members' side by side; only the signing and broadcast of a transaction
 * wait for its key (each key of the pool has its own nonces), so K keys broadcast K transactions at once.
 */
export class Relayer {
  readonly allowList: AllowList;
  readonly pool: KeyPool;
  private readonly forwarder: Address;
  private readonly registry: Address;
  private readonly coin: Address;
  private readonly errorsAbi: Abi;
  private readonly queues = new Map<string, Map<bigint, Queued>>();
  /**
   * Each member's next nonce (forwarder or permit, `kind:member`) as this relayer last knew it: read from the chain,
   * then the one after each nonce it sent. A request signed with exactly that nonce is checked without reading the
   * chain (see {@link knownNext}); any other nonce reads it.
   */
  private readonly nextNonces = new Map<string, bigint>();
  /** When each queue's member nonce was last re-read by the poll (see {@link recheckQueues}). */
  private readonly checkedAt = new Map<string, number>();
  /** Requests accepted in this process and not yet final, by id (the store holds every one). */
  private readonly live = new Map<string, RelayRecord>();
  /** (kind, member, nonce) → the request holding it, from acceptance to its end: a second one is a conflict. */
  private readonly claimed = new Map<string, Hex>();
  /** A member's queue drains one at a time (its nonce order); different members' side by side. */
  private readonly drains = new KeyedSerial();
  /** A member's quota is read, changed and written one change at a time. */
  private readonly quotas = new KeyedSerial();
  /** A record's writes, in order: its later state is never overwritten by an earlier one. */
  private readonly writes = new KeyedSerial();
  private timer: NodeJS.Timeout | undefined;
  /** The poll in progress, if any: one at a time, and {@link stop} waits for it. */
  private polling: Promise<void> | undefined;
  /** The latest block's time and when it was read (see {@link latestTimestamp}). */
  private blockTime: { at: number; time: Promise<bigint> } | undefined;
  /** Long-polls waiting for a request's next status, by id (see {@link nextChange}). */
  private readonly waiters = new Map<string, Set<() => void>>();
  private stopping = false;
  private forwarderDomain: TypedDataDomain | undefined;
  private coinDomain: TypedDataDomain | undefined;
  /** Today's and recent days' cost, mirrored from the store for /metrics. */
  private readonly costByDay = new Map<string, { wei: bigint; gas: bigint; txs: number }>();
  readonly counters = { accepted: 0, mined: 0, reverted: 0, rejected: new Map<string, number>() };

  constructor(private readonly options: RelayerOptions) {
    const { deployment } = options;
    const address = (name: string) => {
      const entry = deployment.contracts[name];
      if (!entry) throw new Error(`the deployment has no ${name}: the relayer needs it`);
      return getAddress(entry.address);
    };
    this.forwarder = address("CityForwarder");
    this.registry = address("CityRegistry");
    this.coin = address("CityCoin");
    this.allowList = new AllowList(deployment);
    this.errorsAbi = Object.values(deployment.contracts).flatMap((c) => (c.abi as Abi).filter((i) => i.type === "error"));
    this.pool = new KeyPool({
      publicClient: options.publicClient,
      keys: options.accounts,
      chainId: options.chainId,
      bumpAfterMs: options.bumpAfterMs,
      refill: options.refill,
      balanceEveryMs: options.balanceEveryMs,
      logger: options.logger,
    });
  }

  /** The relay key (key #0 of the pool): simulations run as it. */
  get address(): Address {
    return this.options.accounts[0].address;
  }

  /** Every key of the pool, key #0 first. */
  get addresses(): Address[] {
    return this.pool.addresses;
  }

  get quota(): RelayQuota {
    return this.options.quota;
  }

  /** Resumes what a previous run left (transactions in flight, queued requests) and starts polling. */
  async start(): Promise<void> {
    for (const record of await this.options.store.list(["queued", "submitted"])) {
      if (record.status === "queued" || record.relayerNonce === undefined) {
        // The queue lived in memory: its signatures are still valid, but the member has to send them again. Nothing
        // was sent: the gas reserved for it goes back (the relayer's restart is not the member's refusal).
        await this.charge(record, 0n);
        await this.finish(record, "rejected", { type: "expired", detail: "the relayer restarted before this request's turn; send it again" });
        continue;
      }
      this.live.set(record.id, record);
      this.pool.resume(record.member, record.relayer, record.relayerNonce, record.txHashes, (receipt) => this.mined(record, receipt));
    }
    for (const cost of await this.options.store.costs(7)) this.costByDay.set(cost.day, cost);
    // The EIP-712 domains, read once: a request's signature is then checked without any chain read.
    [this.forwarderDomain, this.coinDomain] = await Promise.all([this.domainOf(this.forwarder), this.domainOf(this.coin)]).catch(() => [undefined, undefined]);
    // The pool's balances, and refills of keys below the threshold, before the first request picks a key.
    await this.pool.start();
    this.timer = setInterval(() => void this.poll(), this.options.pollMs ?? 1_000);
    this.timer.unref();
  }

  /** Stops polling and waits for work in progress (records are already persisted). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.releaseWaiters();
    // A poll under way may still drain a queue (send a transaction) or write records: it ends before the store closes.
    await this.polling;
    await this.drains.idle();
    await this.pool.stop();
    await this.quotas.idle();
    await this.writes.idle();
  }

  /** A request's record, or undefined if this relayer never accepted it. */
  async status(id: Hex): Promise<RelayRecord | undefined> {
    return this.live.get(id.toLowerCase()) ?? (await this.options.store.get(id));
  }

  /** A member's use of today's quota. */
  async usage(member: Address): Promise<{ day: string; requests: number; gas: bigint; refused: number }> {
    const day = utcDay(this.now());
    return { day, ...(await this.options.store.quota(day, member)) };
  }

  /** The city's relaying cost of the last days (for /metrics). */
  costs(): { day: string; wei: bigint; gas: bigint; txs: number }[] {
    return [...this.costByDay.entries()].map(([day, c]) => ({ day, ...c })).sort((a, b) => a.day.localeCompare(b.day));
  }

  /**
   * Accepts a member's ForwardRequest for CityForwarder. Resolves once the request is sent (`submitted`) or, when it
   * was signed ahead of the member's next nonce, `queued`; rejects with {@link RelayRejectedError}.
   */
  relayForward(input: ForwardRequestInput, chainId?: number): Promise<RelayRecord> {
    return this.counting(() => this.forward(input, chainId));
  }

  private async forward(input: ForwardRequestInput, chainId?: number): Promise<RelayRecord> {
    this.checkChain(chainId);
    const from = address(input.from, "from");
    const to = address(input.to, "to");
    const data = hex(input.data, "data");
    const value = integer(input.value, "value");
    const gas = integer(input.gas, "gas");
    const nonce = integer(input.nonce, "nonce");
    const deadline = BigInt(input.deadline);
    if (value !== 0n) throw new RelayRejectedError("invalid-request", "value must be 0: city contracts take no ether");
    const maxGas = this.options.maxGasPerRequest ?? 1_000_000n;
    if (gas < 21_000n || gas > maxGas) {
      throw new RelayRejectedError("invalid-request", `gas must be between 21000 and ${maxGas}, got ${gas}`);
    }
    const allowed = this.allowList.lookup(to, data);
    if (!allowed) throw this.notAllowed(to, data);
    const malformed = this.allowList.nonCanonical(allowed, data);
    if (malformed) throw new RelayRejectedError("malformed-calldata", `${malformed}: send exactly the encoded call, nothing after it`);

    // The signature before anything else: up to here all is local, so an unsigned or forged request costs no chain
    // read and no write.
    this.forwarderDomain ??= await this.domainOf(this.forwarder);
    const message = { from, to, value, gas, nonce, deadline: Number(deadline), data };
    const id = typedDataDigest(this.forwarderDomain, forwardRequestTypes, "ForwardRequest", message);
    await this.checkSigner(id, input.signature, from);

    return this.asMember(from, async () => {
      // The reads (the relayer's store, the chain) start together; the checks are still reported in a fixed order.
      const [, blockTime, next, active] = await Promise.all([this.checkNotSeen(id), this.latestTimestamp(), this.knownNext(from, "forward", nonce), this.isMember(from)]);
      this.checkDeadline(deadline, blockTime);
      if (nonce < next) throw new RelayRejectedError("replayed", `nonce ${nonce} of ${from} was already used (next is ${next})`, { requestId: id });
      const ahead = BigInt(this.options.maxNonceAhead ?? 32);
      if (nonce > next + ahead) {
        throw new RelayRejectedError("invalid-request", `nonce ${nonce} is too far ahead of ${from}'s next nonce ${next}: sign with nonce ${next}`);
      }
      if (!active && !(await this.isOwnPendingMigration(allowed, data, from))) this.checkMember(from, active);

      const execute = encodeFunctionData({
        abi: cityForwarderAbi,
        functionName: "execute",
        args: [{ from, to, value, gas, deadline: Number(deadline), data, signature: input.signature as Hex }],
      });
      return this.accept({
        id,
        kind: "forward",
        member: from,
        to,
        functionName: allowed.functionName,
        nonce,
        // The most the relayer's transaction can use: its calldata, the forwarder's work, and the call's gas (the
        // forwarder also keeps 1/63 of it back, EIP-150).
        reservedGas: intrinsicGas(execute) + FORWARDER_OVERHEAD_GAS + FORWARDER_GAS_PER_BYTE * BigInt((data.length - 2) / 2) + gas + gas / 63n,
        deadline,
        call: { to: this.forwarder, data: execute },
        // ERC-2771: the forwarder appends the signer to the calldata; the target reads it as _msgSender().
        inner: { to, data: concatHex([data, from]), gas },
        next,
      });
    });
  }

  /** Accepts an ERC-2612 permit for CityCoin signed by a member (e.g. so a merchant can pull a payment). */
  relayPermit(input: PermitInput, chainId?: number): Promise<RelayRecord> {
    return this.counting(() => this.permit(input, chainId));
  }

  private async permit(input: PermitInput, chainId?: number): Promise<RelayRecord> {
    this.checkChain(chainId);
    const owner = address(input.owner, "owner");
    const spender = address(input.spender, "spender");
    const value = integer(input.value, "value");
    const nonce = integer(input.nonce, "nonce");
    const deadline = integer(input.deadline, "deadline");
    // The signature first, as for forward requests: no chain read for a forged permit.
    this.coinDomain ??= await this.domainOf(this.coin);
    const id = typedDataDigest(this.coinDomain, permitTypes, "Permit", { owner, spender, value, nonce, deadline });
    await this.checkSigner(id, input.signature, owner);
    return this.asMember(owner, async () => {
      const [, blockTime, next, active] = await Promise.all([this.checkNotSeen(id), this.latestTimestamp(), this.knownNext(owner, "permit", nonce), this.isMember(owner)]);
      this.checkDeadline(deadline, blockTime);
      if (nonce < next) throw new RelayRejectedError("replayed", `permit nonce ${nonce} of ${owner} was already used (next is ${next})`, { requestId: id });
      if (nonce > next) throw new RelayRejectedError("invalid-request", `permit nonce ${nonce} is ahead of ${owner}'s next permit nonce ${next}: sign with nonce ${next}`);
      this.checkMember(owner, active);
      const { r, s, v, yParity } = parseSignature(input.signature as Hex);
      const call = {
        to: this.coin,
        data: encodeFunctionData({
          abi: cityCoinAbi,
          functionName: "permit",
          args: [owner, spender, value, deadline, Number(v ?? BigInt(yParity + 27)), r, s],
        }),
      };
      const reservedGas = intrinsicGas(call.data) + PERMIT_QUOTA_GAS;
      return this.accept({ id, kind: "permit", member: owner, to: this.coin, functionName: "permit", nonce, reservedGas, deadline, call, next });
    });
  }

  /** The relayer's gauges and counters, in Prometheus text lines. */
  metricLines(): string[] {
    const lines = [
      "# HELP relay_requests_accepted_total Requests accepted by the relayer since this process started.",
      "# TYPE relay_requests_accepted_total counter",
      `relay_requests_accepted_total ${this.counters.accepted}`,
      "# HELP relay_requests_rejected_total Requests refused, by problem type.",
      "# TYPE relay_requests_rejected_total counter",
      ...[...this.counters.rejected.entries()].map(([kind, n]) => `relay_requests_rejected_total{type="${kind}"} ${n}`),
      "# HELP relay_transactions_total Relayed transactions mined, by outcome.",
      "# TYPE relay_transactions_total counter",
      `relay_transactions_total{outcome="mined"} ${this.counters.mined}`,
      `relay_transactions_total{outcome="reverted"} ${this.counters.reverted}`,
      "# HELP relay_pending_transactions Relayer transactions sent and not yet mined (all keys of the pool).",
      "# TYPE relay_pending_transactions gauge",
      `relay_pending_transactions ${this.pool.pending}`,
      ...this.pool.metricLines(),
      "# HELP relay_cost_wei The city's gas cost of relaying, per UTC day (wei).",
      "# TYPE relay_cost_wei gauge",
      ...this.costs().map((c) => `relay_cost_wei{day="${c.day}"} ${c.wei}`),
      "# HELP relay_gas_used The gas of relayed transactions, per UTC day.",
      "# TYPE relay_gas_used gauge",
      ...this.costs().map((c) => `relay_gas_used{day="${c.day}"} ${c.gas}`),
    ];
    return lines;
  }

  /** Counts each refusal once in the metrics: those thrown to the caller here, queued ones where they are refused. */
  private async counting(relay: () => Promise<RelayRecord>): Promise<RelayRecord> {
    try {
      return await relay();
    } catch (error) {
      if (error instanceof RelayRejectedError && !error.counted) this.countRejection(error.kind);
      throw error;
    }
  }

  private countRejection(kind: string): void {
    this.counters.rejected.set(kind, (this.counters.rejected.get(kind) ?? 0) + 1);
  }

  // --- acceptance -------------------------------------------------------------------------------------------------

  private async accept(request: {
    id: Hex;
    kind: RelayRecord["kind"];
    member: Address;
    to: Address;
    functionName: string;
    nonce: bigint;
    reservedGas: bigint;
    deadline: bigint;
    call: Queued["call"];
    inner?: Queued["inner"];
    /** The member's next nonce, as read (at the pending block) by the checks a moment ago. */
    next: bigint;
  }): Promise<RelayRecord> {
    const key = request.id.toLowerCase();
    if (this.live.has(key)) throw new RelayRejectedError("replayed", "this request was already received", { requestId: request.id });
    // One request per (member, nonce) at a time: a second one must not replace the first (which would then wait
    // forever, holding quota) nor be sent after it (it would revert). Checked and claimed in the same tick.
    const slot = claimKey(request.kind, request.member, request.nonce);
    const holder = this.claimed.get(slot);
    if (holder) {
      throw new RelayRejectedError(
        "nonce-conflict",
        `${request.kind === "permit" ? "permit " : ""}nonce ${request.nonce} of ${request.member} is held by request ${holder}, not yet final: ` +
          "follow it with GET /v1/relay/{id}; sign a different call with the next free nonce",
        { requestId: holder },
      );
    }
    this.claimed.set(slot, key as Hex);
    const day = utcDay(this.now());
    try {
      await this.reserveQuota(day, request.member, request.reservedGas);
    } catch (error) {
      this.claimed.delete(slot);
      throw error;
    }
    const now = this.now();
    const record: RelayRecord = {
      id: request.id,
      kind: request.kind,
      status: "queued",
      member: request.member,
      to: request.to,
      functionName: request.functionName,
      nonce: request.nonce.toString(),
      reservedGas: request.reservedGas.toString(),
      acceptedAt: now,
      txHashes: [],
      updatedAt: now,
    };
    this.live.set(key, record);
    this.counters.accepted += 1;
    await this.persist(record);

    const done = new Promise<void>((resolve) => {
      const queue = this.queueOf(request.member, request.kind);
      queue.set(request.nonce, { record, call: request.call, inner: request.inner, deadline: request.deadline, settle: resolve });
    });
    const turn = this.drains.run(request.member.toLowerCase(), () => this.drain(request.member, request.kind, request.next));
    await turn;
    if (record.status === "queued") return { ...record };
    await done;
    if (record.status === "rejected" && record.error) {
      throw new RelayRejectedError(
        record.error.type as RelayRejectionKind,
        record.error.detail,
        { requestId: record.id, revert: record.error.revert },
        true,
      );
    }
    return { ...record };
  }

  /**
   * Sends the member's queued requests whose turn has come: the one signed with the member's next nonce (read at
   * the pending block, so requests already sent count), then the next, until a gap. Runs under the member's lock.
   *
   * `known` is the next nonce as last seen — by the acceptance checks, then the nonce after the one just sent — and
   * spares the chain read when a queued request holds exactly that nonce (the common case: a member's requests one
   * after another). If it was stale (the member used the nonce directly meanwhile), the simulation fails and
   * {@link submit} reads the nonce to refuse the request as `replayed`, as the read here would have.
   */
  private async drain(member: Address, kind: RelayRecord["kind"], known?: bigint): Promise<void> {
    const queue = this.queueOf(member, kind);
    while (queue.size > 0) {
      const next = known !== undefined && queue.has(known) ? known : await this.nextNonce(member, kind);
      known = undefined;
      for (const [nonce, stale] of queue) {
        if (nonce >= next) continue;
        queue.delete(nonce);
        await this.reject(stale, "replayed", `nonce ${nonce} of ${member} was used before this request's turn (by another request, or by the member directly): dropped`);
      }
      const entry = queue.get(next);
      if (!entry) return;
      queue.delete(next);
      await this.submit(entry);
      if (entry.record.status === "submitted") known = next + 1n;
    }
  }

  /** The member's next nonce read from the chain (at the pending block), remembered for {@link knownNext}. */
  private async nextNonce(member: Address, kind: RelayRecord["kind"]): Promise<bigint> {
    const next = await (kind === "forward" ? this.readNonce(this.forwarder, cityForwarderAbi, member) : this.readNonce(this.coin, cityCoinAbi, member));
    // A reading that started before this relayer sent the member's latest request may lag it: the higher one stays.
    const known = this.nextNonces.get(nonceKey(kind, member));
    if (known === undefined || next > known) this.rememberNonce(member, kind, next);
    return next;
  }

  /**
   * The member's next nonce for a request signed with `nonce`: the one remembered when it is exactly `nonce` (the
   * common case, a member's requests one after another: no chain read), else read from the chain. Remembered is the
   * chain's reading or the nonce after the last one sent, and forgotten when a request of the member fails, so it is
   * never ahead of the chain; it may be behind it when the member used the nonce outside this relayer — then the
   * request is accepted and its simulation fails, and {@link submit} reads the chain and refuses it as `replayed`,
   * as the read here would have (the member's quota counts it the same way: a request, and a refusal). A nonce other
   * than the remembered one (a replay of an older one, a burst signed ahead) always reads the chain.
   */
  private knownNext(member: Address, kind: RelayRecord["kind"], nonce: bigint): Promise<bigint> {
    const known = this.nextNonces.get(nonceKey(kind, member));
    return known === nonce ? Promise.resolve(known) : this.nextNonce(member, kind);
  }

  private rememberNonce(member: Address, kind: RelayRecord["kind"], next: bigint | undefined): void {
    const key = nonceKey(kind, member);
    this.nextNonces.delete(key); // re-inserted last: the map's order is the oldest first, for the bound below
    if (next === undefined) return;
    this.nextNonces.set(key, next);
    if (this.nextNonces.size > REMEMBERED_NONCES) this.nextNonces.delete(this.nextNonces.keys().next().value!);
  }

  private async submit(entry: Queued): Promise<void> {
    const { publicClient } = this.options;
    const { record } = entry;
    // The transaction's gas limit is the bound the member's quota was charged on acceptance (calldata, the
    // forwarder's work, the call's gas): the most it may use, so it needs no estimate, and the quota already holds it
    // (corrected to gasUsed on the receipt; the city pays for gas used, not for the limit).
    const gasLimit = BigInt(record.reservedGas);
    // The simulation: one run of the relayer's own transaction with that gas limit succeeds only if the whole call
    // would (the forwarder reverts when the inner call does; an estimate would run it several times). Only on failure
    // is the inner call run on its own, as the forwarder would make it, so the refusal names the target's custom
    // error rather than the forwarder's generic FailedCall.
    try {
      await publicClient.call({ account: this.address, to: entry.call.to, data: entry.call.data, gas: gasLimit, blockTag: "pending" });
    } catch (error) {
      // Refused as the acceptance checks would have, had they read the chain at this moment: the member's nonce used
      // meanwhile (directly, or by another relayer) is a replay, as {@link drain} calls it; a deadline passed is expired.
      const [next, blockTime] = await Promise.all([
        this.nextNonce(record.member, record.kind).catch(() => undefined),
        this.latestTimestamp(true).catch(() => undefined),
      ]);
      if (next !== undefined && BigInt(record.nonce) < next) {
        return this.reject(entry, "replayed", `nonce ${record.nonce} of ${record.member} was used before this request's turn (by another request, or by the member directly): dropped`);
      }
      if (blockTime !== undefined && entry.deadline <= blockTime) {
        return this.reject(entry, "expired", `the request's deadline ${entry.deadline} has passed (latest block time ${blockTime}); sign a new one`);
      }
      const inner = entry.inner ? await this.simulate({ account: this.forwarder, ...entry.inner }) : undefined;
      const revert = inner ?? this.decodeRevert(error) ?? { name: "", args: [], message: firstLine(error) };
      return this.reject(entry, "simulation-reverted", revert.message, revert);
    }
    try {
      const sent = await this.pool.send(
        record.member,
        { ...entry.call, gas: gasLimit },
        (receipt) => this.mined(record, receipt),
        (hashes) => {
          record.txHashes = hashes;
          record.updatedAt = this.now();
          void this.persist(record);
        },
      );
      record.status = "submitted";
      record.relayer = sent.from;
      record.relayerNonce = sent.nonce;
      this.rememberNonce(record.member, record.kind, BigInt(record.nonce) + 1n);
      record.updatedAt = this.now();
      await this.persist(record);
      this.changed(record);
    } catch (error) {
      this.options.logger?.error(`relayer: could not send ${record.id}: ${firstLine(error)}`);
      await this.reject(entry, "relay-unavailable", "the relayer could not send the transaction; try again shortly");
    }
    entry.settle();
  }

  private async reject(entry: Queued, kind: RelayRejectionKind, detail: string, revert?: { name: string; args: string[] }): Promise<void> {
    // What the relayer knew of the member's nonces may be wrong (the reason it failed, or a nonce left unused).
    this.rememberNonce(entry.record.member, entry.record.kind, undefined);
    // Nothing was sent: no gas is charged; the request still counts, and as a refusal (unless the relayer failed).
    await this.charge(entry.record, 0n, { refused: kind !== "relay-unavailable" });
    await this.finish(entry.record, "rejected", { type: kind, detail, ...(revert?.name ? { revert: { name: revert.name, args: revert.args } } : {}) });
    this.countRejection(kind);
    entry.settle();
  }

  private async finish(record: RelayRecord, status: RelayRecord["status"], error?: RelayRecord["error"]): Promise<void> {
    record.status = status;
    if (error) record.error = error;
    record.updatedAt = this.now();
    this.live.delete(record.id.toLowerCase());
    const slot = claimKey(record.kind, record.member, BigInt(record.nonce));
    if (this.claimed.get(slot) === record.id.toLowerCase()) this.claimed.delete(slot);
    await this.persist(record);
    this.changed(record);
  }

  /**
   * Resolves when the request `id`, last seen with status `seen`, has another (sent, or final), or after `timeoutMs`:
   * a client follows its request with one long-poll per change instead of asking again and again.
   */
  nextChange(id: Hex, seen: RelayRecord["status"], timeoutMs: number): Promise<void> {
    const key = id.toLowerCase();
    const live = this.live.get(key);
    if (!live || live.status !== seen || this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      let waiters = this.waiters.get(key);
      if (!waiters) this.waiters.set(key, (waiters = new Set()));
      const set = waiters;
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0 && this.waiters.get(key) === set) this.waiters.delete(key);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      set.add(done);
    });
  }

  /** Wakes whoever waits on `record` (see {@link nextChange}). */
  private changed(record: RelayRecord): void {
    for (const done of [...(this.waiters.get(record.id.toLowerCase()) ?? [])]) done();
  }

  /** Wakes every long-poll (the node is closing: they answer the status as it is). */
  releaseWaiters(): void {
    this.stopping = true;
    for (const set of [...this.waiters.values()]) for (const done of [...set]) done();
  }

  /**
   * Records a receipt the pool reported. Its writes can fail (the store closing under a late receipt, a full disk):
   * logged here, where the record is known, since the pool's callback cannot wait for them and an unhandled rejection
   * would end the node's process.
   */
  private mined(record: RelayRecord, receipt: TransactionReceipt): void {
    this.onMined(record, receipt).catch((error: unknown) =>
      this.options.logger?.error(`relayer: could not record the receipt of ${record.id} (${receipt.transactionHash}): ${firstLine(error)}`),
    );
  }

  private async onMined(record: RelayRecord, receipt: TransactionReceipt): Promise<void> {
    const cost = receipt.gasUsed * receipt.effectiveGasPrice;
    record.txHashes = [...record.txHashes.filter((h) => h !== receipt.transactionHash), receipt.transactionHash];
    record.blockNumber = receipt.blockNumber.toString();
    record.gasUsed = receipt.gasUsed.toString();
    record.cost = cost.toString();
    const day = utcDay(this.now());
    const current = this.costByDay.get(day) ?? { wei: 0n, gas: 0n, txs: 0 };
    this.costByDay.set(day, { wei: current.wei + cost, gas: current.gas + receipt.gasUsed, txs: current.txs + 1 });
    const costAdded = this.options.store.addCost(day, cost, receipt.gasUsed);
    if (receipt.status === "success") {
      // The day's cost and the member's quota are separate records: written side by side.
      await Promise.all([costAdded, this.charge(record, receipt.gasUsed)]);
      this.counters.mined += 1;
      await this.finish(record, "mined");
      return;
    }
    await costAdded;
    this.counters.reverted += 1;
    // The member's nonce was not used (or was used by another transaction): read it again for the next request.
    this.rememberNonce(record.member, record.kind, undefined);
    // Whose nonce was it? If the member's nonce was used by another transaction (the member executing the same or
    // another request directly, after the simulation at send time), the member made the relayer pay for a revert.
    const frontRun = record.kind === "forward" && (await this.nonceUsedBefore(record, receipt.blockNumber));
    await this.charge(record, receipt.gasUsed, { refused: frontRun });
    if (frontRun) {
      this.countRejection("front-run");
      await this.finish(record, "reverted", {
        type: "front-run",
        detail: `nonce ${record.nonce} was used by another transaction of ${record.member} before the relayer's was mined; the relayer paid for the revert, counted against the member's quota`,
      });
    } else {
      await this.finish(record, "reverted", { type: "reverted", detail: "the transaction was mined but reverted (state changed after the simulation); the member's nonce is not used" });
    }
  }

  /** Whether the member's forwarder nonce had moved past the record's by `block` (the relayer's own tx reverted). */
  private async nonceUsedBefore(record: RelayRecord, block: bigint): Promise<boolean> {
    try {
      const next = (await this.options.publicClient.readContract({
        address: this.forwarder,
        abi: cityForwarderAbi,
        functionName: "nonces",
        args: [record.member],
        blockNumber: block,
      })) as bigint;
      return next > BigInt(record.nonce);
    } catch {
      return false;
    }
  }

  private poll(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    try {
      await this.pool.poll();
      await this.expireQueued();
      await this.recheckQueues();
    } catch (error) {
      this.options.logger?.warn(`relayer: poll failed: ${firstLine(error)}`);
    }
  }

  /**
   * Re-reads, every few seconds, the next nonce of members with queued requests: the gap a queued request waits for
   * may have been filled outside the relayer (the member sending that nonce directly), and then it is sent now
   * rather than expiring; one that the member used directly in the meantime is dropped as `replayed`.
   */
  private async recheckQueues(): Promise<void> {
    const now = this.now();
    for (const [key, queue] of this.queues) {
      if (queue.size === 0) {
        this.queues.delete(key);
        this.checkedAt.delete(key);
        continue;
      }
      if (now - (this.checkedAt.get(key) ?? 0) < QUEUE_RECHECK_MS) continue;
      this.checkedAt.set(key, now);
      const [kind, member] = key.split(":") as [RelayRecord["kind"], Address];
      await this.drains.run(member, () => this.drain(member, kind));
    }
  }

  /** Rejects queued requests past their deadline or waiting too long for an earlier nonce that never came. */
  private async expireQueued(): Promise<void> {
    const now = this.now();
    const timeout = this.options.queueTimeoutMs ?? 120_000;
    for (const queue of this.queues.values()) {
      for (const [nonce, entry] of queue) {
        const waited = now - entry.record.acceptedAt;
        if (waited < timeout && BigInt(Math.floor(now / 1000)) < entry.deadline) continue;
        queue.delete(nonce);
        await this.reject(entry, "expired", `waited ${Math.round(waited / 1000)} s for the member's earlier nonces without receiving them`);
      }
    }
  }

  // --- checks -----------------------------------------------------------------------------------------------------

  private checkChain(chainId: number | undefined): void {
    if (chainId !== undefined && chainId !== this.options.chainId) {
      throw new RelayRejectedError("wrong-chain", `this relayer serves chain ${this.options.chainId}, the request is for chain ${chainId}`);
    }
  }

  /**
   * The latest block's time, read at most once a second (not once per request). A cached time is never ahead of the
   * chain's, so a deadline it finds passed has passed; one that passed within the second is caught by the simulation
   * and refused as `expired` all the same (see {@link submit}).
   */
  private latestTimestamp(fresh = false): Promise<bigint> {
    const cached = this.blockTime;
    if (!fresh && cached && Date.now() - cached.at < 1_000) return cached.time;
    const time = this.options.publicClient.getBlock({ blockTag: "latest" }).then((block) => block.timestamp);
    this.blockTime = { at: Date.now(), time };
    time.catch(() => (this.blockTime = undefined));
    return time;
  }

  private checkDeadline(deadline: bigint, blockTime: bigint): void {
    if (deadline <= blockTime) {
      throw new RelayRejectedError("expired", `the request's deadline ${deadline} has passed (latest block time ${blockTime}); sign a new one`);
    }
  }

  private async checkSigner(digest: Hex, signature: string, expected: Address): Promise<void> {
    let signer: Address;
    try {
      // Off the event loop (see SignatureWorker).
      signer = await signatureWorker().recover(digest, signature as Hex);
    } catch {
      throw new RelayRejectedError("bad-signature", "the signature is not a valid secp256k1 signature");
    }
    if (!isAddressEqual(signer, expected)) {
      throw new RelayRejectedError(
        "bad-signature",
        `the signature is not ${expected}'s for this request on chain ${this.options.chainId} (signed by ${signer} or for other fields, nonce, chain or contract)`,
      );
    }
  }

  private async checkNotSeen(id: Hex): Promise<void> {
    const seen = this.live.get(id.toLowerCase()) ?? (await this.options.store.get(id));
    if (seen) throw new RelayRejectedError("replayed", `this request was already received (status ${seen.status})`, { requestId: id });
  }

  private isMember(account: Address): Promise<boolean> {
    return this.options.publicClient.readContract({
      address: this.registry,
      abi: cityRegistryAbi,
      functionName: "isActiveMember",
      args: [account],
    });
  }

  /**
   * Whether the request approves or cancels a pending migration of the signer's own membership: the one call relayed
   * for a member who is not active (CityRegistry lets a member stop a migration of itself whatever its status, and a
   * suspended member is exactly the one a registrar could try to move). Bounded like any member request: it needs a
   * migration pending for that very key, so an arbitrary key cannot make the relayer simulate or store anything.
   */
  private async isOwnPendingMigration(allowed: AllowedCall, data: Hex, from: Address): Promise<boolean> {
    if (allowed.contract !== "CityRegistry") return false;
    const { args } = decodeFunctionData({ abi: [allowed.item], data });
    const member = args?.[0];
    if (typeof member !== "string" || !isAddressEqual(member as Address, from)) return false;
    const pending = await this.options.publicClient.readContract({
      address: this.registry,
      abi: cityRegistryAbi,
      functionName: "migrationOf",
      args: [from],
    });
    return !isAddressEqual(pending.to, zeroAddress);
  }

  private checkMember(account: Address, active: boolean): void {
    if (!active) throw new RelayRejectedError("not-a-member", `${account} is not an active member of the city: only members' actions are relayed`);
  }

  private notAllowed(to: Address, data: Hex): RelayRejectedError {
    if (!this.allowList.isRelayedContract(to)) {
      return new RelayRejectedError("not-allowed", `${to} is not a city contract the relayer calls`);
    }
    return new RelayRejectedError("not-allowed", `function ${data.slice(0, 10)} of ${to} is not a member action the relayer pays for`);
  }

  /** Midnight UTC after `day`, as a Retry-After in seconds from now. */
  private retryAfter(day: string): number {
    const midnight = Date.parse(`${day}T00:00:00Z`) + 86_400_000;
    return Math.max(1, Math.ceil((midnight - this.now()) / 1000));
  }

  /**
   * Runs the checks that follow a valid signature: the member's allowance for the day is checked first (a read of
   * the relayer's own store, no chain read), and any refusal from here on counts against the member — a request,
   * and a refusal — so failing requests are not free. Non-members are not counted (nothing is stored for them).
   */
  private async asMember(member: Address, work: () => Promise<RelayRecord>): Promise<RelayRecord> {
    const day = utcDay(this.now());
    const use = await this.options.store.quota(day, member);
    const { requestsPerDay, refusalsPerDay } = this.options.quota;
    if (use.requests >= requestsPerDay) {
      throw new RelayRejectedError("quota-exceeded", `${member} has used its ${requestsPerDay} relayed requests of ${day} (UTC)`, {
        retryAfterSeconds: this.retryAfter(day),
      });
    }
    if (use.refused >= refusalsPerDay) {
      throw new RelayRejectedError(
        "quota-exceeded",
        `${member} has had ${use.refused} relayed requests refused on ${day} (UTC), the most allowed: check requests before sending them`,
        { retryAfterSeconds: this.retryAfter(day) },
      );
    }
    try {
      return await work();
    } catch (error) {
      if (error instanceof RelayRejectedError && !error.counted && error.kind !== "quota-exceeded" && error.kind !== "not-a-member") {
        await this.quotas.run(member.toLowerCase(), async () => {
          const now = await this.options.store.quota(day, member);
          await this.options.store.setQuota(day, member, { ...now, requests: now.requests + 1, refused: now.refused + 1 });
        });
      }
      throw error;
    }
  }

  private async reserveQuota(day: string, member: Address, gas: bigint): Promise<void> {
    await this.quotas.run(member.toLowerCase(), async () => {
      const use = await this.options.store.quota(day, member);
      const { requestsPerDay, gasPerDay } = this.options.quota;
      if (use.requests + 1 > requestsPerDay || use.gas + gas > gasPerDay) {
        throw new RelayRejectedError(
          "quota-exceeded",
          use.requests + 1 > requestsPerDay
            ? `${member} has used its ${requestsPerDay} relayed requests of ${day} (UTC)`
            : `${member}'s relayed transactions of ${day} (UTC) would exceed ${gasPerDay} gas (used ${use.gas}, this one may use up to ${gas})`,
          { retryAfterSeconds: this.retryAfter(day) },
        );
      }
      await this.options.store.setQuota(day, member, { ...use, requests: use.requests + 1, gas: use.gas + gas });
    });
  }

  /**
   * Sets the gas `record` is charged on its acceptance day's quota to `gas` (the bound, then the gas limit sent, then
   * the receipt's gasUsed), and counts a refusal when `refused`. With `enforce`, an increase beyond the day's gas
   * quota is refused (quota-exceeded) and nothing changes.
   */
  private async charge(record: RelayRecord, gas: bigint, options: { refused?: boolean; enforce?: boolean } = {}): Promise<void> {
    const day = utcDay(record.acceptedAt);
    await this.quotas.run(record.member.toLowerCase(), async () => {
      const use = await this.options.store.quota(day, record.member);
      const delta = gas - BigInt(record.reservedGas);
      const { gasPerDay } = this.options.quota;
      if (options.enforce && delta > 0n && use.gas + delta > gasPerDay) {
        throw new RelayRejectedError(
          "quota-exceeded",
          `${record.member}'s relayed transactions of ${day} (UTC) would exceed ${gasPerDay} gas (used ${use.gas}, this one needs ${gas})`,
          { retryAfterSeconds: this.retryAfter(day) },
        );
      }
      const total = use.gas + delta;
      record.reservedGas = gas.toString();
      await this.options.store.setQuota(day, record.member, {
        requests: use.requests,
        gas: total < 0n ? 0n : total,
        refused: use.refused + (options.refused ? 1 : 0),
      });
    });
  }

  // --- helpers ----------------------------------------------------------------------------------------------------

  private async simulate(call: { account: Address; to: Address; data: Hex; gas: bigint }): Promise<{ name: string; args: string[]; message: string } | undefined> {
    try {
      await this.options.publicClient.call({ ...call, blockTag: "pending" });
      return undefined;
    } catch (error) {
      return this.decodeRevert(error) ?? { name: "", args: [], message: `the call reverts: ${firstLine(error)}` };
    }
  }

  /** The custom error a revert carries, decoded with every city contract's errors. */
  private decodeRevert(error: unknown): { name: string; args: string[]; message: string } | undefined {
    const data = revertData(error);
    if (!data) return undefined;
    try {
      const { errorName, args } = decodeErrorResult({ abi: this.errorsAbi, data });
      const rendered = (args ?? []).map((a) => (typeof a === "bigint" ? a.toString() : String(a)));
      return { name: errorName, args: rendered, message: `the call reverts with ${errorName}(${rendered.join(", ")})` };
    } catch {
      return { name: "", args: [], message: `the call reverts (data ${data.slice(0, 74)})` };
    }
  }

  private async readNonce(contract: Address, abi: typeof cityForwarderAbi | typeof cityCoinAbi, owner: Address): Promise<bigint> {
    return (await this.options.publicClient.readContract({
      address: contract,
      abi: abi as typeof cityForwarderAbi,
      functionName: "nonces",
      args: [owner],
      blockTag: "pending",
    })) as bigint;
  }

  private async domainOf(contract: Address): Promise<TypedDataDomain> {
    const [, name, version, chainId, verifyingContract] = await this.options.publicClient.readContract({
      address: contract,
      abi: cityForwarderAbi,
      functionName: "eip712Domain",
    });
    return { name, version, chainId: Number(chainId), verifyingContract };
  }

  private queueOf(member: Address, kind: RelayRecord["kind"]): Map<bigint, Queued> {
    const key = `${kind}:${member.toLowerCase()}`;
    let queue = this.queues.get(key);
    if (!queue) this.queues.set(key, (queue = new Map()));
    return queue;
  }

  /** A record's writes go through its own chain, so that its later state is never overwritten by an earlier one. */
  private persist(record: RelayRecord): Promise<void> {
    const snapshot = { ...record, txHashes: [...record.txHashes] };
    const run = this.writes.run(record.id.toLowerCase(), () => this.options.store.put(snapshot));
    run.catch((error: Error) => this.options.logger?.error(`relayer: could not persist ${record.id}: ${error.message}`));
    return run;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

function nonceKey(kind: RelayRecord["kind"], member: Address): string {
  return `${kind}:${member.toLowerCase()}`;
}

function claimKey(kind: RelayRecord["kind"], member: Address, nonce: bigint): string {
  return `${kind}:${member.toLowerCase()}:${nonce}`;
}

/**
 * Intrinsic gas of a transaction carrying `data` (no access list, not a creation): 21,000 plus 4 per zero byte and 16
 * per other byte, or the EIP-7623 floor (10 per token, a token being a zero byte or a quarter of another) when higher.
 */
export function intrinsicGas(data: Hex): bigint {
  let zeros = 0n;
  let others = 0n;
  for (let i = 2; i < data.length; i += 2) {
    if (data[i] === "0" && data[i + 1] === "0") zeros += 1n;
    else others += 1n;
  }
  const standard = 21_000n + 4n * zeros + 16n * others;
  const floor = 21_000n + 10n * (zeros + 4n * others);
  return standard > floor ? standard : floor;
}

function address(value: string, field: string): Address {
  try {
    return getAddress(value);
  } catch {
    throw new RelayRejectedError("invalid-request", `${field} is not an address: ${JSON.stringify(value).slice(0, 60)}`);
  }
}

function hex(value: string, field: string): Hex {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(value)) throw new RelayRejectedError("invalid-request", `${field} must be 0x-prefixed hex bytes`);
  return value.toLowerCase() as Hex;
}

function integer(value: string, field: string): bigint {
  if (!/^[0-9]{1,78}$/.test(value)) throw new RelayRejectedError("invalid-request", `${field} must be a decimal integer string`);
  const n = BigInt(value);
  if (n >= 2n ** 256n) throw new RelayRejectedError("invalid-request", `${field} does not fit in 256 bits`);
  return n;
}

/** The revert data somewhere in a viem (or provider) error chain. */
function revertData(error: unknown): Hex | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 8; depth++) {
    const e = current as { data?: unknown; raw?: unknown; cause?: unknown };
    for (const candidate of [e.raw, e.data, (e.data as { data?: unknown } | undefined)?.data]) {
      if (typeof candidate === "string" && /^0x[0-9a-fA-F]{8,}$/.test(candidate)) return candidate as Hex;
    }
    current = e.cause;
  }
  return undefined;
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split("\n")[0];
}
