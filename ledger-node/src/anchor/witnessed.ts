import fs from "node:fs";
import { appendCosignatures, noteBody, parseCheckpoint, verifyCosignature } from "@cityledger/sdk/ledger";
import { writeFileDurably } from "./durable";
import type { Cosignature } from "./witness";

/** The latest checkpoint witnesses cosigned: the node's note with their `cosignature/v1` lines appended. */
export interface WitnessedNote {
  size: number;
  /** The log's signed note followed by the witnesses' cosignature lines. */
  note: string;
  /** The cosignature lines alone (no newline), by witness address order of arrival. */
  cosignatures: string[];
}

interface Latest {
  body: string;
  /** The log's note as signed, without cosignatures. */
  note: string;
  size: number;
  /** Cosignature line by witness (its EIP-712 address, lowercase): a later round replaces a witness's line. */
  lines: Map<string, string>;
}

/**
 * What the node serves of its witnesses' C2SP cosignatures: the latest checkpoint they cosigned, with their lines, and
 * their cosigner keys. Kept in a file of the data dir so a restarted node serves them before its next witnessing
 * round. Only lines that verify under the key their witness reported are kept: a bad line by a key a client trusts
 * makes C2SP verifiers reject the whole note.
 */
export class WitnessedCheckpoints {
  private latestRound: Latest | undefined;
  private readonly keys = new Map<string, string>();

  constructor(
    private readonly file?: string,
    private readonly logger?: Pick<Console, "warn">,
  ) {
    this.load();
  }

  /**
   * Records the cosignatures collected for `note` (the log's own note, without cosignatures): keeps the valid ones;
   * a larger checkpoint replaces the recorded one, a smaller one is ignored. Returns the lines kept for this note.
   */
  record(note: string, cosignatures: readonly Cosignature[]): string[] {
    const body = noteBody(note);
    const { size } = parseCheckpoint(body);
    const current = this.latestRound;
    if (current && size < current.size) return [];
    const round: Latest = current?.body === body ? current : { body, note, size, lines: new Map() };
    for (const c of cosignatures) {
      try {
        verifyCosignature(body, c.cosignature, c.cosignerKey);
      } catch (error) {
        this.logger?.warn(`ledger node: ${c.witness}'s cosignature/v1 line is left out: ${(error as { shortMessage?: string }).shortMessage ?? (error as Error).message}`);
        continue;
      }
      round.lines.set(c.witness.toLowerCase(), c.cosignature);
      this.keys.set(c.witness.toLowerCase(), c.cosignerKey);
    }
    if (round.lines.size === 0 && round !== current) return [];
    this.latestRound = round;
    this.save();
    return [...round.lines.values()];
  }

  /** The latest witnessed checkpoint, or undefined before any witness cosigned. */
  get latest(): WitnessedNote | undefined {
    const round = this.latestRound;
    if (!round) return undefined;
    const cosignatures = [...round.lines.values()];
    return { size: round.size, note: appendCosignatures(round.note, cosignatures), cosignatures };
  }

  /** The cosignature lines recorded for this note's checkpoint (none when witnesses have not cosigned it). */
  cosignaturesOf(note: string): string[] {
    const round = this.latestRound;
    return round && noteBody(note) === round.body ? [...round.lines.values()] : [];
  }

  /** The witnesses' cosigner vkeys, as each reported it with its last valid cosignature. */
  get witnessKeys(): string[] {
    return [...new Set(this.keys.values())];
  }

  private save(): void {
    if (!this.file || !this.latestRound) return;
    const { note, lines } = this.latestRound;
    writeFileDurably(this.file, JSON.stringify({ note, lines: Object.fromEntries(lines), keys: Object.fromEntries(this.keys) }));
  }

  private load(): void {
    if (!this.file || !fs.existsSync(this.file)) return;
    try {
      const saved = JSON.parse(fs.readFileSync(this.file, "utf8")) as { note: string; lines: Record<string, string>; keys: Record<string, string> };
      const body = noteBody(saved.note);
      const lines = new Map<string, string>();
      for (const [witness, line] of Object.entries(saved.lines)) {
        const key = saved.keys[witness];
        // Checked again: the file is ours, but a line served must verify whatever happened to the disk.
        verifyCosignature(body, line, key);
        lines.set(witness, line);
        this.keys.set(witness, key);
      }
      this.latestRound = { body, note: saved.note, size: parseCheckpoint(body).size, lines };
    } catch (error) {
      // A cache: the next witnessing round rebuilds it.
      this.logger?.warn(`ledger node: ${this.file} is unreadable, witnesses' cosignatures start afresh: ${(error as Error).message.split("\n")[0]}`);
    }
  }
}
