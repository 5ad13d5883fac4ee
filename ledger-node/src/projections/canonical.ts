/**
 * The one canonical codec of projection states: the same text is hashed (the state hash) and stored (snapshots), and
 * it is written as a stream, so a state of millions of records is hashed or chunked into LevelDB without ever
 * building one giant string. A state is plain data: objects, arrays, strings, finite numbers, booleans, null, bigints,
 * Maps and Sets, nested as deep as needed; no projection writes an encoder or a decoder of its own.
 *
 * Canonical text = JSON, no whitespace, with:
 * - object members sorted by key (UTF-16 code-unit order, what `Array.prototype.sort` gives), `undefined` members
 *   omitted, and members whose key begins with `_` omitted: they are derived indexes, rebuilt after a load (see
 *   `defineProjection`); keys beginning with `$` are reserved;
 * - a bigint as a string of its decimal digits and `n` (`10n ** 6n` → `"1000000n"`), and a string that could be read
 *   back as one (`"12n"`) or that begins with `~` escaped with a leading `~`;
 * - a Map as `{"$map":[[key,value],…]}` and a Set as `{"$set":[value,…]}`, sorted by key (numbers and bigints by
 *   value, strings by code units), so insertion order never changes the hash;
 * - arrays in their order, `undefined` (and holes) in arrays as `null`, as `JSON.stringify` writes them.
 *
 * {@link decodeCanonical} reads `JSON.parse(text)` back into the same values: bigints, Maps, Sets and strings.
 */
import { createHash, type Hash } from "node:crypto";

/** Receives the canonical text in pieces. */
export type TextSink = (text: string) => void;

/** Pieces are gathered up to this many characters before a sink sees them. */
const FLUSH_AT = 1 << 16;
/** A string that reads as a bigint. */
const BIGINT_TEXT = /^-?(0|[1-9][0-9]*)n$/;
const TILDE = 126;
const LETTER_N = 110;
const UNDERSCORE = 95;
const DOLLAR = 36;

/**
 * Writes the canonical JSON text of `value` to `sink`, in pieces of about 64 KiB.
 * @throws TypeError on a value the codec cannot represent (function, symbol, non-finite number, reserved `$` key).
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

/**
 * The values `JSON.parse` of a canonical text stands for: bigints, Maps, Sets and unescaped strings (derived `_`
 * members are not there: rebuild them).
 */
export function decodeCanonical(json: unknown): unknown {
  if (typeof json === "string") return decodeString(json);
  if (typeof json !== "object" || json === null) return json;
  if (Array.isArray(json)) return json.map(decodeCanonical);
  const o = json as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === "$map") {
    return new Map((o.$map as [unknown, unknown][]).map(([k, v]) => [decodeCanonical(k), decodeCanonical(v)]));
  }
  if (keys.length === 1 && keys[0] === "$set") return new Set((o.$set as unknown[]).map(decodeCanonical));
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = decodeCanonical(o[k]);
  return out;
}

function decodeString(s: string): string | bigint {
  if (s.charCodeAt(0) === TILDE) return s.slice(1);
  if (s.charCodeAt(s.length - 1) === LETTER_N && BIGINT_TEXT.test(s)) return BigInt(s.slice(0, -1));
  return s;
}

/** A string as the canonical text spells it: escaped if it begins with `~` or reads as a bigint. */
function stringText(s: string): string {
  const escape = s.charCodeAt(0) === TILDE || (s.charCodeAt(s.length - 1) === LETTER_N && BIGINT_TEXT.test(s));
  return JSON.stringify(escape ? `~${s}` : s);
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new TypeError(`canonical JSON: non-finite number ${n}`);
  return JSON.stringify(n);
}

/** Order of Map keys and Set values: numbers and bigints by value, strings by code units (mixed: by type name). */
function byKey(a: unknown, b: unknown): number {
  if (typeof a !== typeof b) return typeof a < typeof b ? -1 : 1;
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
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
        this.write(stringText(v));
        return;
      case "number":
        this.write(numberText(v));
        return;
      case "bigint":
        this.write(`"${v}n"`);
        return;
      case "boolean":
        this.write(v ? "true" : "false");
        return;
      case "object":
        if (v === null) this.write("null");
        else if (Array.isArray(v)) this.array(v);
        else if (v instanceof Map) this.tagged("$map", [...v].sort((a, b) => byKey(a[0], b[0])));
        else if (v instanceof Set) this.tagged("$set", [...v].sort(byKey));
        else this.object(v as Record<string, unknown>);
        return;
      default:
        throw new TypeError(`canonical JSON: cannot encode a ${typeof v}`);
    }
  }

  private array(v: readonly unknown[]): void {
    // Short arrays of primitives (tuples, Map entries) are written in one piece.
    const flat = v.length <= 16 ? flatArray(v) : undefined;
    if (flat !== undefined) {
      this.write(flat);
      return;
    }
    this.write("[");
    for (let i = 0; i < v.length; i++) {
      if (i > 0) this.write(",");
      this.value(v[i] === undefined ? null : v[i]);
    }
    this.write("]");
  }

  private tagged(tag: "$map" | "$set", items: readonly unknown[]): void {
    this.write(`{"${tag}":`);
    this.array(items);
    this.write("}");
  }

  private object(o: Record<string, unknown>): void {
    const keys = Object.keys(o).sort();
    this.write("{");
    let first = true;
    for (const k of keys) {
      const item = o[k];
      const c = k.charCodeAt(0);
      if (item === undefined || c === UNDERSCORE) continue;
      if (c === DOLLAR) throw new TypeError(`canonical JSON: key ${k} is reserved ($ begins the codec's tags)`);
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
        out += stringText(x);
        break;
      case "number":
        out += numberText(x);
        break;
      case "bigint":
        out += `"${x}n"`;
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
