/**
 * The one decoder of the city's event stream: a raw log in, a typed {@link CityEvent} out (or `undefined` when no
 * city ABI explains the log: the log is ABI-free, and such an entry simply has no event). The ledger node's
 * projections, its API, the audit and apps all decode through it, so they cannot disagree on what a log means.
 *
 * Two paths, one answer:
 * - {@link CityEventDecoder.decode} is viem's `decodeEventLog` (strict), on the one ABI event the log's topic0 names:
 *   addresses come back checksummed.
 * - {@link CityEventDecoder.decodeFast} finds the event by (emitter, topic0) in a table built once, and reads events
 *   made only of static words (address, uintN, bool, bytesN: nearly all of the city's) straight from the topics and
 *   data, skipping viem's per-log signature hashing and address checksums (tens of microseconds a log, minutes per
 *   million on replay). It differs from `decode` in one way only: addresses come back lower-case. Integers are typed
 *   as viem types them (`uint` up to 48 bits a `number`, wider a `bigint`). Anything else (strings, arrays, signed
 *   integers, words out of their type's range, malformed logs) goes through `decode`.
 *
 * Browser-safe: viem only.
 */
import { decodeEventLog, toEventSelector, type AbiEvent, type AbiParameter, type Address, type Hex } from "viem";
import { cityAbis, type CityContractName, type CityEvent } from "./events";

/** The part of a log the decoder reads: its emitter, topics and data (a viem `Log` or an eth_getLogs JSON log). */
export interface EventLog {
  address: string;
  topics: readonly Hex[];
  data: Hex;
}

/**
 * The part of a deployment record the decoder needs: each contract's address by its deployment name. Contracts whose
 * name is not a city contract ({@link CityContractName}) are followed (they are in {@link CityEventDecoder.addresses})
 * but their logs decode to `undefined`.
 */
export interface CityEventDeployment {
  /** By deployment name; an `abi` there is ignored (the SDK's generated ABIs are used). */
  contracts: Readonly<Record<string, { address: string; abi?: readonly unknown[] }>>;
}

type Reader = (word: string) => unknown;

/** Where one argument of a fast-path event is: a topic (1-based) or a data word (0-based). */
interface FastArg {
  name: string;
  read: Reader;
  /** An `address` parameter: what {@link CityEventDecoder.decodeFast}'s `address` option spells. */
  address: boolean;
  topic: number;
  word: number;
}

interface CompiledEvent {
  contract: CityContractName;
  event: AbiEvent;
  /** The arguments in viem's order, undefined when the event needs viem (a dynamic, signed or unnamed parameter). */
  fast?: FastArg[];
  topics: number;
  words: number;
}

const ZERO_WORD = "0".repeat(64);
const ONE_WORD = "0".repeat(63) + "1";
/** A uint of at most 48 bits fits in the word's last 12 hex digits; viem types it as a `number`. */
const SMALL_UINT_HIGH = "0".repeat(64 - 12);

const readAddress: Reader = (w) => ("0x" + w.slice(24)).toLowerCase();
const readSmallUint: Reader = (w) => (w.startsWith(SMALL_UINT_HIGH) ? Number.parseInt(w, 16) : undefined);
const readBigUint: Reader = (w) => BigInt("0x" + w);
const readBool: Reader = (w) => (w === ZERO_WORD ? false : w === ONE_WORD ? true : undefined);

/** A reader for one static elementary type, or undefined if viem must decode it. */
function readerFor(param: AbiParameter): Reader | undefined {
  const t = param.type;
  if (t === "address") return readAddress;
  if (t === "bool") return readBool;
  let m = /^uint(\d*)$/.exec(t);
  if (m) {
    const bits = m[1] === "" ? 256 : Number(m[1]);
    // viem decodes a uint wider than 6 bytes to a bigint, up to 6 bytes to a number.
    return bits > 48 ? readBigUint : readSmallUint;
  }
  m = /^bytes(\d+)$/.exec(t);
  if (m) {
    const chars = 2 * Number(m[1]);
    return (w) => ("0x" + w.slice(0, chars)).toLowerCase();
  }
  return undefined;
}

function compile(contract: CityContractName, event: AbiEvent): CompiledEvent {
  const indexed: FastArg[] = [];
  const data: FastArg[] = [];
  for (const input of event.inputs) {
    const read = readerFor(input);
    if (!read || !input.name) return { contract, event, topics: 0, words: 0 };
    const address = input.type === "address";
    if (input.indexed) indexed.push({ name: input.name, read, address, topic: indexed.length + 1, word: -1 });
    else data.push({ name: input.name, read, address, topic: 0, word: data.length });
  }
  // viem's order: the indexed arguments (from the topics), then the others (from the data).
  return { contract, event, fast: [...indexed, ...data], topics: indexed.length, words: data.length };
}

