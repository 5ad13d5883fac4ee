/**
 * A federation of ledger nodes: N operators (one per college, say) each run a node on the same chain. Each node signs
 * its own checkpoints with its own key, is a witness for the others (it answers their `POST /v1/witness/cosign` and
 * cosigns its own log too) and anchors in LedgerAnchor, whose witness set is the N operators' witness addresses with a
 * threshold M: any M operators agreeing on the log anchor it, and a node serving a fork is refused by the others.
 *
 * This module lays out the operators' keys and data dirs and gives each node's `cityledger node` flags; `npm start`
 * with CITY_OPERATORS and the federation test run the same flags.
 */
import fs from "node:fs";
import path from "node:path";
import type { Address, Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { verifierKey } from "@cityledger/sdk/ledger";
import { loadOrCreateKey } from "../../ledger-node/src/config";

/** One operator of a federation: where its node listens and keeps its data, and its keys. */
export interface FederationOperator {
  /** 1-based, in the order given. */
  n: number;
  host: string;
  port: number;
  /** Base URL of its node: the other operators' witness URL for it. */
  url: string;
  dataDir: string;
  /** Ed25519 key signing its checkpoints (created on first plan, kept after). */
  keyFile: string;
  /** Verifier key of its checkpoints: the other operators' witnesses accept notes signed by it. */
  verifierKey: string;
  /** secp256k1 key of its witness: `witness` must be in LedgerAnchor's witness set. */
  witnessKeyFile: string;
  witness: Address;
  /** secp256k1 key of the funded account sending its anchor transactions (one per operator: no shared nonces). */
  anchorKeyFile: string;
}

export interface FederationPlanOptions {
  /** The log's origin (LedgerAnchor's `origin()`), the name of every operator's checkpoint key. */
  origin: string;
  host: string;
  /** One port per operator. */
  ports: readonly number[];
  /** Each operator's data in `<dataDir>/operator-<n>`. */
  dataDir: string;
  /** One witness key per operator. */
  witnessKeys: readonly Hex[];
  /** One anchor-sending key per operator. */
  anchorKeys: readonly Hex[];
}

/** Writes a secp256k1 key (hex) to `<dataDir>/keys/<name>.key`, readable by its owner only, for a node flag naming it. */
export function writeKeyFile(dataDir: string, name: string, key: Hex | string): string {
  const file = path.join(dataDir, "keys", `${name}.key`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, key.replace(/^0x/, "") + "\n", { mode: 0o600 });
  return file;
}

/**
 * Lays out the operators: their data dirs, their key files (written with mode 0600; the checkpoint key created once
 * and kept, so a restarted federation keeps its verifier keys) and their URLs.
 */
export function planFederation(options: FederationPlanOptions): FederationOperator[] {
  const { ports, witnessKeys, anchorKeys } = options;
  if (ports.length < 2) throw new Error(`a federation needs at least 2 operators, got ${ports.length}`);
  if (witnessKeys.length !== ports.length || anchorKeys.length !== ports.length) {
    throw new Error(`${ports.length} operators need as many witness keys (got ${witnessKeys.length}) and anchor keys (got ${anchorKeys.length})`);
  }
  return ports.map((port, i) => {
    const n = i + 1;
    const dataDir = path.resolve(options.dataDir, `operator-${n}`);
    const keyFile = path.join(dataDir, "node.key");
    const secret = (name: string, key: Hex) => writeKeyFile(dataDir, name, key);
    const host = options.host.includes(":") ? `[${options.host}]` : options.host;
    return {
      n,
      host: options.host,
      port,
      url: `http://${host}:${port}`,
      dataDir,
      keyFile,
      verifierKey: verifierKey({ name: options.origin, privateKey: loadOrCreateKey(keyFile) }),
      witnessKeyFile: secret("witness", witnessKeys[i]),
      witness: privateKeyToAccount(witnessKeys[i]).address,
      anchorKeyFile: secret("anchor", anchorKeys[i]),
    };
  });
}

/**
 * The `cityledger node` flags of `operator` in `federation`: its own data, key, port and anchor sender; its witness
 * accepting the other operators' notes; the other operators' nodes as its witnesses. `extra` flags come last.
 */
export function operatorArgs(
  operator: FederationOperator,
  federation: readonly FederationOperator[],
  chain: { rpcUrl: string; deploymentFile: string },
  extra: readonly string[] = [],
): string[] {
  const peers = federation.filter((o) => o.n !== operator.n);
  return [
    "--rpc", chain.rpcUrl,
    "--deployment", chain.deploymentFile,
    "--data-dir", operator.dataDir,
    "--host", operator.host,
    "--port", String(operator.port),
    "--key-file", operator.keyFile,
    "--witness-key-file", operator.witnessKeyFile,
    "--operator-key", peers.map((p) => p.verifierKey).join(","),
    "--anchor-key-file", operator.anchorKeyFile,
    "--witness-urls", peers.map((p) => p.url).join(","),
    ...extra,
  ];
}
