import { expect } from "chai";
import { cityledger as run } from "./ledger-node/helpers/cli";
import { startTestNode, type TestNode } from "./ledger-node/helpers/node";
import { cityFixture, coins, freshCredential, issue, type CityFixture } from "./fixtures";

/** Runs `cityledger …`; resolves with the exit code and both streams (never rejects on a non-zero exit). */
const cityledger = (...args: string[]) => run(args);

/**
 * The `cityledger` command as users run it: `--help` on every command, usage errors with exit code 2 and a message
 * saying what to do, and `proof` end to end against a node (exit 0 verified, 1 not, 3 unreachable).
 */
describe("cityledger CLI", function () {
  this.timeout(120_000);

  it("lists its commands and prints --help for each", async () => {
    const top = await cityledger("--help");
    expect(top.code).to.equal(0);
    for (const command of ["start", "deploy", "node", "replay", "audit", "proof"]) {
      expect(top.stdout).to.match(new RegExp(`^  ${command} `, "m"));
    }
    for (const command of ["start", "deploy", "proof"]) {
      const help = await cityledger(command, "--help");
      expect(help.code, command).to.equal(0);
      expect(help.stdout).to.match(new RegExp(`^Usage: cityledger ${command}`));
    }
    const unknown = await cityledger("fly");
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/unknown command "fly"/);
  });

  it("refuses bad usage with exit code 2 and says what to do", async () => {
    const deploy = await cityledger("deploy");
    expect(deploy.code).to.equal(2);
    expect(deploy.stderr).to.match(/--network is required/);
    const start = await cityledger("start", "--port", "1");
    expect(start.code).to.equal(2);
    expect(start.stderr).to.match(/CITY_PORT/);
    const proof = await cityledger("proof", "--node", "http://127.0.0.1:9", "--key", "k", "--tx", "0x12");
    expect(proof.code).to.equal(2);
    expect(proof.stderr).to.match(/--tx must be a 32-byte transaction hash/);
    const noKey = await cityledger("proof", "--node", "http://127.0.0.1:9", "--seq", "1");
    expect(noKey.code).to.equal(2);
    expect(noKey.stderr).to.match(/--key is required/);
  });

  describe("proof", () => {
    let f: CityFixture;
    let testNode: TestNode;
    let txHash: string;
    let logIndex: number;

    before(async () => {
      f = await cityFixture();
      const [alice, shop] = f.people;
      for (const who of [alice, shop]) await (await f.registry.connect(f.registrar).register(who.address, 1, 1, 1n, freshCredential())).wait();
      await issue(f, alice, coins(20));
      const receipt = await (await f.coin.connect(alice).transfer(shop.address, coins(3))).wait();
      txHash = receipt!.hash;
      logIndex = receipt!.logs[0].index;
      testNode = await startTestNode(f.record, {}, "cli-proof");
      const head = await f.coin.runner!.provider!.getBlockNumber();
      while (testNode.node.store.cursor.block < BigInt(head)) await new Promise((r) => setTimeout(r, 50));
    });
    after(async () => {
      await testNode?.close();
    });

    it("proves an entry by sequence number, and a payment against the chain's own log (--json)", async () => {
      const { node } = testNode;
      const bySeq = await cityledger("proof", "--node", node.url, "--key", node.verifierKey, "--seq", "2", "--json");
      expect(bySeq.code, bySeq.stderr).to.equal(0);
      expect(JSON.parse(bySeq.stdout)).to.deep.include({ verified: true, seq: 2, checkedAgainstChain: false });

      const byTx = await cityledger(
        "proof",
        "--node",
        node.url,
        "--key",
        node.verifierKey,
        "--tx",
        txHash,
        "--log-index",
        String(logIndex),
        "--rpc",
        testNode.rpc.url,
        "--deployment",
        testNode.deploymentFile,
      );
      expect(byTx.code, byTx.stderr).to.equal(0);
      expect(byTx.stdout).to.match(/✔ entry \d+ is in the log signed at size \d+/);
      expect(byTx.stdout).to.match(/recomputed from the chain's log/);
    });

    it("exits 1 when the checkpoint is not signed by --key, 3 when the node is unreachable", async () => {
      const { node } = testNode;
      const otherKey = node.verifierKey.replace(/\+[0-9a-f]{8}\+/, "+00000000+");
      const forged = await cityledger("proof", "--node", node.url, "--key", otherKey, "--seq", "1", "--json");
      expect(forged.code).to.equal(1);
      expect(JSON.parse(forged.stdout)).to.deep.include({ verified: false });
      const beyond = await cityledger("proof", "--node", node.url, "--key", node.verifierKey, "--seq", "99999");
      expect(beyond.code).to.equal(1);
      expect(beyond.stderr).to.match(/no such entry/);
      const down = await cityledger("proof", "--node", "http://127.0.0.1:9", "--key", node.verifierKey, "--seq", "1");
      expect(down.code).to.equal(3);
      expect(down.stderr).to.match(/unreachable.*Check --node/);
    });
  });
});
