/**
 * Canonical JSON of projection states, written as a stream so that a state of millions of records is hashed (or
 * chunked into LevelDB) without ever building one giant string.
 *
 * Canonical = `JSON.stringify` of the value with every object's keys sorted (UTF-16 code-unit order, what
 * `Array.prototype.sort` gives), no whitespace, bigints as decimal strings, `undefined` object members omitted.
 * Maps and Sets are not accepted: a projection's `encode` turns them into sorted arrays or objects first.
 */
import { createHash, type Hash } from "node:crypto";

/** Receives the canonical text in pieces. */
export type TextSink = (text: string) => void;

/** Pieces are gathered up to this many characters before a sink sees them. */
const FLUSH_AT = 1 << 16;

/**
 * Writes the canonical JSON text of `value` to `sink`, in pieces of about 64 KiB.
 * @throws TypeError on a value JSON cannot represent canonically (function, symbol, Map, Set, non-finite number).
 */
export function writeCanonical(value: unknown, sink: TextSink): void {
  const w = new Writer(sink);
  w.value(value);
  w.flush();
}

/** The canonical JSON text of `value` (small values; stream big ones with {@link writeCanonical}). */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  writeCanonical(value, (t) => parts.push(t));
  return parts.join("");
}

/** SHA-256 (hex) of the canonical JSON text of `value`, streamed. */
export function canonicalHash(value: unknown): string {
  const hash = createHash("sha256");
  writeCanonical(value, (t) => hash.update(t, "utf8"));
  return hash.digest("hex");
}

/** A sink that feeds several hashes at once (the whole-state hash and one domain's hash, in one pass). */
export function hashSink(...hashes: Hash[]): TextSink {
  return (t) => {
    for (const h of hashes) h.update(t, "utf8");
  };
}

class Writer {
  private buf = "";
  constructor(private readonly sink: TextSink) {}

  write(s: string): void {
    this.buf += s;
    if (this.buf.length >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.buf.length > 0) {
      this.sink(this.buf);
      this.buf = "";
    }
  }

  value(v: unknown): void {
    switch (typeof v) {
      case "string":
        this.write(JSON.stringify(v));
        return;
      case "number":
        if (!Number.isFinite(v)) throw new TypeError(`canonical JSON: non-finite number ${v}`);
        this.write(JSON.stringify(v));
        return;
      case "bigint":
        this.write(`"${v.toString()}"`);
        return;
      case "boolean":
        this.write(v ? "true" : "false");
        return;
      case "object":
        if (v === null) {
          this.write("null");
          return;
        }
        if (Array.isArray(v)) {
          // Short arrays of primitives (the tuples of big lists) are written in one piece.
          const flat = v.length <= 16 ? flatArray(v) : undefined;
          if (flat !== undefined) {
            this.write(flat);
            return;
          }
          this.write("[");
          for (let i = 0; i < v.length; i++) {
            if (i > 0) this.write(",");
            // As JSON.stringify does: holes and undefined in arrays are null.
            this.value(v[i] === undefined ? null : v[i]);
          }
          this.write("]");
          return;
        }
        if (v instanceof Map || v instanceof Set) {
          throw new TypeError("canonical JSON: encode Maps and Sets as sorted arrays or objects first");
        }
        this.object(v as Record<string, unknown>);
        return;
      default:
        throw new TypeError(`canonical JSON: cannot encode a ${typeof v}`);
    }
  }

  private object(o: Record<string, unknown>): void {
    const keys = Object.keys(o).sort();
    this.write("{");
    let first = true;
    for (const k of keys) {
      const item = o[k];
      if (item === undefined) continue;
      if (!first) this.write(",");
      first = false;
      this.write(JSON.stringify(k));
      this.write(":");
      this.value(item);
    }
    this.write("}");
  }
}

/** The canonical text of an array of primitives, or undefined if an element is not one. */
function flatArray(v: readonly unknown[]): string | undefined {
  let out = "[";
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (i > 0) out += ",";
    switch (typeof x) {
      case "string":
        out += JSON.stringify(x);
        break;
      case "number":
        if (!Number.isFinite(x)) throw new TypeError(`canonical JSON: non-finite number ${x}`);
        out += JSON.stringify(x);
        break;
      case "bigint":
        out += `"${x.toString()}"`;
        break;
      case "boolean":
        out += x ? "true" : "false";
        break;
      case "undefined":
        out += "null";
        break;
      default:
        if (x !== null) return undefined;
        out += "null";
    }
  }
  return out + "]";
}

// ─── Helpers for encode/decode ───────────────────────────────────────────────────────────────────────────────────

/** Entries of a Map with string keys, as an object whose keys the canonical writer sorts. */
export function mapToObject<V, J>(map: ReadonlyMap<string, V>, encode: (v: V) => J): Record<string, J> {
  const out: Record<string, J> = {};
  for (const [k, v] of map) out[k] = encode(v);
  return out;
}

/** A JSON value expected to be an object (what `decode` receives). */
export function asObject(json: unknown, what: string): Record<string, unknown> {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new TypeError(`projection snapshot: ${what} is not an object`);
  }
  return json as Record<string, unknown>;
}

export function asArray(json: unknown, what: string): unknown[] {
  if (!Array.isArray(json)) throw new TypeError(`projection snapshot: ${what} is not an array`);
  return json;
}

/** A bigint encoded as a decimal string. */
export function toBig(json: unknown, what: string): bigint {
  if (typeof json !== "string" || !/^-?\d+$/.test(json)) {
    throw new TypeError(`projection snapshot: ${what} is not a decimal string`);
  }
  return BigInt(json);
}

export function optBig(json: unknown, what: string): bigint | undefined {
  return json === undefined || json === null ? undefined : toBig(json, what);
}
