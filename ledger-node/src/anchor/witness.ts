import fs from "node:fs";
import { bytesToHex, hexToBytes, type Address, type Hex, type LocalAccount } from "viem";
import { cosignCheckpoint, cosignerKey, noteBody, signCheckpoint, verifyCheckpoint, type NoteSigner } from "@cityledger/sdk/ledger";
import { EMPTY_ROOT, verifyConsistency } from "@cityledger/sdk/merkle";
import { NodeError } from "../errors";
import { writeFileDurably } from "./durable";

/** What a log operator sends a witness: its signed checkpoint and a consistency proof from the witness's last one. */
export interface CosignRequest {
  /** The operator's signed checkpoint note (C2SP). */
  note: string;
  /** The size the proof starts from: the witness's last cosigned size (0 on first contact). */
  fromSize: number;
  /** RFC 6962 consistency proof from `fromSize` to the note's size, hex. */
  consistencyProof: Hex[];
}

export interface Cosignature {
  witness: Address;
  /** EIP-712 `Checkpoint(origin,size,root)` signature for LedgerAnchor. */
  signature: Hex;
  size: number;
  root: Hex;
  /** C2SP `cosignature/v1` line over the note's body (no newline), for the note the operator serves. */
  cosignature: string;
  /** The witness's cosigner vkey (type 0x04), as it says: clients pin the keys they trust from elsewhere. */
  cosignerKey: string;
}

/** Why a witness refused: stable codes the API maps to problem types. */
export type WitnessRefusal = "bad-note" | "wrong-origin" | "stale" | "wrong-from-size" | "inconsistent";

export class WitnessRefusedError extends NodeError {
  override name = "WitnessRefusedError";
  constructor(
    readonly code: WitnessRefusal,
    message: string,
    /** The size the witness is at, so the operator can send a proof from there. */
    readonly witnessSize: number,
  ) {
    super(message);
  }
}

/** Anything that cosigns: an in-process {@link WitnessService} or a remote witness over HTTP. */
export interface WitnessClient {
  readonly label: string;
  cosign(request: CosignRequest): Promise<Cosignature>;
}

export interface WitnessOptions {
  /** The witness's own key (secp256k1): the address registered in LedgerAnchor. */
  account: LocalAccount;
  /** The witness's Ed25519 cosigning key and name, for its C2SP `cosignature/v1` lines. */
  cosigner: NoteSigner;
  /** Verifier key of the operator whose checkpoints this witness cosigns. */
  operatorKey: string;
  chainId: number;
  anchorAddress: Address;
  /** The log's origin (LedgerAnchor's `origin()`). */
  origin: string;
  /** Where the witness remembers the last checkpoint it cosigned; in memory only when absent. */
  stateFile?: string;
}

/**
 * A witness: cosigns an operator's checkpoint only if it is signed by that operator and consistent with the last
 * checkpoint this witness cosigned, so no two witnesses-approved views of the log can fork. It never signs a
 * smaller log, nor a different root for a size it has seen.
 */
