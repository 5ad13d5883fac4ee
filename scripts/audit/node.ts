/**
 * The few ledger-node routes the audit reads: the signed checkpoint (latest and past), the entries (as pages, or as
 * C2SP tlog-tiles when the node serves them), the projections' state hash. Everything it returns is checked against
 * the log re-derived from the chain, never trusted.
 */
import { TileReader, noteBody, parseCheckpoint, withRetry } from "@cityledger/sdk/ledger";

/** The node cannot be reached (exit code 3), or answered something that is not its API. */
export class NodeUnreachableError extends Error {
  override name = "NodeUnreachableError";
}

export interface NodeCheckpoint {
  origin: string;
  size: number;
  root: string;
  note: string;
  verifierKey: string;
}

export interface NodeEntry {
  seq: number;
  leafHash: string;
  leafInput: string;
}

export interface NodeState {
  seq: number;
  stateHash: string;
  domains: Record<string, string>;
}

/** A read-only client of a ledger node's API, with a timeout and bounded retries on every request. */
export class NodeApi {
  readonly url: string;

  constructor(
    url: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.url = url.replace(/\/+$/, "");
  }

  checkpoint(): Promise<NodeCheckpoint> {
    return this.json<NodeCheckpoint>("/v1/checkpoint") as Promise<NodeCheckpoint>;
  }

  /** The signed note of a past size, or undefined when the node signed none at that size. */
  checkpointAt(size: number): Promise<string | undefined> {
    return this.get(`/v1/checkpoints/${size}`, "text/plain");
  }

  async entries(from: number, limit: number): Promise<{ size: number; entries: NodeEntry[] }> {
    const page = await this.json<{ size: number; entries: NodeEntry[] }>(`/v1/entries?from=${from}&limit=${limit}`);
    if (!page || !Array.isArray(page.entries)) throw new NodeUnreachableError(`${this.url}/v1/entries answered no entries page`);
    return page;
  }

  /**
   * A reader of the node's C2SP tlog-tiles and the size of its tlog-tiles checkpoint, or undefined when the node
   * serves no tiles (no /checkpoint): then entries are read from /v1/entries.
   */
  async tiles(): Promise<{ reader: TileReader; size: number } | undefined> {
    const note = await this.get("/checkpoint", "text/plain");
    if (note === undefined) return undefined;
    let size: number;
    try {
      ({ size } = parseCheckpoint(noteBody(note)));
    } catch {
      return undefined; // not a checkpoint (a node from before tiles may answer its web app there)
    }
    return { reader: new TileReader({ url: this.url, fetch: this.fetch }), size };
  }

  async state(): Promise<NodeState | undefined> {
    return this.json<NodeState>("/v1/state");
  }

  /** A read model's answer: an account's CityCoin balance, and the projection seq it reflects (if the node says). */
  async account(address: string): Promise<{ balance: string; seq?: number } | undefined> {
    const answer = await this.request(`/v1/accounts/${address}?limit=1`, "application/json");
    if (answer === undefined) return undefined;
    try {
      const { balance } = JSON.parse(answer.body) as { balance: string };
      const seq = answer.headers.get("x-projection-seq");
      return { balance, seq: seq === null ? undefined : Number(seq) };
    } catch {
      throw new NodeUnreachableError(`${this.url}/v1/accounts/${address} did not answer JSON: is --node a cityledger node?`);
    }
  }

  /** GET a JSON route (undefined on 404 and 503); what the domain checks read. */
  async json<T>(path: string): Promise<T | undefined> {
    const text = await this.get(path, "application/json");
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new NodeUnreachableError(`${this.url}${path} did not answer JSON: is --node a cityledger node?`);
    }
  }

  private async get(path: string, accept: string): Promise<string | undefined> {
    return (await this.request(path, accept))?.body;
  }

  /** GET `path`: the body and headers, or undefined on 404 (and 503 "not ready" for the projections). */
  private async request(path: string, accept: string): Promise<{ body: string; headers: Headers } | undefined> {
    let res: Response;
    try {
      res = await this.fetch(this.url + path, { headers: { accept } });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } })?.cause?.code ?? (error as Error)?.message;
      throw new NodeUnreachableError(`cannot reach the ledger node at ${this.url} (${cause}). Is it running? Check --node.`);
    }
    const body = await res.text();
    if (res.status === 404 || res.status === 503) return undefined;
    if (!res.ok) throw new NodeUnreachableError(`GET ${this.url}${path}: HTTP ${res.status} ${body.slice(0, 200)}`);
    return { body, headers: res.headers };
  }

  /**
   * `fetch` with the client's timeout, tried again (3 attempts in all, with backoff) when the node cannot be reached:
   * the routes above and the tiles' reader both go through it, so every read of the node has the same retries.
   */
  private readonly fetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> =>
    withRetry(() => fetch(input, { ...init, signal: AbortSignal.timeout(this.timeoutMs) }), { attempts: 3, baseDelayMs: 200, maxDelayMs: 1_000 });
}
