import type { LedgerUpdate } from "./types";

/**
 * In-process publish/subscribe of ledger updates (new entries, checkpoints, tentative changes, halts): the follower
 * publishes, the SSE route and the anchorer subscribe. A slow subscriber never blocks ingestion: listeners are
 * called synchronously and must only enqueue.
 */
export class UpdateBus {
  private readonly listeners = new Set<(update: LedgerUpdate) => void>();

  subscribe(listener: (update: LedgerUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(update: LedgerUpdate): void {
    for (const listener of this.listeners) listener(update);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }
}
