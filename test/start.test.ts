/**
 * `npm start` and the deploy script, run as a user runs them: child processes of `hardhat run` (the Hardhat CLI
 * started with node directly, which is what `npx hardhat run` ends up running), talked to over JSON-RPC.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { HDNodeWallet, JsonRpcProvider } from "ethers";
import { CityAuthority__factory, CityCoin__factory, CityRegistry__factory, BasicIncome__factory } from "../typechain-types";
import { CITY_CONTRACTS, type DeploymentRecord } from "../scripts/lib/deploy";
import { DEMO_CITY_BUDGET, DEMO_MEMBER_COUNT, demoMembers } from "../scripts/lib/demo";
import { COLLEGES, Roles } from "../scripts/lib/roles";

const ROOT = path.resolve(__dirname, "..");
const HARDHAT_CLI = require.resolve("hardhat/internal/cli/bootstrap.js");
const READY = /cityledger ready on (\S+) \(pid (\d+)\)/;
const READY_TIMEOUT_MS = 90_000;
const TEST_MNEMONIC = "test test test test test test test test test test test junk";

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `hardhat run <script>` in the repository with `env` added, collecting stdout and stderr. */
function hardhatRun(script: string, env: Record<string, string>, network?: string): Run {
  const args = [HARDHAT_CLI, "run", "--no-compile", ...(network ? ["--network", network] : []), script];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...withoutHardhatNetwork(process.env), CI: "true", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

function withoutHardhatNetwork(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.HARDHAT_NETWORK;
  return copy;
}

/** Resolves with the URL and pid of the ready line, or rejects with the output if the process exits or times out. */
function waitForReady(run: Run): Promise<{ url: string; pid: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no ready line within ${READY_TIMEOUT_MS / 1000} s; output:\n${run.output()}`));
    }, READY_TIMEOUT_MS);
    const onData = () => {
      const match = READY.exec(run.output());
      if (match) {
        cleanup();
        resolve({ url: match[1], pid: Number(match[2]) });
      }
    };
    const onClose = (code: number | null) => {
      cleanup();
      reject(new Error(`exited (${code}) before it was ready; output:\n${run.output()}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      run.child.stdout!.off("data", onData);
      run.child.off("close", onClose);
    };
    run.child.stdout!.on("data", onData);
    run.child.once("close", onClose);
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function eventually(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: unknown };
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

const tempDirs: string[] = [];
function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cityledger-${label}-`));
  tempDirs.push(dir);
  return dir;
}

after(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("npm start (scripts/start.ts)", function () {
  this.timeout(240_000);
  const running: Run[] = [];

  afterEach(() => {
    // Never leave a server behind, whatever failed.
    for (const run of running.splice(0)) {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
      const pid = Number(READY.exec(run.output())?.[2]);
      if (pid && isAlive(pid)) process.kill(pid, "SIGKILL");
    }
  });

  it("serves chain 31337, writes the deployment, seeds the demo city, deploys elsewhere, stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const dir = tempDir("start");
    const run = hardhatRun("scripts/start.ts", { CITY_PORT: String(port), CITY_DEPLOYMENTS_DIR: dir });
    running.push(run);
    const { url, pid } = await waitForReady(run);
    expect(url).to.equal(`http://127.0.0.1:${port}`);

    expect(await rpc(url, "eth_chainId")).to.equal("0x7a69");

    const file = path.join(dir, "31337.json");
    expect(fs.existsSync(file), "deployment file").to.equal(true);
    const record = JSON.parse(fs.readFileSync(file, "utf8")) as DeploymentRecord;
    expect(record.chainId).to.equal(31337);
    expect(Object.keys(record.contracts).sort()).to.deep.equal([...CITY_CONTRACTS].sort());
    for (const name of CITY_CONTRACTS) {
      expect(record.contracts[name].address, name).to.match(/^0x[0-9a-fA-F]{40}$/);
      expect(record.contracts[name].abi, name).to.be.an("array").that.is.not.empty;
      expect(await rpc(url, "eth_getCode", [record.contracts[name].address, "latest"]), name).to.not.equal("0x");
    }

    const provider = new JsonRpcProvider(url, 31337, { staticNetwork: true });
    try {
      const registry = CityRegistry__factory.connect(record.contracts.CityRegistry.address, provider);
      const coin = CityCoin__factory.connect(record.contracts.CityCoin.address, provider);
      const income = BasicIncome__factory.connect(record.contracts.BasicIncome.address, provider);
      const members = demoMembers();
      let total = 0n;
      for (const [college] of COLLEGES.entries()) {
        const size = await registry.getCollegeSize(college);
        expect(size, COLLEGES[college]).to.equal(BigInt(members.filter((m) => m.college === college).length));
        total += size;
      }
      expect(total).to.equal(BigInt(DEMO_MEMBER_COUNT));
      expect(await registry.isActiveMember(members[0].address)).to.equal(true);

      const supply = await coin.totalSupply();
      expect(supply > 0n).to.equal(true);
      expect(supply).to.equal(members.reduce((sum, m) => sum + m.deposit, 0n) + DEMO_CITY_BUDGET);
      expect(await income.programCount()).to.equal(1n);
      const claimant = members.find((m) => m.college === 1)!;
      expect(await income.hasClaimed(1, 0, claimant.address)).to.equal(true);

      // The deploy script, pointed at this chain as the `remote` network, deploys a second city from another key.
      const deployer = HDNodeWallet.fromPhrase(TEST_MNEMONIC, undefined, "m/44'/60'/0'/0/9");
      const registrar = HDNodeWallet.fromPhrase(TEST_MNEMONIC, undefined, "m/44'/60'/0'/0/10").address;
      const deployDir = tempDir("deploy");
      const deployEnv = {
        CITY_RPC_URL: url,
        CITY_DEPLOYER_KEY: deployer.privateKey,
        CITY_REGISTRARS: registrar,
        CITY_DEPLOYMENTS_DIR: deployDir,
      };
      const deploy = hardhatRun("scripts/deploy.ts", deployEnv, "remote");
      const deployed = await deploy.exited;
      expect(deployed.code, deploy.output()).to.equal(0);
      const second = JSON.parse(fs.readFileSync(path.join(deployDir, "31337.json"), "utf8")) as DeploymentRecord;
      expect(second.deployer).to.equal(deployer.address);
      expect(second.contracts.CityAuthority.address).to.not.equal(record.contracts.CityAuthority.address);
      const authority = CityAuthority__factory.connect(second.contracts.CityAuthority.address, provider);
      expect((await authority.hasRole(Roles.REGISTRAR, registrar))[0]).to.equal(true);

      // A second deploy to the same chain refuses to overwrite the record.
      const again = hardhatRun("scripts/deploy.ts", deployEnv, "remote");
      expect((await again.exited).code).to.not.equal(0);
      expect(again.output()).to.include("CITY_OVERWRITE=1");
    } finally {
      provider.destroy();
    }

    process.kill(pid, "SIGTERM");
    const exit = await run.exited;
    expect(exit, run.output()).to.deep.equal({ code: 0, signal: null });
    expect(run.output()).to.include("cityledger stopped");
    expect(await portAcceptsConnections(port)).to.equal(false);
  });

  it("fails with a clear message and a non-zero exit when the port is taken", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const run = hardhatRun("scripts/start.ts", { CITY_PORT: String(port), CITY_DEPLOYMENTS_DIR: tempDir("taken") });
      running.push(run);
      const exit = await run.exited;
      expect(exit.code, run.output()).to.not.equal(0);
      expect(run.output()).to.include(`Port ${port} on 127.0.0.1 is already in use`);
      expect(run.output()).to.include("CITY_PORT=");
      expect(run.output()).to.not.match(/\n\s+at /, "no stack trace");
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("stops serving when the `hardhat run` process that started it is killed", async () => {
    const port = await freePort();
    const run = hardhatRun("scripts/start.ts", { CITY_PORT: String(port), CITY_DEPLOYMENTS_DIR: tempDir("orphan") });
    running.push(run);
    const { pid } = await waitForReady(run);
    run.child.kill("SIGTERM");
    await eventually(() => !isAlive(pid), 15_000, "the start script to exit");
    expect(await portAcceptsConnections(port)).to.equal(false);
  });
});

describe("deploy script (scripts/deploy.ts)", function () {
  this.timeout(60_000);

  it("says which environment variables are missing for --network remote", async () => {
    const run = hardhatRun("scripts/deploy.ts", { CITY_RPC_URL: "", CITY_DEPLOYER_KEY: "" }, "remote");
    const exit = await run.exited;
    expect(exit.code).to.equal(1);
    expect(run.output()).to.include("CITY_RPC_URL is not set");
    expect(run.output()).to.include("CITY_DEPLOYER_KEY is not set");
  });

  it("rejects a malformed role holder address before touching any chain", async () => {
    const run = hardhatRun("scripts/deploy.ts", { CITY_REGISTRARS: "0x1234,not-an-address" });
    const exit = await run.exited;
    expect(exit.code).to.equal(1);
    expect(run.output()).to.include('CITY_REGISTRARS: "0x1234" is not an address');
    expect(run.output()).to.include('CITY_REGISTRARS: "not-an-address" is not an address');
  });
});
