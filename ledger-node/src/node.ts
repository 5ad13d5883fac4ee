import path from "node:path";
import { createPublicClient, createWalletClient, defineChain, getAddress, http, type Address, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { loadDeployment } from "@cityledger/sdk";
import { ledgerAnchorAbi } from "@cityledger/sdk/abis";
import { redactUrl } from "@cityledger/sdk/errors";
import { verifierKey, withRetry, CityEventDecoder } from "@cityledger/sdk/ledger";
import { ConfigError, loadOrCreateKey, readSecpKey, type NodeConfig } from "./config";
import { Anchorer } from "./anchor/anchorer";
import { HttpWitness, WitnessService, type WitnessClient } from "./anchor/witness";
import { WitnessedCheckpoints } from "./anchor/witnessed";
import { Follower } from "./follower/follower";
import { LogStore } from "./log/store";
import { LiveProjections, type CatchUpProgress } from "./projections";
import { startServer } from "./api/server";
import { UpdateBus } from "./updates";
import { poolAccounts } from "./relay/pool";
import { Relayer } from "./relay/relayer";
import { RelayStore } from "./relay/store";
import type { NodeContext } from "./context";
import { readDeployment } from "./deployment";
import { readWitnessSet } from "./anchor/witnessSet";
import { entryTimes } from "./opendata/clock";
import { signBulletin } from "@cityledger/sdk/datause";
import { AccessRecordStore } from "./domains/datause/records";

export type { NodeDeployment } from "./deployment";

export interface LedgerNode {
  /** Base URL of the API. */
  url: string;
  /** Verifier key of this node's checkpoints (publish it: auditors check notes against it). */
  verifierKey: string;
  store: LogStore;
  follower: Follower;
  projections: LiveProjections;
  /** Present when anchoring is configured. */
  anchorer?: Anchorer;
  /** Present when relaying is configured. */
  relayer?: Relayer;
  /** Stops following, closes the API, snapshots the projections and closes the databases. Idempotent. */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Pick<Console, "error" | "warn" | "info">;
  /** Called while projections catch up with an existing log at start. */
  onProgress?: (progress: CatchUpProgress) => void;
  /** Pass an already-built client (tests); otherwise one is made from `config.rpcUrl`. */
  client?: PublicClient;
  /** fastify logger (default off: the node logs its own lifecycle). */
  httpLogger?: boolean;
}

/**
 * A witness's two keys: its secp256k1 account (EIP-712 signatures for LedgerAnchor) and its Ed25519 cosigner (C2SP
 * `cosignature/v1` lines), named after the account unless `name` is given.
 */
function witnessKeys(keyFile: string, cosignKeyFile: string, name?: string) {
  const account = privateKeyToAccount(readSecpKey(keyFile));
  return { account, cosigner: { name: name ?? `witness.cityledger.local/${account.address.toLowerCase()}`, privateKey: loadOrCreateKey(cosignKeyFile) } };
}

/** The most JSON-RPC calls the relayer sends in one batch (providers commonly accept 100 or more). */
const RELAY_BATCH_SIZE = 50;

/**
 * Starts a ledger node: opens (or creates) the log and projections under `config.dataDir`, checks the RPC serves
 * the deployment's chain, starts the API and the follower.
 */
export async function startLedgerNode(config: NodeConfig, options: StartOptions = {}): Promise<LedgerNode> {
  const logger = options.logger ?? console;
  const deployment = readDeployment(config.deploymentFile);
  const client =
    options.client ?? (createPublicClient({ transport: http(config.rpcUrl, { retryCount: 0, timeout: 15_000 }) }) as PublicClient);

  const chainId = await withRetry(() => client.getChainId(), { attempts: 5, baseDelayMs: 200, maxDelayMs: 2_000 }).catch(
    (error: Error) => {
      throw new ConfigError(`cannot reach the chain at ${redactUrl(config.rpcUrl)} (${error.message.split("\n")[0]}). Is the chain running? Check --rpc.`);
    },
  );
  if (chainId !== deployment.chainId) {
    throw new ConfigError(`the RPC serves chain ${chainId} but ${config.deploymentFile} is for chain ${deployment.chainId}. Check --rpc and --deployment.`);
  }
  const genesisBlock = BigInt(deployment.deployBlock) - 1n;
  const genesis = await withRetry(() => client.getBlock({ blockNumber: genesisBlock }));

  const origin = config.origin ?? `cityledger.local/${chainId}`;
  const signer = { name: origin, privateKey: loadOrCreateKey(config.keyFile) };
  const store = await LogStore.open({
    dir: path.join(config.dataDir, "log"),
    origin,
    signer,
    genesis: { block: genesisBlock, blockHash: genesis.hash, size: 0 },
  });
  const closers: (() => Promise<void>)[] = [() => store.close()];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch((e: Error) => logger.error(`ledger node: close failed: ${e.message}`));
  };
  try {
    const decoder = new CityEventDecoder(deployment);
    const projections = await LiveProjections.open({
      dir: path.join(config.dataDir, "projections"),
      store,
      decoder,
      onProgress: options.onProgress,
      onNote: (note) => logger.warn(`ledger node: ${note}`),
    });
    closers.push(() => projections.close());

    const updates = new UpdateBus();
    const follower = new Follower({
      client,
      store,
      decoder,
      updates,
      chainId,
      finality: config.finality,
      pollIntervalMs: config.pollIntervalMs,
      maxBlockRange: config.maxBlockRange,
      onAppended: () => projections.catchUp(),
      logger,
    });
    const nodeKey = verifierKey(signer);
    const anchorAddress = deployment.contracts.LedgerAnchor?.address ? getAddress(deployment.contracts.LedgerAnchor.address) : undefined;
    const anchorOrigin = async (): Promise<Address> => {
      if (!anchorAddress) throw new ConfigError(`${config.deploymentFile} has no LedgerAnchor: anchoring and witnessing need one.`);
      const onChain = await withRetry(() => client.readContract({ address: anchorAddress, abi: ledgerAnchorAbi, functionName: "origin" }));
      if (onChain !== origin) throw new ConfigError(`LedgerAnchor's origin is "${onChain}" but this log's is "${origin}". Pass --origin "${onChain}".`);
      return anchorAddress;
    };
    const witness = config.witness
      ? new WitnessService({
          ...witnessKeys(config.witness.keyFile, config.witness.cosignKeyFile, config.witness.name),
          // A node that anchors its own log and witnesses its peers' (a federation) cosigns its own checkpoints too: one
          // of the M-of-N, from the same remembered view of the log it answers its peers with.
          operatorKey: config.anchor ? [...new Set([...config.witness.operatorKeys, nodeKey])] : config.witness.operatorKeys,
          chainId,
          anchorAddress: await anchorOrigin(),
          origin,
          stateFile: path.join(config.dataDir, "witness.json"),
        })
      : undefined;
    let relayer: Relayer | undefined;
    if (config.relay) {
      const relayStore = await RelayStore.open(path.join(config.dataDir, "relay"));
      closers.push(() => relayStore.close());
      relayer = new Relayer({
        // Its own client, batching: the calls its requests make in the same moment (members' checks, simulations,
        // broadcasts, receipts) travel as one JSON-RPC batch, one HTTP round trip for all (each is still made).
        publicClient:
          options.client ??
          (createPublicClient({ transport: http(config.rpcUrl, { retryCount: 0, timeout: 15_000, batch: { batchSize: RELAY_BATCH_SIZE } }) }) as PublicClient),
        accounts: poolAccounts(readSecpKey(config.relay.keyFile), config.relay.poolSize),
        refill: {
          funder: config.relay.fundingKeyFile ? privateKeyToAccount(readSecpKey(config.relay.fundingKeyFile)) : undefined,
          below: config.relay.refillBelow,
          upTo: config.relay.refillTo,
        },
        chainId,
        deployment,
        store: relayStore,
        quota: { requestsPerDay: config.relay.requestsPerDay, gasPerDay: config.relay.gasPerDay, refusalsPerDay: config.relay.refusalsPerDay },
        maxGasPerRequest: config.relay.maxGasPerRequest,
        bumpAfterMs: config.relay.bumpAfterMs,
        pollMs: Math.min(config.pollIntervalMs, 1_000),
        logger,
      });
      await relayer.start();
      const started = relayer;
      closers.push(() => started.stop());
    }
    const records = await AccessRecordStore.open(path.join(config.dataDir, "datause"));
    closers.push(() => records.close());
    const datause = { records, sign: (bulletin: Parameters<typeof signBulletin>[0]) => signBulletin(bulletin, signer) };
    // Only an anchoring node collects cosignatures (its witnesses are configured with anchoring).
    const witnessed = config.anchor ? new WitnessedCheckpoints(path.join(config.dataDir, "witnessed.json"), logger) : undefined;
    const ctx: NodeContext = { store, decoder, follower, updates, verifierKey: nodeKey, chainId, witness, witnessed, relayer, datause };
    const server = await startServer(ctx, {
      host: config.host,
      port: config.port,
      queries: projections.queries,
      logger: options.httpLogger ? { level: "info" } : false,
      maxStreamsPerIp: config.streamsPerIp,
      trustProxy: config.trustProxy,
      relayRequestsPerMinute: config.relay?.ipRequestsPerMinute,
      deployment: {
        deployment: loadDeployment(deployment),
        publicRpcUrl: config.publicRpcUrl,
        demoMembers: config.demoMembers,
        witnessSet: anchorAddress ? () => readWitnessSet(client, anchorAddress) : undefined,
      },
      appDir: config.appDir,
      entryTime: entryTimes(store, async (blockNumber) => Number((await client.getBlock({ blockNumber })).timestamp)),
    });
    closers.push(() => server.close());
    // Proofs are served meanwhile (each reads what it needs); a failure here only leaves them reading more.
    store.warmTileTrees().then(
      ({ trees, ms }) => logger.info(`ledger node: ${trees} tile trees in memory for proofs (${ms} ms)`),
      (e: Error) => logger.warn(`ledger node: tile trees not warmed: ${e.message}`),
    );
    follower.start();
    closers.push(() => follower.stop());

    let anchorer: Anchorer | undefined;
    if (config.anchor) {
      const address = await anchorOrigin();
      const account = privateKeyToAccount(readSecpKey(config.anchor.keyFile));
      const chain = defineChain({
        id: chainId,
        name: `chain ${chainId}`,
        nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        rpcUrls: { default: { http: [config.rpcUrl] } },
      });
      const witnesses: WitnessClient[] = [
        ...config.anchor.localWitnessKeyFiles.map(
          (file) =>
            new WitnessService({
              // The dev witnesses' cosigning keys live beside their state, created on first start like node.key.
              ...witnessKeys(file, path.join(config.dataDir, `witness-${path.basename(file)}.cosign.key`)),
              operatorKey: nodeKey,
              chainId,
              anchorAddress: address,
              origin,
              stateFile: path.join(config.dataDir, `witness-${path.basename(file)}.json`),
            }),
        ),
        ...config.anchor.witnessUrls.map((url) => new HttpWitness(url)),
        ...(witness ? [witness] : []),
      ];
      anchorer = new Anchorer({
        store,
        updates,
        publicClient: client,
        walletClient: createWalletClient({ account, chain, transport: http(config.rpcUrl, { retryCount: 2 }) }),
        anchorAddress: address,
        chainId,
        origin,
        witnesses,
        everyEntries: config.anchor.everyEntries,
        everyMs: config.anchor.everySeconds * 1000,
        witnessed,
        witnessEveryCheckpoint: true,
        logger,
      });
      anchorer.start();
      const started = anchorer;
      closers.push(() => started.stop());
    }

    let closing: Promise<void> | undefined;
    return {
      url: server.url,
      verifierKey: ctx.verifierKey,
      store,
      follower,
      projections,
      anchorer,
      relayer,
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