/**
 * Decodes raw logs of a city deployment into {@link CityEvent}s.
 *
 * @example
 * ```ts
 * const decoder = new CityEventDecoder(deploymentRecord);
 * const event = decoder.decode(log);
 * if (event?.contract === "CityCoin" && event.name === "Transfer") console.log(event.args.value); // bigint
 * ```
 */
export class CityEventDecoder {
  /** Emitter (lower-case, and as logs spell it once seen) → topic0 (lower-case) → event; null: no city ABI. */
  private readonly table = new Map<string, Map<string, CompiledEvent> | null>();
  private readonly names = new Map<string, string>();

  constructor(deployment: CityEventDeployment) {
    for (const [contract, { address }] of Object.entries(deployment.contracts)) {
      const key = address.toLowerCase();
      this.names.set(key, contract);
      const abi = (cityAbis as Record<string, readonly { type: string }[]>)[contract];
      if (!Object.hasOwn(cityAbis, contract) || abi === undefined) {
        this.table.set(key, null);
        continue;
      }
      const events = new Map<string, CompiledEvent>();
      for (const item of abi) {
        if (item.type !== "event" || (item as AbiEvent).anonymous) continue;
        const selector = toEventSelector(item as AbiEvent).toLowerCase();
        // viem takes the first event of an ABI with a given selector: so does the table.
        if (!events.has(selector)) events.set(selector, compile(contract as CityContractName, item as AbiEvent));
      }
      this.table.set(key, events);
    }
  }

  /** The deployment's contract addresses (lower-case): what a follower asks the RPC for. */
  get addresses(): Address[] {
    return [...this.names.keys()] as Address[];
  }

  /** The deployment name of the contract at `address` (any case), or undefined. */
  contractAt(address: string): string | undefined {
    return this.names.get(address.toLowerCase());
  }

  /**
   * The log's event, decoded by viem (strict) with the emitter's city ABI: addresses checksummed. Undefined when the
   * emitter is not a city contract or no event of its ABI explains the log.
   */
  decode(log: EventLog): CityEvent | undefined {
    const compiled = this.lookup(log);
    return compiled && viemDecode(compiled, log);
  }

  /**
   * Decodes like {@link decode}, with the same types, but fast: addresses lower-case, or as `address` spells them
   * (e.g. a cached EIP-55 checksum, where viem would hash every address of every event again).
   */
  decodeFast(log: EventLog, address?: (lower: Address) => Address): CityEvent | undefined {
    const compiled = this.lookup(log);
    if (compiled === undefined) return undefined;
    const { fast } = compiled;
    if (fast === undefined || log.topics.length !== compiled.topics + 1 || log.data.length < 2 + 64 * compiled.words) {
      return viemDecode(compiled, log);
    }
    const args: Record<string, unknown> = {};
    for (const arg of fast) {
      const v = arg.read(arg.topic > 0 ? log.topics[arg.topic].slice(2) : log.data.slice(2 + 64 * arg.word, 66 + 64 * arg.word));
      if (v === undefined) return viemDecode(compiled, log);
      args[arg.name] = address && arg.address ? address(v as Address) : v;
    }
    return { contract: compiled.contract, name: compiled.event.name, args } as CityEvent;
  }

  private lookup(log: EventLog): CompiledEvent | undefined {
    if (log.topics.length === 0) return undefined;
    const events = this.eventsAt(log.address);
    if (!events) return undefined;
    const topic0 = log.topics[0];
    return events.get(topic0) ?? events.get(topic0.toLowerCase());
  }

  /** The events of the contract at `address`, remembering the spelling (checksummed, usually) for the next log. */
  private eventsAt(address: string): Map<string, CompiledEvent> | null {
    const hit = this.table.get(address);
    if (hit !== undefined) return hit;
    const events = this.table.get(address.toLowerCase()) ?? null;
    // Bounded: a log store holds only the city's addresses, but a caller may feed anything.
    if (this.table.size < 4_096) this.table.set(address, events);
    return events;
  }
}

function viemDecode(compiled: CompiledEvent, log: EventLog): CityEvent | undefined {
  try {
    const { eventName, args } = decodeEventLog({
      abi: [compiled.event],
      topics: log.topics as [Hex, ...Hex[]],
      data: log.data,
      strict: true,
    });
    return { contract: compiled.contract, name: eventName, args: args ?? {} } as CityEvent;
  } catch {
    return undefined;
  }
}
