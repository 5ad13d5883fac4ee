import { expect } from "chai";
import hre from "hardhat";
import http from "node:http";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { id } from "ethers";
import { createPublicClient, createWalletClient, getAddress, http as viemHttp } from "viem";
import { hardhat } from "viem/chains";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { LedgerNode } from "../../ledger-node/src/node";
import { LedgerRequestError, ReceiptVerificationError, createCityClient, type CityClient } from "../../sdk/src";
import { startTestNode, type TestNode } from "../ledger-node/helpers/node";
import { DAY, ballotsFixture, commitmentOf, createBallot, type BallotsCtx } from "../votes/ballotHelpers";

const SALT = id("receipt salt");

/**
 * A member's ballot receipt through the SDK against a real node: the entries the node names are the member's own
 * ballot events, proven in the log from the chain's receipts and the node's signed checkpoint.
 */
describe("SDK ballots: verified receipts", function () {
  this.timeout(60_000);
  let f: BallotsCtx;
  let testNode: TestNode;
  let node: LedgerNode;
  let city: CityClient;

  before(async () => {
    f = await ballotsFixture();
    const sealed = await createBallot(f, { sealed_: true, revealWindow: DAY });
    const open = await createBallot(f);
    await time.increaseTo(Number(open.params.opensAt));
    await (await f.ballots.connect(f.alice).commit(sealed.id, commitmentOf(sealed.id, f.alice.address, 1n, SALT))).wait();
    await (await f.ballots.connect(f.bob).vote(open.id, 0n)).wait();
    await (await f.ballots.connect(f.bob).vote(open.id, 2n)).wait();
    await time.increaseTo(Number(sealed.params.closesAt));
    await (await f.ballots.connect(f.alice).reveal(sealed.id, 1n, SALT)).wait();
    testNode = await startTestNode(f.record, {}, "sdk-ballots");
    node = testNode.node;
    const transport = viemHttp(testNode.rpc.url, { retryCount: 0 });
    city = createCityClient({
      publicClient: createPublicClient({ chain: hardhat, transport }),
      walletClient: createWalletClient({ chain: hardhat, transport, account: privateKeyToAccount(generatePrivateKey()) }),
      deployment: f.record as never,
      ledgerUrl: node.url,
    });
    // Wait until the log holds every block, its checkpoint is signed, and the projections read all of it.
    const head = await hre.ethers.provider.getBlockNumber();
    for (let i = 0; ; i++) {
      if (i === 400) throw new Error("the node did not catch up");
      const logged = node.store.cursor.block >= BigInt(head) && (await city.ledger.getCheckpoint()).size === node.store.size;
      const projected = logged && (await fetch(`${node.url}/v1/ballots/1/receipts/${getAddress(f.alice.address)}`)).status === 200;
      if (projected && (await (await fetch(`${node.url}/v1/ballots/1`)).json()).results.counted === "1") break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  after(async () => {
    await testNode?.close();
  });

  it("proves a sealed ballot's commitment and reveal, and an open ballot's last vote", async () => {
    const sealed = await city.ballots.verifyBallotReceipt({ ballotId: 1n, voter: getAddress(f.alice.address), verifierKey: node.verifierKey });
    expect(sealed.choice).to.equal(1n);
    expect(sealed.commitment).to.equal(commitmentOf(1n, f.alice.address, 1n, SALT));
    expect(sealed.reveal).to.not.equal(null);
    expect(sealed.reveal!.seq).to.be.greaterThan(sealed.cast.seq);
    expect(sealed.cast.treeSize).to.equal(node.store.size);
    const open = await city.ballots.verifyBallotReceipt({ ballotId: 2n, voter: getAddress(f.bob.address), verifierKey: node.verifierKey });
    expect([open.choice, open.reveal, open.college, open.district]).to.deep.equal([2n, null, 1, 1]);
    const entry = await city.ledger.getEntry({ seq: open.cast.seq });
    expect(entry.event?.name).to.equal("VoteCast");
    expect(entry.event?.args.choice).to.equal("2");
  });

  it("refuses a receipt whose entry is another voter's ballot", async () => {
    // A lying node: asked for bob's receipt on ballot 1, it serves alice's (a real entry, proven in the log).
    const liar = http.createServer(async (req, res) => {
      const url = req.url!.replace(`/receipts/${getAddress(f.bob.address)}`, `/receipts/${getAddress(f.alice.address)}`);
      const upstream = await fetch(`${node.url}${url}`);
      res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
      res.end(await upstream.text());
    });
    await new Promise<void>((r) => liar.listen(0, "127.0.0.1", r));
    try {
      const port = (liar.address() as { port: number }).port;
      const lied = createCityClient({ publicClient: city.publicClient, deployment: f.record as never, ledgerUrl: `http://127.0.0.1:${port}` });
      await lied.ballots.verifyBallotReceipt({ ballotId: 1n, voter: getAddress(f.bob.address), verifierKey: node.verifierKey });
      expect.fail("accepted another voter's entry");
    } catch (error) {
      expect(error).to.be.instanceOf(ReceiptVerificationError);
      expect((error as ReceiptVerificationError).shortMessage).to.contain(`is not ${getAddress(f.bob.address)}'s`);
    } finally {
      await new Promise((r) => liar.close(r));
    }
  });

  it("refuses a checkpoint under another key, and says when the voter has no ballot", async () => {
    const otherKey = node.verifierKey.replace(/\+[0-9a-f]{8}\+/, "+00000000+");
    try {
      await city.ballots.verifyBallotReceipt({ ballotId: 2n, voter: getAddress(f.bob.address), verifierKey: otherKey });
      expect.fail("verified under another key");
    } catch (error) {
      expect(error).to.not.be.instanceOf(ReceiptVerificationError);
      expect((error as Error).name).to.match(/Checkpoint/);
    }
    try {
      await city.ballots.verifyBallotReceipt({ ballotId: 2n, voter: getAddress(f.carol.address), verifierKey: node.verifierKey });
      expect.fail("a receipt for a member who did not vote");
    } catch (error) {
      expect(error).to.be.instanceOf(LedgerRequestError);
      expect((error as LedgerRequestError).type).to.equal("not-found");
    }
  });
});
