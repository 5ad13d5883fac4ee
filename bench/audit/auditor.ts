/**
 * The auditor's side of bench:audit, in a worker thread of its own: the bare eth_getLogs download (the baseline) and
 * each audit run there, one after the other, timed inside the worker. The chain (Hardhat's in-process network and its
 * JSON-RPC server) and the ledger node stay on the main thread, as they would be other programs (an RPC provider, an
 * operator's node) for a real auditor: on one thread, the chain's serialization of every eth_getLogs answer and the
 * auditor's work on the previous one took turns instead of overlapping, a cost no real audit pays.
 */
import { parentPort, type Worker } from "node:worker_threads";
import { tsWorker } from "../ledger/load";
import { createPublicClient, http, type Address, type PublicClient } from "viem";
import { downloadLogs } from "../../scripts/audit/derive";
import { runAuditChecks } from "../../scripts/audit/audit";
import type { AuditReport } from "../../scripts/audit/types";
import type { DeploymentRecord } from "../../scripts/lib/deploy";

export interface Chain {
  rpcUrl: string;
  addresses: Address[];
  fromBlock: bigint;
  toBlock: bigint;
  blockRange: bigint;
}

type Job =
  | { kind: "download"; chain: Chain }
  | { kind: "audit"; chain: Chain; deployment: DeploymentRecord; nodeUrl?: string; entrySamplePages?: "all"; entrySource?: "api" };

type Done = { ms: number; logs?: number; report?: AuditReport; error?: string };

/** A worker thread that runs downloads and audits on request; `close()` ends it. */
export class Auditor {
  private readonly worker: Worker;

  constructor() {
    this.worker = tsWorker(__filename, "serveJobs");
  }

  /** Milliseconds of the bare download, and how many logs it read. */
  async download(chain: Chain): Promise<{ ms: number; logs: number }> {
    const done = await this.run({ kind: "download", chain });
    return { ms: done.ms, logs: done.logs! };
  }

  /** Milliseconds of one audit, and its report. */
  async audit(job: Omit<Extract<Job, { kind: "audit" }>, "kind">): Promise<{ ms: number; report: AuditReport }> {
    const done = await this.run({ kind: "audit", ...job });
    return { ms: done.ms, report: done.report! };
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }

  private run(job: Job): Promise<Done> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.worker.once("error", onError);
      this.worker.once("message", (done: Done) => {
        this.worker.off("error", onError);
        if (done.error) reject(new Error(`auditor worker: ${done.error}`));
        else resolve(done);
      });
      this.worker.postMessage(job);
    });
  }
}

/** Entry point inside the worker. */
export function serveJobs(): void {
  const clients = new Map<string, PublicClient>();
  const clientOf = (url: string) => {
    let client = clients.get(url);
    if (!client) clients.set(url, (client = createPublicClient({ transport: http(url, { retryCount: 0, timeout: 300_000 }) }) as PublicClient));
    return client;
  };
  parentPort!.on("message", (job: Job) => {
    const { rpcUrl, addresses, fromBlock, toBlock, blockRange } = job.chain;
    const client = clientOf(rpcUrl);
    const started = performance.now();
    const work: Promise<Omit<Done, "ms">> =
      job.kind === "download"
        ? downloadLogs({ client, addresses, fromBlock, toBlock, blockRange }).then((logs) => ({ logs }))
        : runAuditChecks({
            client,
            deployment: job.deployment,
            rpcUrl,
            nodeUrl: job.nodeUrl,
            toBlock,
            blockRange,
            entrySamplePages: job.entrySamplePages,
            entrySource: job.entrySource,
          }).then((report) => ({ report }));
    work.then(
      (result) => parentPort!.postMessage({ ms: performance.now() - started, ...result }),
      (error: unknown) => parentPort!.postMessage({ ms: 0, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
}
