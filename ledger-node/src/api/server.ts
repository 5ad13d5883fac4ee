import type { FastifyInstance } from "fastify";
import type { AddressInfo } from "node:net";
import type { NodeContext } from "../context";
import { buildApp, type BuildAppOptions } from "./app";

export interface ServerOptions extends BuildAppOptions {
  host: string;
  /** 0 picks a free port (see `url`). */
  port: number;
  /** Close the server on these signals (default none: the caller owns the process lifecycle). */
  closeOnSignals?: NodeJS.Signals[];
}

export interface RunningServer {
  app: FastifyInstance;
  /** Base URL the server listens on, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /**
   * Stops accepting connections, ends the SSE streams, lets in-flight requests finish and closes idle keep-alive
   * connections. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Builds the API and listens on `host:port`.
 *
 * @example
 * ```ts
 * const server = await startServer(ctx, { host: "127.0.0.1", port: 8787, queries });
 * console.log(`ledger API on ${server.url}`);
 * // …
 * await server.close();
 * ```
 */
export async function startServer(ctx: NodeContext, options: ServerOptions): Promise<RunningServer> {
  const { host, port, closeOnSignals = [], ...appOptions } = options;
  const app = await buildApp(ctx, { logger: { level: "info" }, ...appOptions });
  // Slow or stalled clients must not hold sockets forever: headers and body within 30 s (SSE responses are unaffected).
  app.server.requestTimeout = 30_000;
  app.server.headersTimeout = 20_000;
  try {
    await app.listen({ host, port });
  } catch (err) {
    await app.close();
    const code = (err as { code?: string }).code;
    if (code === "EADDRINUSE")
      throw new Error(`port ${port} on ${host} is in use: stop the other process or pass another --port`, {
        cause: err,
      });
    if (code === "EADDRNOTAVAIL")
      throw new Error(`host ${host} is not an address of this machine: pass another --host`, { cause: err });
    throw err;
  }
  const address = app.server.address() as AddressInfo;
  const url = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;

  let closing: Promise<void> | undefined;
  const onSignal = () => void close();
  const close = () => {
    closing ??= (async () => {
      for (const signal of closeOnSignals) process.off(signal, onSignal);
      await app.close();
    })();
    return closing;
  };
  for (const signal of closeOnSignals) process.once(signal, onSignal);
  return { app, url, close };
}
