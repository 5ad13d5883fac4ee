/**
 * A faster decoder for replay. viem's `decodeEventLog` finds the event by hashing every event signature of the ABI
 * on each call and checksums every address (a keccak each): tens of microseconds per log, minutes per million.
 *
 * `ProjectionDecoder` is an {@link EventDecoder} (same constructor, same `decode`, so it can replace it anywhere) that
 * adds `decodeFast`: the event is found by (emitter, topic0) in a table built once from the deployment's ABIs, and
 * events made only of static words (address, uintN, bool, bytesN — nearly all of the city's) are read straight from
 * the topics and data. Differences from `decode`, both harmless to projections (which lower-case every address):
 * addresses come back lower-case, not checksummed. Anything else (strings, arrays, signed integers, malformed logs)
 * goes through viem.
 */
import { toEventSelector, type AbiEvent, type AbiParameter } from "viem";
import { EventDecoder, type DecoderDeployment } from "../log/decode";
import type { DecodedEvent, RawLog } from "../types";

type Reader = (word: string) => unknown;

interface FastParam {
  name: string;
  read: Reader;
}

interface CompiledEvent {
  contract: string;
  name: string;
  /** Undefined when the event needs viem (a dynamic or signed parameter). */
  indexed?: FastParam[];
  data?: FastParam[];
}

const ZERO_WORD = "0".repeat(64);
const ONE_WORD = "0".repeat(63) + "1";

const readAddress: Reader = (w) => ("0x" + w.slice(24)).toLowerCase();
const readSmallUint: Reader = (w) => Number.parseInt(w, 16);
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
    return bits > 48 ? readBigUint : readSmallUint;
  }
  m = /^bytes(\d+)$/.exec(t);
  if (m) {
    const chars = 2 * Number(m[1]);
    return (w) => ("0x" + w.slice(0, chars)).toLowerCase();
  }
  return undefined;
}

function compile(contract: string, event: AbiEvent): CompiledEvent {
  const indexed: FastParam[] = [];
  const data: FastParam[] = [];
  for (const input of event.inputs) {
    const read = readerFor(input);
    if (!read || !input.name) return { contract, name: event.name };
    (input.indexed ? indexed : data).push({ name: input.name, read });
  }
  return { contract, name: event.name, indexed, data };
}

export class ProjectionDecoder extends EventDecoder {
  /** Address (lower-case, and as logs spell it once seen) → topic0 (lower-case) → event. */
  private readonly table = new Map<string, Map<string, CompiledEvent> | null>();

  constructor(deployment: DecoderDeployment) {
    super(deployment);
    for (const [contract, { address, abi }] of Object.entries(deployment.contracts)) {
      const events = new Map<string, CompiledEvent>();
      for (const item of abi as readonly { type?: string }[]) {
        if (item.type !== "event" || (item as AbiEvent).anonymous) continue;
        events.set(toEventSelector(item as AbiEvent).toLowerCase(), compile(contract, item as AbiEvent));
      }
      this.table.set(address.toLowerCase(), events);
    }
  }

  /** Decodes like {@link EventDecoder.decode}, but fast and with lower-case addresses. */
  decodeFast(log: Pick<RawLog, "address" | "topics" | "data">): DecodedEvent | undefined {
    const events = this.eventsAt(log.address);
    if (!events || log.topics.length === 0) return undefined;
    const topic0 = log.topics[0];
    const event = events.get(topic0) ?? events.get(topic0.toLowerCase());
    if (event === undefined) return undefined;
    const { indexed, data } = event;
    if (
      indexed === undefined ||
      data === undefined ||
      log.topics.length !== indexed.length + 1 ||
      log.data.length < 2 + 64 * data.length
    ) {
      return this.decode(log);
    }
    const args: Record<string, unknown> = {};
    for (let i = 0; i < indexed.length; i++) {
      const v = indexed[i].read(log.topics[i + 1].slice(2));
      if (v === undefined) return this.decode(log);
      args[indexed[i].name] = v;
    }
    for (let i = 0; i < data.length; i++) {
      const v = data[i].read(log.data.slice(2 + 64 * i, 66 + 64 * i));
      if (v === undefined) return this.decode(log);
      args[data[i].name] = v;
    }
    return { contract: event.contract, name: event.name, args };
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
