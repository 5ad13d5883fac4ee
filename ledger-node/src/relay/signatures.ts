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
  type TypedDataDomain,
} from "viem";

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
 * The worker's code: viem's own recoverAddress (the same function the main thread would call), loaded from the path
 * the main thread resolved, so the worker needs no TypeScript and finds viem wherever the node runs from.
 */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { recoverAddress } = require(workerData.viem);
parentPort.on("message", ({ id, hash, signature }) =>
  recoverAddress({ hash, signature }).then(
    (address) => parentPort.postMessage({ id, address }),
    (error) => parentPort.postMessage({ id, error: String((error && error.message) || error) }),
  ),
);
`;

/**
 * Recovers the signer of a secp256k1 signature (viem's `recoverAddress`) in a worker thread: at ~2 ms of pure
 * JavaScript it was the relayer's largest cost per request on the event loop, which the node's API, its follower and
 * the relayer's other checks share; in the worker it runs on another core. The result is the same function's, so the
 * signature check is unchanged. If the worker cannot start or dies (or is closed), recovery runs on the main thread.
 */
export class SignatureRecoverer {
  private worker: Worker | undefined;
  private failed = false;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (address: Address) => void; reject: (error: Error) => void }>();

  recover(hash: Hex, signature: Hex): Promise<Address> {
    const worker = this.started();
    if (!worker) return recoverAddress({ hash, signature });
    const id = this.nextId++;
    const recovered = new Promise<Address>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, hash, signature });
    });
    // The worker went away under it: recovered here instead, so no request is refused for that.
    return recovered.catch((error: Error) => (error instanceof WorkerGone ? recoverAddress({ hash, signature }) : Promise.reject(error)));
  }

  /** Stops the worker; recoveries still pending are refused. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failed = true;
    this.fail();
    await worker?.terminate();
  }

  private started(): Worker | undefined {
    if (this.worker || this.failed) return this.worker;
    try {
      const worker = new Worker(WORKER, { eval: true, workerData: { viem: require.resolve("viem") } });
      worker.unref(); // an idle worker does not keep the process alive
      worker.on("message", ({ id, address, error }: { id: number; address?: Address; error?: string }) => {
        const waiter = this.pending.get(id);
        this.pending.delete(id);
        if (address) waiter?.resolve(address);
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
      this.worker = worker;
    } catch {
      this.failed = true;
    }
    return this.worker;
  }

  /** Recoveries waiting on a worker that is gone: retried on the main thread (see {@link recover}). */
  private fail(): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const waiter of waiting) waiter.reject(new WorkerGone());
  }
}

/** The worker went away under a recovery (see {@link SignatureRecoverer}). */
class WorkerGone extends Error {
  override name = "WorkerGone";
}
