/**
 * `cityledger proof`: proves that an entry is in a ledger node's log, checking everything locally with the SDK —
 * the checkpoint's signature against the node's published key, the audit path up to the signed root, and (with
 * --rpc) that the entry is the chain's own log. Exit codes: 0 verified, 1 does not verify, 2 usage, 3 unreachable.
 */
import { parseArgs } from "node:util";
import { createPublicClient, http, hexToBytes, isHex, type Hex } from "viem";
import {
  CheckpointError,
  LedgerRequestError,
  ReceiptVerificationError,
  createCityClient,
  getCheckpoint,
  getInclusionProof,
  verifyInclusion,
  verifyReceipt,
  type CityContext,
} from "@cityledger/sdk";
import { readDeployment } from "../../ledger-node/src/deployment";
import { ConfigError, optionValue, parseArgsOptions } from "../../ledger-node/src/config";

const USAGE = `Usage: cityledger proof --node URL --key VERIFIER_KEY (--seq N | --tx HASH --log-index I) [--rpc URL --deployment FILE] [--json]

Proves that an entry is in the node's log, checked locally:
  --node        the ledger node's base URL (e.g. http://127.0.0.1:8787) [env CITY_NODE_URL]
  --key         the node's published checkpoint verifier key (the node prints it at start) [env CITY_NODE_KEY]
  --seq         the entry's sequence number, or
  --tx, --log-index   the transaction and log index that emitted it
  --rpc         also check the entry is the chain's own log (needs --tx, and --deployment for the chain id)
  --deployment  deployment record (default deployments/31337.json)
  --json        print the result as JSON
Exit codes: 0 verified, 1 does not verify, 2 usage error, 3 node or chain unreachable.`;

interface ProofResult {
  verified: boolean;
  seq: number;
  treeSize: number;
  root: Hex;
  leafHash: Hex;
  checkedAgainstChain: boolean;
  reason?: string;
}

export async function runProof(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  let values: { node?: string; key?: string; seq?: string; tx?: string; "log-index"?: string; rpc?: string; deployment?: string; json?: boolean };
  try {
    values = parseArgs({
      args: argv,
      options: {
        node: { type: "string" },
        key: { type: "string" },
        seq: { type: "string" },
        tx: { type: "string" },
        "log-index": { type: "string" },
        ...parseArgsOptions(["rpc", "deployment"]),
        json: { type: "boolean" },
      },
      strict: true,
    }).values;
  } catch (error) {
    return usage(`${(error as Error).message}`);
  }
  const nodeUrl = (values.node ?? process.env.CITY_NODE_URL)?.replace(/\/+$/, "");
  const key = values.key ?? process.env.CITY_NODE_KEY;
  if (!nodeUrl) return usage("--node is required (the ledger node's base URL)");
  if (!key) return usage("--key is required: the node's published verifier key (never trust the key a node serves about itself)");
  const bySeq = values.seq !== undefined;
  if (bySeq === (values.tx !== undefined)) return usage("give either --seq, or --tx with --log-index");
  if (bySeq && !/^\d+$/.test(values.seq!)) return usage(`--seq must be a sequence number, got "${values.seq}"`);
  if (!bySeq && (!isHex(values.tx) || values.tx.length !== 66)) return usage(`--tx must be a 32-byte transaction hash, got "${values.tx}"`);
  if (!bySeq && !/^\d+$/.test(values["log-index"] ?? "")) return usage("--log-index is required with --tx (the log's index in its block)");
  if (values.rpc && bySeq) return usage("--rpc checks the chain's log of a transaction: use it with --tx and --log-index");

  let context: CityContext;
  try {
    if (values.rpc) {
      // --deployment is the node's flag (CITY_DEPLOYMENT, same default). --rpc is too, but only as given: it switches
      // the chain check on, which CITY_RPC_URL in the environment must not do.
      const deployment = readDeployment(optionValue("deployment", values)!);
      context = createCityClient({ publicClient: createPublicClient({ transport: http(values.rpc, { retryCount: 1 }) }), deployment: deployment as never, ledgerUrl: nodeUrl });
    } else {
      // Without --rpc only the node is asked: the ledger reads use nothing but ledgerUrl.
      context = { publicClient: undefined as never, addresses: {} as never, ledgerUrl: nodeUrl };
    }
  } catch (error) {
    return usage(error instanceof ConfigError ? error.message : String((error as Error).message));
  }

  let result: ProofResult;
  try {
    if (values.rpc) {
      const verified = await verifyReceipt(context, { txHash: values.tx as Hex, logIndex: Number(values["log-index"]), verifierKey: key });
      result = { verified: true, seq: verified.seq, treeSize: verified.treeSize, root: verified.root, leafHash: verified.leafHash, checkedAgainstChain: true };
    } else {
      result = await proveFromNode(context, key, bySeq ? { seq: Number(values.seq) } : { txHash: values.tx as Hex, logIndex: Number(values["log-index"]) });
    }
  } catch (error) {
    if (error instanceof LedgerRequestError && (error.type === "unreachable" || (error.status ?? 0) >= 500)) {
      console.error(`error: ${error.shortMessage}. Is the node running? Check --node.`);
      return 3;
    }
    if (error instanceof LedgerRequestError) return fail(values.json, `the node has no such entry: ${error.shortMessage}`);
    if (error instanceof CheckpointError) return fail(values.json, `the node's checkpoint is not signed by --key (${error.message})`);
    if (error instanceof ReceiptVerificationError) return fail(values.json, error.shortMessage);
    console.error(`error: ${(error as Error).message.split("\n")[0]}. Check --rpc.`);
    return 3;
  }
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(`✔ entry ${result.seq} is in the log signed at size ${result.treeSize}`);
    console.log(`  root ${result.root}`);
    console.log(`  leaf ${result.leafHash}${result.checkedAgainstChain ? " (recomputed from the chain's log)" : " (as the node serves it; add --rpc to check it against the chain)"}`);
  }
  return 0;
}

/** Checks the node's proof for an entry against its signed checkpoint (no chain access). */
async function proveFromNode(context: CityContext, key: string, at: { seq: number } | { txHash: Hex; logIndex: number }): Promise<ProofResult> {
  const checkpoint = await getCheckpoint(context, { verifierKey: key });
  const located = await getInclusionProof(context, at);
  if (located.seq >= checkpoint.size) {
    throw new ReceiptVerificationError(`entry ${located.seq} is not yet in the latest signed checkpoint (size ${checkpoint.size})`, "try again after the next checkpoint");
  }
  const proof = located.treeSize === checkpoint.size ? located : await getInclusionProof(context, { seq: located.seq, treeSize: checkpoint.size });
  try {
    verifyInclusion(hexToBytes(proof.leafHash), proof.seq, checkpoint.size, proof.proof.map((h) => hexToBytes(h)), hexToBytes(checkpoint.root));
  } catch (error) {
    throw new ReceiptVerificationError(`the audit path of entry ${proof.seq} does not lead to the signed root (${(error as Error).message})`, "report the node");
  }
  return { verified: true, seq: proof.seq, treeSize: checkpoint.size, root: checkpoint.root, leafHash: proof.leafHash, checkedAgainstChain: false };
}

function usage(message: string): number {
  console.error(`error: ${message}.\n\n${USAGE}`);
  return 2;
}

function fail(json: boolean | undefined, reason: string): number {
  if (json) console.log(JSON.stringify({ verified: false, reason }, null, 2));
  else console.error(`✘ ${reason}`);
  return 1;
}
