import { bytesToHex, type Hex } from "viem";
import { parseCheckpoint, verifyCheckpoint } from "../../ledger/checkpoint";
import type { CityContext } from "../../types";
import { ledgerGet } from "../internal/ledger";

/** @example `const p: GetCheckpointParameters = { verifierKey: "cityledger.local/31337+1a2b3c4d+AQ…" };` */
export interface GetCheckpointParameters {
  /**
   * The node's published verifier key: when given, the note's Ed25519 signature is checked and a forged or altered
   * checkpoint throws. Without it the checkpoint is only parsed (`verified: false`).
   */
  verifierKey?: string | undefined;
  /** A past size the node signed (default: the latest checkpoint). */
  size?: number | undefined;
}

/** @example `const { size, root, verified }: GetCheckpointReturnType = await getCheckpoint(city, { verifierKey });` */
export interface GetCheckpointReturnType {
  origin: string;
  size: number;
  root: Hex;
  /** The C2SP signed note as served. */
  note: string;
  /** Whether the signature was checked against `verifierKey`. */
  verified: boolean;
}

/**
 * The ledger node's signed checkpoint (C2SP tlog-checkpoint): the size and RFC 6962 root of the city's log.
 *
 * @throws {CheckpointError} When `verifierKey` is given and the note is not signed by it.
 * @throws {LedgerRequestError} When the node has no such checkpoint or cannot be reached.
 * @example
 * ```ts
 * const checkpoint = await getCheckpoint(city, { verifierKey });
 * console.log(checkpoint.size, checkpoint.root);
 * ```
 */
export async function getCheckpoint(context: CityContext, parameters: GetCheckpointParameters = {}): Promise<GetCheckpointReturnType> {
  const path = parameters.size === undefined ? "/v1/checkpoint" : `/v1/checkpoints/${parameters.size}`;
  const note = await ledgerGet<string>(context, "getCheckpoint", path, "text/plain");
  const checkpoint = parameters.verifierKey ? verifyCheckpoint(note, parameters.verifierKey) : parseCheckpoint(note.slice(0, note.lastIndexOf("\n\n") + 1));
  return { origin: checkpoint.origin, size: checkpoint.size, root: bytesToHex(checkpoint.root), note, verified: parameters.verifierKey !== undefined };
}