export class WitnessService implements WitnessClient {
  private last: { size: number; root: Uint8Array } | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: WitnessOptions) {
    this.last = readState(options.stateFile);
  }

  get label(): string {
    return `witness ${this.options.account.address}`;
  }

  get address(): Address {
    return this.options.account.address;
  }

  /** The cosigner vkey of this witness (C2SP tlog-cosignature): publish it beside the operator's verifier key. */
  get cosignerKey(): string {
    return cosignerKey(this.options.cosigner);
  }

  /** The last checkpoint this witness cosigned (size 0 before any). */
  get lastSize(): number {
    return this.last?.size ?? 0;
  }

  /** Checks and cosigns; requests are serialised so the remembered checkpoint only moves forward. */
  cosign(request: CosignRequest): Promise<Cosignature> {
    const run = this.queue.then(() => this.cosignNow(request));
    this.queue = run.catch(() => {});
    return run;
  }

  private async cosignNow(request: CosignRequest): Promise<Cosignature> {
    const at = this.lastSize;
    let checkpoint;
    try {
      checkpoint = verifyCheckpoint(request.note, this.options.operatorKey);
    } catch (error) {
      throw new WitnessRefusedError("bad-note", `the checkpoint is not signed by the operator: ${reason(error)}`, at);
    }
    if (checkpoint.origin !== this.options.origin) {
      throw new WitnessRefusedError("wrong-origin", `checkpoint origin "${checkpoint.origin}" is not "${this.options.origin}"`, at);
    }
    if (checkpoint.size < at) {
      throw new WitnessRefusedError("stale", `checkpoint size ${checkpoint.size} is below the witnessed size ${at}`, at);
    }
    if (request.fromSize !== at) {
      throw new WitnessRefusedError("wrong-from-size", `the proof starts at ${request.fromSize}; this witness is at size ${at}`, at);
    }
    try {
      const proof = request.consistencyProof.map((h) => hexToBytes(h));
      // First contact starts from the empty log: nothing to prove, but an empty log must have the empty root.
      const last = this.last ?? { size: 0, root: EMPTY_ROOT };
      verifyConsistency(at, checkpoint.size, proof, last.root, checkpoint.root);
    } catch (error) {
      throw new WitnessRefusedError("inconsistent", `the checkpoint does not extend the witnessed log: ${reason(error)}`, at);
    }
    const root = bytesToHex(checkpoint.root);
    const signature = await signCheckpoint(this.options.account, {
      chainId: this.options.chainId,
      anchorAddress: this.options.anchorAddress,
      origin: this.options.origin,
      size: BigInt(checkpoint.size),
      root,
    });
    // The cosignature's time is by definition when it was made (C2SP tlog-cosignature): the one wall-clock value here.
    const cosignature = cosignCheckpoint(noteBody(request.note), this.options.cosigner, Math.floor(Date.now() / 1000));
    // Durable before the signatures leave, and remembered only once durable: a witness that forgot a cosigned size
    // (a crash, a power loss, a failed write) could later cosign another root for it.
    const next = { size: checkpoint.size, root: checkpoint.root };
    writeState(this.options.stateFile, next);
    this.last = next;
    return { witness: this.address, signature, size: checkpoint.size, root, cosignature, cosignerKey: this.cosignerKey };
  }
}

/** A witness reached through `POST <url>/v1/witness/cosign` of its own node. */
export class HttpWitness implements WitnessClient {
  constructor(
    private readonly url: string,
    private readonly timeoutMs = 10_000,
  ) {}

  get label(): string {
    return `witness at ${this.url}`;
  }

  async cosign(request: CosignRequest): Promise<Cosignature> {
    const response = await fetch(`${this.url.replace(/\/$/, "")}/v1/witness/cosign`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body = (await response.json()) as Cosignature & { code?: WitnessRefusal; witnessSize?: number; detail?: string };
    if (response.status === 409 && body.code) {
      throw new WitnessRefusedError(body.code, body.detail ?? "refused", body.witnessSize ?? 0);
    }
    if (!response.ok) throw new Error(`${this.label} answered ${response.status}: ${body.detail ?? "no detail"}`);
    const { witness, signature, size, root, cosignature, cosignerKey } = body;
    return { witness, signature, size, root, cosignature, cosignerKey };
  }
}

/** One line saying why: the SDK's errors carry it in `shortMessage`. */
function reason(error: unknown): string {
  return (error as { shortMessage?: string }).shortMessage ?? (error as Error).message;
}

function readState(file: string | undefined): { size: number; root: Uint8Array } | undefined {
  if (!file || !fs.existsSync(file)) return undefined;
  const { size, root } = JSON.parse(fs.readFileSync(file, "utf8")) as { size: number; root: Hex };
  return { size, root: hexToBytes(root) };
}

function writeState(file: string | undefined, state: { size: number; root: Uint8Array }): void {
  if (!file) return;
  writeFileDurably(file, JSON.stringify({ size: state.size, root: bytesToHex(state.root) }));
}
