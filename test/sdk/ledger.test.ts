import { expect } from "chai";
import hre from "hardhat";
import http from "node:http";
import { createPublicClient, createWalletClient, hexToBytes, http as viemHttp, type Hex } from "viem";
import { hardhat } from "viem/chains";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { LedgerNode } from "../../ledger-node/src/node";
import {
  CheckpointError,
  LedgerRequestError,
  ReceiptVerificationError,
  createCityClient,
  verifyConsistency,
  verifyInclusion,
  type CityClient,
} from "../../sdk/src";
import { cityFixture, coins, freshCredential, issue, type CityFixture } from "../fixtures";
import type { RpcServer } from "../ledger-node/helpers/chain";
import { startTestNode, type TestNode } from "../ledger-node/helpers/node";

/**
 * The SDK's ledger module against a real node: checkpoints checked against the node's key, entries, proofs, and
 * receipts verified from the chain's own log — and refused when the node lies.
 */
describe("SDK ledger module", function () {
  this.timeout(60_000);
  let f: CityFixture;
  let testNode: TestNode;
  let rpc: RpcServer;
  let node: LedgerNode;
  let city: CityClient;
  let paymentHash: Hex;

  const clientFor = (ledgerUrl: string): CityClient => {
    const transport = viemHttp(rpc.url, { retryCount: 0 });
    const account = privateKeyToAccount(generatePrivateKey());
    return createCityClient({
      publicClient: createPublicClient({ chain: hardhat, transport }),
      walletClient: createWalletClient({ chain: hardhat, transport, account }),
      deployment: f.record as never,
      ledgerUrl,
    });
  };

  /** Waits until the node's signed checkpoint covers every log of the chain so far. */
  async function settled(): Promise<void> {
    const head = await hre.ethers.provider.getBlockNumber();
    for (let i = 0; i < 200; i++) {
      if (node.store.cursor.block >= BigInt(head) && (await city.ledger.getCheckpoint()).size === node.store.size) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("the node did not catch up");
  }

  before(async () => {
    f = await cityFixture();
    const [alice, shop] = f.people;
    for (const who of [alice, shop]) await (await f.registry.connect(f.registrar).register(who.address, 1, 1, 1n, freshCredential())).wait();
    await issue(f, alice, coins(50));
    const tx = await f.coin.connect(alice).transfer(shop.address, coins(7));
    paymentHash = (await tx.wait())!.hash as Hex;
    testNode = await startTestNode(f.record, {}, "sdk-ledger");
    ({ rpc, node } = testNode);
    city = clientFor(node.url);
    await settled();
  });

  after(async () => {
    await testNode?.close();
  });

  it("reads the signed checkpoint, checks its signature, and refuses it under another key", async () => {
    const checkpoint = await city.ledger.getCheckpoint({ verifierKey: node.verifierKey });
    expect(checkpoint.verified).to.equal(true);
    expect(checkpoint.size).to.equal(node.store.size);
    expect(checkpoint.origin).to.equal("cityledger.local/31337");
    const otherKey = node.verifierKey.replace(/\+[0-9a-f]{8}\+/, "+00000000+");
    try {
      await city.ledger.getCheckpoint({ verifierKey: otherKey });
      expect.fail("accepted a checkpoint under another key");
    } catch (error) {
      expect(error).to.be.instanceOf(CheckpointError);
    }
  });

  it("pages entries and proves them: inclusion and consistency verify with the SDK's pure functions", async () => {
    const { size, root } = await city.ledger.getCheckpoint({ verifierKey: node.verifierKey });
    const page = await city.ledger.getEntries({ from: 0, limit: 5 });
    expect(page.entries.map((e) => e.seq)).to.deep.equal([0, 1, 2, 3, 4]);
    const entry = await city.ledger.getEntry({ seq: size - 1 });
    expect(entry.event?.contract).to.equal("CityCoin");
    const inclusion = await city.ledger.getInclusionProof({ seq: 3, treeSize: size });
    expect(inclusion.root).to.equal(root);
    verifyInclusion(hexToBytes(inclusion.leafHash), 3, size, inclusion.proof.map((h) => hexToBytes(h)), hexToBytes(root));
    const consistency = await city.ledger.getConsistencyProof({ from: 4, to: size });
    verifyConsistency(4, size, consistency.proof.map((h) => hexToBytes(h)), hexToBytes(consistency.fromRoot), hexToBytes(root));
    try {
      await city.ledger.getEntry({ seq: size + 1000 });
      expect.fail("read beyond the log");
    } catch (error) {
      expect(error).to.be.instanceOf(LedgerRequestError);
      expect((error as LedgerRequestError).type).to.equal("not-found");
    }
  });

  it("verifies a payment's receipt from the chain's own log up to the signed checkpoint", async () => {
    const receipt = await hre.ethers.provider.getTransactionReceipt(paymentHash);
    const transfer = receipt!.logs[0];
    const verified = await city.ledger.verifyReceipt({ txHash: paymentHash, logIndex: transfer.index, verifierKey: node.verifierKey });
    expect(verified.treeSize).to.equal(node.store.size);
    expect(verified.seq).to.be.lessThan(verified.treeSize);
  });

  it("refuses a receipt when the node serves an altered entry or a proof that does not reach the root", async () => {
    const receipt = await hre.ethers.provider.getTransactionReceipt(paymentHash);
    const logIndex = receipt!.logs[0].index;
    for (const tamper of ["leafHash", "proof"] as const) {
      // A proxy in front of the real node that rewrites the inclusion proofs it serves.
      const proxy = http.createServer(async (req, res) => {
        const upstream = await fetch(`${node.url}${req.url}`, { headers: { accept: req.headers.accept ?? "*/*" } });
        let body = await upstream.text();
        if (req.url!.startsWith("/v1/proofs/inclusion") && upstream.ok) {
          const json = JSON.parse(body) as { leafHash: string; proof: string[] };
          if (tamper === "leafHash") json.leafHash = `0x${"11".repeat(32)}`;
          else json.proof[0] = `0x${"22".repeat(32)}`;
          body = JSON.stringify(json);
        }
        res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "text/plain" }).end(body);
      });
      await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
      const { port } = proxy.address() as { port: number };
      try {
        await clientFor(`http://127.0.0.1:${port}`).ledger.verifyReceipt({ txHash: paymentHash, logIndex, verifierKey: node.verifierKey });
        expect.fail(`accepted a receipt with a tampered ${tamper}`);
      } catch (error) {
        expect(error).to.be.instanceOf(ReceiptVerificationError);
        expect((error as ReceiptVerificationError).shortMessage).to.match(tamper === "leafHash" ? /not the chain's log/ : /does not lead to the signed root/);
      } finally {
        await new Promise((resolve) => proxy.close(resolve));
      }
    }
  });

  it("says what to do when the client has no ledgerUrl", async () => {
    const bare = createCityClient({ publicClient: createPublicClient({ chain: hardhat, transport: viemHttp(rpc.url) }), deployment: f.record as never });
    try {
      await bare.ledger.getCheckpoint();
      expect.fail("read a checkpoint without a node");
    } catch (error) {
      expect((error as Error).message).to.match(/ledgerUrl/);
    }
  });
});
