import fp from "fastify-plugin";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ServerResponse } from "node:http";
import { bytesToHex } from "viem";
import type { NodeContext } from "../../context";
import type { LedgerUpdate, SignedCheckpoint } from "../../types";
import { ProblemError } from "../problems";
import type { Metrics } from "./metrics";

declare module "fastify" {
  interface FastifyInstance {
    streams: StreamHub;
  }
}

export interface StreamOptions {
  /** Interval of the keep-alive comments (default 15 s). */
  heartbeatMs?: number;
  /** Open streams allowed at once (default 1000); more get a 503 over-capacity problem. */
  maxSubscribers?: number;
  /**
   * Open streams allowed per client IP (default 10); more get a 429 rate-limited problem, so that one client cannot
   * hold every stream of the node.
   */
  maxStreamsPerIp?: number;
  /** Bytes a stream may have unsent before it is dropped (default 1 MiB): a slow client resumes with Last-Event-ID. */
  maxBufferedBytes?: number;
}

/**
 * Server-Sent Events of the update bus, written on the raw response (text/event-stream, no extra package).
 *
 * Every event's `id` is the log size after the update, so `Last-Event-ID: n` means "I have the first n entries":
 * on connect the stream first sends an `entries` event for `[n, size)`, then the current `checkpoint`, then live
 * updates. Subscribing and reading the size happen in the same tick, so no update falls between catch-up and live.
 */
export class StreamHub {
  private readonly open = new Set<ServerResponse>();
  /** Open streams per client IP (entries removed when they reach 0). */
  private readonly perIp = new Map<string, number>();
  private readonly maxStreamsPerIp: number;
  private readonly heartbeatMs: number;
  private readonly maxSubscribers: number;
  private readonly maxBufferedBytes: number;

  constructor(
    private readonly ctx: NodeContext,
    private readonly metrics: Metrics,
    options: StreamOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.maxSubscribers = options.maxSubscribers ?? 1000;
    this.maxStreamsPerIp = options.maxStreamsPerIp ?? 10;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1 << 20;
  }

  get size(): number {
    return this.open.size;
  }

  /** Takes over the reply and streams updates until the client leaves or the server closes. */
  stream(request: FastifyRequest, reply: FastifyReply, lastEventId: number | undefined): void {
    const size = this.ctx.store.size;
    if (lastEventId !== undefined && lastEventId > size) {
      throw new ProblemError(
        "out-of-range",
        `Last-Event-ID ${lastEventId} is beyond the log (size ${size}); reconnect without it`,
        {
          size,
        },
      );
    }
    if (this.open.size >= this.maxSubscribers) {
      throw new ProblemError(
        "over-capacity",
        `the node serves ${this.maxSubscribers} streams at most; retry later`,
        {},
        { "retry-after": "30" },
      );
    }
    const ip = request.ip;
    const mine = this.perIp.get(ip) ?? 0;
    if (mine >= this.maxStreamsPerIp) {
      throw new ProblemError(
        "rate-limited",
        `this client already has ${mine} streams open, the most one address may hold; close one (or reuse it) and retry`,
        {},
        { "retry-after": "30" },
      );
    }

    reply.hijack();
    const res = reply.raw;
    const started = process.hrtime.bigint();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(reply.getHeaders())) if (typeof v === "string") headers[k] = v;
    res.writeHead(200, {
      ...headers,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    request.raw.socket.setNoDelay(true);
    request.raw.socket.setTimeout(0);

    const write = (text: string) => {
      if (res.writableEnded || res.destroyed) return;
      res.write(text);
      // A client that reads slower than the log grows is dropped; it resumes with Last-Event-ID.
      if (res.writableLength > this.maxBufferedBytes) res.destroy();
    };
    const send = (event: string, id: number, data: unknown) =>
      write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

    write(": cityledger update stream\nretry: 3000\n\n");
    if (lastEventId !== undefined && lastEventId < size) send("entries", size, { from: lastEventId, to: size });
    if (lastEventId === undefined || lastEventId < size)
      send("checkpoint", size, checkpointData(this.ctx.store.checkpoint));
    // The follower publishes a batch after the projections caught up with it, so a stream opened in between already
    // covered it in its catch-up: entries and checkpoints at or below what it was sent are not sent again.
    const covered = { entries: size, checkpoint: size };
    const unsubscribe = this.ctx.updates.subscribe((update) => {
      if (update.kind === "entries" || update.kind === "checkpoint") {
        const to = update.kind === "entries" ? update.to : update.checkpoint.size;
        if (to <= covered[update.kind]) return;
        covered[update.kind] = to;
      }
      const { event, id, data } = toEvent(update, this.ctx);
      send(event, id, data);
    });
    const heartbeat = setInterval(() => write(": heartbeat\n\n"), this.heartbeatMs);
    heartbeat.unref();

    this.open.add(res);
    this.perIp.set(ip, mine + 1);
    this.metrics.sseSubscribers = this.open.size;
    res.on("error", () => undefined);
    res.on("close", () => {
      unsubscribe();
      clearInterval(heartbeat);
      if (this.open.delete(res)) {
        const left = (this.perIp.get(ip) ?? 1) - 1;
        if (left > 0) this.perIp.set(ip, left);
        else this.perIp.delete(ip);
      }
      this.metrics.sseSubscribers = this.open.size;
      this.metrics.observe("GET", "/v1/stream", 200, Number(process.hrtime.bigint() - started) / 1e9);
    });
  }

  /** Ends every stream (server shutdown): clients see the end and reconnect elsewhere or later. */
  closeAll(): void {
    for (const res of this.open) res.end();
  }
}

function checkpointData(checkpoint: SignedCheckpoint) {
  return {
    origin: checkpoint.origin,
    size: checkpoint.size,
    root: bytesToHex(checkpoint.root),
    rootBase64: Buffer.from(checkpoint.root).toString("base64"),
    note: checkpoint.note,
  };
}

/** The SSE event of an update; `id` is the log size once the update is applied. */
export function toEvent(
  update: LedgerUpdate,
  ctx: NodeContext,
): { event: LedgerUpdate["kind"]; id: number; data: unknown } {
  switch (update.kind) {
    case "entries":
      return { event: "entries", id: update.to, data: { from: update.from, to: update.to } };
    case "checkpoint":
      return { event: "checkpoint", id: update.checkpoint.size, data: checkpointData(update.checkpoint) };
    case "tentative":
      return {
        event: "tentative",
        id: ctx.store.size,
        data: { fromBlock: update.fromBlock.toString(), toBlock: update.toBlock.toString(), count: update.count },
      };
    case "halted":
      return { event: "halted", id: ctx.store.size, data: { reason: update.reason } };
  }
}

/** Decorates `app.streams` and ends the streams before the server closes (else close would wait for them). */
export default fp<StreamOptions>(
  async (app, options) => {
    const hub = new StreamHub(app.ledger, app.metrics, options);
    app.decorate("streams", hub);
    app.addHook("preClose", async () => hub.closeAll());
  },
  { name: "cityledger-streams", fastify: "5.x", dependencies: ["cityledger-context", "cityledger-metrics"] },
);
