import { Worker } from "node:worker_threads";
import {
  concat,
  getTypesForEIP712Domain,
  hashDomain,
  hashStruct,
  keccak256,
  recoverAddress,
  validateTypedData,
  type Address,
  type Hex,
  type PrivateKeyAccount,
  type TransactionSerializable,
  type TypedDataDomain,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

/** Each domain's separator, hashed once per domain object (see {@link typedDataDigest}). */
const separators = new WeakMap<TypedDataDomain, Hex>();

/**
 * The EIP-712 digest of `message` (viem's `hashTypedData`, the same validation and encoding) with the domain's
 * separator hashed once per domain object: hashTypedData hashes it again on every call, half of its cost, and the
 * relayer's domains are read once at start.
 */
export function typedDataDigest(
  domain: TypedDataDomain,
  types: Record<string, readonly { name: string; type: string }[]>,
  primaryType: string,
  message: Record<string, unknown>,
): Hex {
  const all = { EIP712Domain: getTypesForEIP712Domain({ domain }), ...types };
  validateTypedData({ domain, types: all, primaryType, message } as never);
  let separator = separators.get(domain);
  if (!separator) separators.set(domain, (separator = hashDomain({ domain, types: all } as never)));
  return keccak256(concat(["0x1901", separator, hashStruct({ data: message, primaryType, types: all } as never)]));
}

/**
 * The worker's code: viem's own recoverAddress and privateKeyToAccount(…).signTransaction (the same functions the main
 * thread would call), loaded from the paths the main thread resolved, so the worker needs no TypeScript and finds viem
 * wherever the node runs from.
 */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { recoverAddress } = require(workerData.viem);
const { privateKeyToAccount } = require(workerData.accounts);
const accounts = new Map();
const accountOf = (key) => accounts.get(key) || accounts.set(key, privateKeyToAccount(key)).get(key);
parentPort.on("message", ({ id, hash, signature, key, tx }) =>
  (key ? accountOf(key).signTransaction(tx) : recoverAddress({ hash, signature })).then(
    (result) => parentPort.postMessage({ id, result }),
    (error) => parentPort.postMessage({ id, error: String((error && error.message) || error) }),
  ),
);
`;

type Work = { hash: Hex; signature: Hex } | { key: Hex; tx: TransactionSerializable };

/**
 * Signature work in a worker thread: recovering the signer of a request (viem's `recoverAddress`, ~2 ms of pure
 * JavaScript, the relayer's largest cost per request) and signing the relayer's transactions (~1 ms). On the event
 * loop they held up what the node's API, its follower and the relayer's other checks share; in the worker they run on
 * another core. The functions are viem's own, so results are the same. If the worker cannot start or dies (or is
 * closed), the work runs on the main thread.
 */
export class SignatureWorker {
  private worker: Worker | undefined;
  private failed = false;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (result: Hex) => void; reject: (error: Error) => void }>();

  recover(hash: Hex, signature: Hex): Promise<Address> {
    return this.run({ hash, signature }, () => recoverAddress({ hash, signature })) as Promise<Address>;
  }

  /** `account`'s signTransaction, run in the worker with `key` (the account's private key). */
  signTransaction(account: PrivateKeyAccount, key: Hex, tx: TransactionSerializable): Promise<Hex> {
    return this.run({ key, tx }, () => account.signTransaction(tx));
  }

  /** Stops the worker; work still pending runs on the main thread. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failed = true;
    this.fail();
    await worker?.terminate();
  }

  private run(work: Work, here: () => Promise<Hex>): Promise<Hex> {
    const worker = this.started();
    if (!worker) return here();
    const id = this.nextId++;
    const done = new Promise<Hex>((resolve, reject) => {
      if (this.pending.size === 0) worker.ref(); // work pending keeps the process alive until it is done
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...work });
    });
    // The worker went away under it: done here instead, so no request is refused for that.
    return done.catch((error: Error) => (error instanceof WorkerGone ? here() : Promise.reject(error)));
  }

  private started(): Worker | undefined {
    if (this.worker || this.failed) return this.worker;
    try {
      const worker = new Worker(WORKER, { eval: true, workerData: { viem: require.resolve("viem"), accounts: require.resolve("viem/accounts") } });
      worker.on("message", ({ id, result, error }: { id: number; result?: Hex; error?: string }) => {
        const waiter = this.pending.get(id);
        this.pending.delete(id);
        if (this.pending.size === 0) worker.unref();
        if (result) waiter?.resolve(result);
        else waiter?.reject(new Error(error));
      });
      const gone = () => {
        if (this.worker !== worker) return;
        this.worker = undefined;
        this.failed = true;
        this.fail();
      };
      worker.on("error", gone);
      worker.on("exit", gone);
      // An idle worker does not keep the process alive (unref'd after the listeners: adding one refs it again).
      worker.unref();
      this.worker = worker;
    } catch {
      this.failed = true;
    }
    return this.worker;
  }

  /** Work waiting on a worker that is gone: run on the main thread (see {@link run}). */
  private fail(): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const waiter of waiting) waiter.reject(new WorkerGone());
  }
}

let shared: SignatureWorker | undefined;

/** The process's signature worker, started on first use (one thread however many relayers and keys). */
export function signatureWorker(): SignatureWorker {
  return (shared ??= new SignatureWorker());
}

/** `key`'s account, its transactions signed in the {@link signatureWorker} (everything else as privateKeyToAccount's). */
export function workerSignedAccount(key: Hex): PrivateKeyAccount {
  const account = privateKeyToAccount(key);
  return { ...account, signTransaction: (tx) => signatureWorker().signTransaction(account, key, tx as TransactionSerializable) };
}

/** The worker went away under a recovery (see {@link SignatureRecoverer}). */
class WorkerGone extends Error {
  override name = "WorkerGone";
}
