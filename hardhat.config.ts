import { subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, TASK_TEST_GET_TEST_FILES } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig } from "hardhat/config";
import fs from "node:fs";
import path from "node:path";
import "@nomicfoundation/hardhat-ethers";
import "@nomicfoundation/hardhat-chai-matchers";
import "@typechain/hardhat";
// `@cityledger/sdk[/<subpath>]` → sdk/src (tsconfig.json's ts-node.require loads it too; this covers a hardhat run
// whose ts-node did not find that tsconfig, e.g. started from another directory with --config).
import "./scripts/lib/resolve-sdk";

/**
 * The compiler comes from the pinned `solc` npm package (solcjs), never from a download:
 * these machines and CI reach no network but the npm registry.
 */
const SOLC_VERSION = "0.8.30";
const SOLC_LONG_VERSION = "0.8.30+commit.73712a01";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD).setAction(async ({ solcVersion }: { solcVersion: string }) => {
  if (solcVersion !== SOLC_VERSION) {
    throw new Error(`Only solc ${SOLC_VERSION} is available offline (asked for ${solcVersion}); pin pragmas to it.`);
  }
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: SOLC_LONG_VERSION,
  };
});

/**
 * `hardhat test` without file arguments runs the suites, the files under test/ named `*.test.ts`, not every file there
 * (helpers such as test/fixtures.ts are imported by the suites). Hardhat 2 does not read Mocha's `spec` option.
 */
subtask(TASK_TEST_GET_TEST_FILES).setAction(async (args: { testFiles: string[] }, _hre, runSuper) => {
  const files: string[] = await runSuper(args);
  return args.testFiles.length > 0 ? files : longestFirst(files.filter((file) => file.endsWith(".test.ts")));
});

/**
 * The suite files, the longest first by test/timings.json (`npm run test:timings` measures them; a file it does not
 * list yet counts as a minute). Mocha's parallel workers take files in this order: started last, a three-minute file
 * would be the run's tail while the other worker sits idle.
 */
function longestFirst(files: string[]): string[] {
  const timingsFile = path.join(__dirname, "test", "timings.json");
  const seconds: Record<string, number> = fs.existsSync(timingsFile) ? JSON.parse(fs.readFileSync(timingsFile, "utf8")) : {};
  const of = (file: string) => seconds[path.relative(__dirname, file)] ?? 60;
  return [...files].sort((a, b) => of(b) - of(a));
}

/**
 * The `remote` network is read from the environment: `CITY_RPC_URL`, `CITY_DEPLOYER_KEY`. It is always declared so
 * that `--network remote` reaches scripts/deploy.ts, which says which variable is missing; the placeholder URL is never
 * contacted by it.
 */
const remote: HardhatUserConfig["networks"] = {
  remote: {
    url: process.env.CITY_RPC_URL || "http://set-CITY_RPC_URL.invalid",
    accounts: process.env.CITY_DEPLOYER_KEY ? [process.env.CITY_DEPLOYER_KEY] : [],
  },
};

/**
 * `localhost` is the local city's chain: the anvil that `npm start` runs on CITY_HOST:CITY_PORT (default
 * 127.0.0.1:8545), or any dev chain there. Its accounts are the chain's unlocked dev accounts (Hardhat's test
 * mnemonic). A fixed gas limit, as on the in-process network: anvil estimates gas at the wall clock's time while a
 * burst of transactions mines blocks one second apart ahead of it, so an estimate can miss the cost of a new
 * timestamp-keyed checkpoint (ERC-5805 votes) and the transaction runs out of gas.
 */
const localhost: HardhatUserConfig["networks"] = {
  localhost: {
    url: `http://${process.env.CITY_HOST || "127.0.0.1"}:${process.env.CITY_PORT || "8545"}`,
    chainId: 31337,
    gas: 15_000_000,
  },
};

const config: HardhatUserConfig = {
  solidity: {
    compilers: [{ version: SOLC_VERSION, settings: { optimizer: { enabled: true, runs: 10_000 }, evmVersion: "cancun" } }],
  },
  networks: {
    hardhat: { chainId: 31337, allowUnlimitedContractSize: false },
    ...localhost,
    ...remote,
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  // Two workers: the machines have two cores. Every test file builds its own chain state (fixtures), so files are
  // independent; tests that need a server start their own on 127.0.0.1 and a port the OS picks.
  mocha: { timeout: 120_000, jobs: 3, require: ["./test/mocha-setup.js"] },
};

export default config;
