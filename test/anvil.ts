/**
 * anvil (the second EVM implementation, from `@foundry-rs/anvil`, started by scripts/lib/anvil.ts as `npm start`
 * starts it) inside a test: on a free port, with a block time, its output kept in a temporary directory. If anvil
 * cannot start, {@link startTestAnvil} rejects and the test fails: a suite against anvil is never skipped.
 */
import path from "node:path";
import { HDNodeWallet, JsonRpcProvider } from "ethers";
import { startAnvil, type Anvil } from "../scripts/lib/anvil";
import { freePort, rpc, tempDir } from "./start-city";

/** Hardhat's public test mnemonic: anvil unlocks its accounts, as Hardhat's network does. */
export const TEST_MNEMONIC = "test test test test test test test test test test test junk";
/** The chain id of the local city and of Hardhat's network, unless a test wants another ({@link TestAnvilOptions}). */
const CHAIN_ID = 31337;

export interface TestAnvil {
  url: string;
  /**
   * An ethers provider on it that polls every 100 ms (not ethers' 4 s: blocks come every second) and caches nothing
   * (ethers' 250 ms cache would hand out the nonce a transaction mined since had used).
   */
  provider: JsonRpcProvider;
  /** Dev account `index` of the test mnemonic, connected to {@link provider}. */
  account(index: number): HDNodeWallet;
  send(method: string, params?: unknown[]): Promise<unknown>;
  /** The same, as an EIP-1193 provider (for the helpers that read any chain). */
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
  head(): Promise<number>;
  /** Mines each transaction as it comes (to set a city up quickly) until {@link intervalMining}. */
  automine(): Promise<void>;
  /** One block every `seconds` (0: no block until told, e.g. while a reorg is laid out). */
  intervalMining(seconds: number): Promise<void>;
  close(): Promise<void>;
}

export interface TestAnvilOptions {
  /** Seconds between blocks; automine when absent. */
  blockTime?: number;
  /** anvil's `finalized` block is two epochs of this many blocks below its head, `safe` one epoch. */
  slotsInAnEpoch?: number;
  /** Another chain id than the local city's, for a chain that stands for a remote one. */
  chainId?: number;
}

export async function startTestAnvil(options: TestAnvilOptions = {}): Promise<TestAnvil> {
  const chainId = options.chainId ?? CHAIN_ID;
  const anvil: Anvil = await startAnvil({
    host: "127.0.0.1",
    port: await freePort(),
    mnemonic: TEST_MNEMONIC,
    accounts: 20,
    logFile: path.join(tempDir("anvil"), "anvil.log"),
    ...options,
    chainId,
  });
  const provider = new JsonRpcProvider(anvil.url, chainId, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
  const send = (method: string, params: unknown[] = []) => rpc(anvil.url, method, params);
  return {
    url: anvil.url,
    provider,
    account: (index) => HDNodeWallet.fromPhrase(TEST_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`).connect(provider),
    send,
    request: ({ method, params }) => send(method, params),
    head: async () => Number(await send("eth_blockNumber")),
    automine: async () => void (await send("evm_setAutomine", [true])),
    intervalMining: async (seconds) => void (await send("evm_setIntervalMining", [seconds])),
    close: async () => {
      provider.destroy();
      await anvil.close();
    },
  };
}
