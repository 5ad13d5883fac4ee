/**
 * Snapshots of the projections, in their own LevelDB (conventionally `<dataDir>/projections`, beside the log's DB).
 * A separate DB keeps the log's store untouched by read models: deleting this directory only costs a replay.
 *
 * Layout (string keys, UTF-8 values), all written in one atomic batch per snapshot:
 *   p:meta                      → JSON SnapshotMeta (seq, state hash, per-domain hash and chunk count, log root)
 *   p:s:<domain>:<chunk:8 digits> → a piece (≤ 4 Mi characters) of the domain's canonical JSON
 * Chunks beyond a domain's new count are deleted in the same batch.
 */
import { Level } from "level";

export interface SnapshotMeta {
  version: 1;
  /** Next seq to apply after loading. */
  seq: number;
  stateHash: string;
  /** Root (hex) of the log's first `seq` entries when the snapshot was taken. */
  logRoot?: string;
  domains: Record<string, { hash: string; chunks: number }>;
}

const META_KEY = "p:meta";
const CHUNK_CHARS = 4 << 20;

function chunkKey(domain: string, index: number): string {
  return `p:s:${domain}:${String(index).padStart(8, "0")}`;
}

/** Gathers streamed text into chunks of at most `chunkChars` characters. */
export interface Chunker {
  write(text: string): void;
  end(): string[];
}

export interface ProjectionStoreOptions {
  /** Characters per chunk (default 4 Mi). */
  chunkChars?: number;
}

export class ProjectionStore {
  private constructor(
    private readonly db: Level<string, string>,
    private readonly chunkChars: number,
  ) {}

  /** Opens (or creates) the snapshot DB in `dir`. */
  static async open(dir: string, options: ProjectionStoreOptions = {}): Promise<ProjectionStore> {
    const db = new Level<string, string>(dir, { keyEncoding: "utf8", valueEncoding: "utf8" });
    await db.open();
    return new ProjectionStore(db, options.chunkChars ?? CHUNK_CHARS);
  }

  chunker(): Chunker {
    const size = this.chunkChars;
    const chunks: string[] = [];
    let buf = "";
    return {
      write(text: string) {
        buf += text;
        while (buf.length >= size) {
          chunks.push(buf.slice(0, size));
          buf = buf.slice(size);
        }
      },
      end() {
        if (buf.length > 0 || chunks.length === 0) chunks.push(buf);
        buf = "";
        return chunks;
      },
    };
  }

  async meta(): Promise<SnapshotMeta | undefined> {
    const raw = await this.db.get(META_KEY);
    return raw === undefined ? undefined : (JSON.parse(raw) as SnapshotMeta);
  }

  /** A domain's canonical JSON text, from its chunks. */
  async text(domain: string, chunks: number): Promise<string> {
    const keys = Array.from({ length: chunks }, (_, i) => chunkKey(domain, i));
    const values = await this.db.getMany(keys);
    return values
      .map((v, i) => {
        if (v === undefined) throw new Error(`projection snapshot corrupted: ${keys[i]} is missing`);
        return v;
      })
      .join("");
  }

  /** Writes a snapshot atomically, replacing the previous one. */
  async save(meta: SnapshotMeta, chunks: Record<string, string[]>): Promise<void> {
    const previous = await this.meta();
    const batch = this.db.batch();
    for (const [domain, parts] of Object.entries(chunks)) {
      parts.forEach((part, i) => batch.put(chunkKey(domain, i), part));
    }
    for (const [domain, { chunks: count }] of Object.entries(previous?.domains ?? {})) {
      const now = chunks[domain]?.length ?? 0;
      for (let i = now; i < count; i++) batch.del(chunkKey(domain, i));
    }
    batch.put(META_KEY, JSON.stringify(meta));
    await batch.write();
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
