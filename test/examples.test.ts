import { expect } from "chai";
import hre from "hardhat";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { id } from "ethers";
import { parseEther, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { seedDemoCity } from "../scripts/lib/demo";
import { Roles } from "../scripts/lib/roles";
import { advance, cityFixture, now } from "./fixtures";
import { toBallotParams } from "../sdk/src";
import { tempDir } from "./ledger-node/helpers/chain";
import { startTestNode, type TestNode } from "./ledger-node/helpers/node";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..");

/**
 * Every script in examples/ runs as a developer would run it (`ts-node --transpile-only examples/<name>.ts`) against a
 * demo city and a relaying ledger node, and does what its output says.
 */
describe("examples/", function () {
  this.timeout(300_000);
  let testNode: TestNode;
  let keyDir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    const f = await cityFixture();
    await seedDemoCity(hre, f, { registrar: f.registrar, issuer: f.issuer, attester: f.attester, council: f.council, relayer: f.relayer, treasury: f.admin });
    const relayerKey = generatePrivateKey();
    const relayer = privateKeyToAccount(relayerKey);
    await hre.network.provider.send("hardhat_setBalance", [relayer.address, `0x${parseEther("10").toString(16)}`]);
    await (await f.authority.connect(f.admin).grantRole(Roles.RELAYER, relayer.address, 0)).wait();
    keyDir = tempDir("examples-key");
    fs.writeFileSync(path.join(keyDir, "relayer.key"), relayerKey.slice(2));
    // A referendum open for a day, for vote.ts.
    const opensAt = (await now()) + 10;
    await (await f.ballots.connect(f.orchestrator).createBallot({ ...toBallotParams({ kind: "referendum", opensAt, closesAt: opensAt + 86_400, questionHash: id("examples referendum") as Hex }), districts: [] })).wait();
    await advance(20);
    testNode = await startTestNode(f.record, { CITY_RELAY_KEY_FILE: path.join(keyDir, "relayer.key") }, "examples");
    env = { ...process.env, CITY_RPC_URL: testNode.rpc.url, CITY_NODE_URL: testNode.node.url, CITY_DEPLOYMENT: testNode.deploymentFile, NODE_KEY: testNode.node.verifierKey };
  });

  after(async () => {
    await testNode?.close();
    if (keyDir) fs.rmSync(keyDir, { recursive: true, force: true });
  });

  const example = async (name: string) => {
    const { stdout } = await run(process.execPath, [require.resolve("ts-node/dist/bin.js"), "--transpile-only", path.join("examples", name)], { cwd: ROOT, env }).catch(
      (e: { stdout: string; stderr: string }) => {
        throw new Error(`${name} failed:\n${e.stdout}\n${e.stderr}`);
      },
    );
    return stdout;
  };

  it("pay-a-merchant: a member pays €3.50 through the relayer", async () => {
    const out = await example("pay-a-merchant.ts");
    expect(out).to.match(/paid €3\.50 to 0x[0-9a-fA-F]{40} in transaction 0x[0-9a-f]{64}/);
    const [, before, after] = out.match(/balance: €([\d.]+) → €([\d.]+)/)!;
    expect(Math.round((Number(before) - Number(after)) * 100)).to.equal(350);
  });

  it("book-a-spot: a two-hour booking of spot 1, paid into escrow", async () => {
    const out = await example("book-a-spot.ts");
    expect(out).to.match(/booked spot 1 from \d{4}-\d\d-\d\dT\d\d:00:00\.000Z for two hours, €[\d.]+ in escrow/);
  });

  it("vote: a yes in the open referendum, the live count and turnout read back", async () => {
    const out = await example("vote.ts");
    expect(out).to.match(/voted yes in ballot 1 \(transaction 0x[0-9a-f]{64}, gas paid by the city's relayer\)/);
    expect(out).to.match(/live count: yes 1, no 0, blank 0; turnout 1/);
  });

  it("verify-a-receipt: the payment proven in the signed log", async () => {
    const out = await example("verify-a-receipt.ts");
    expect(out).to.match(/payment 0x[0-9a-f]{64} is entry \d+ of the log/);
    expect(out).to.match(/proven against the checkpoint of size \d+, root 0x[0-9a-f]{64}, signed by the node's key/);
  });
});
