import { expect } from "chai";
import hre from "hardhat";
import { createPublicClient, http, parseEther, type Hex, type TransactionReceipt } from "viem";
import { hardhat } from "viem/chains";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { TxSender } from "../../ledger-node/src/relay/sender";
import { startRpcServer, type RpcServer } from "./helpers/chain";

/**
 * The relayer's transaction manager with the chain's automine off, so that transactions wait in the mempool: a
 * stuck transaction is replaced with higher fees, one the node forgot is broadcast again, and either way exactly one
 * receipt is reported.
 */
describe("Relayer transactions (TxSender)", function () {
  this.timeout(60_000);
  let rpc: RpcServer;
  let sender: TxSender;
  const sink = privateKeyToAccount(generatePrivateKey()).address;

  before(async () => {
    rpc = await startRpcServer(hre);
  });
  after(async () => {
    await hre.network.provider.send("evm_setAutomine", [true]);
    await rpc.close();
  });

  beforeEach(async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    await hre.network.provider.send("hardhat_setBalance", [account.address, `0x${parseEther("10").toString(16)}`]);
    const publicClient = createPublicClient({ chain: hardhat, transport: http(rpc.url, { retryCount: 0 }) });
    sender = new TxSender({ publicClient, account, chainId: 31337, bumpAfterMs: 60_000 });
    await hre.network.provider.send("evm_setAutomine", [false]);
  });
  afterEach(async () => {
    await hre.network.provider.send("evm_setAutomine", [true]);
  });

  const pendingHashes = async (): Promise<Hex[]> => {
    const block = (await hre.network.provider.send("eth_getBlockByNumber", ["pending", false])) as { transactions: Hex[] };
    return block.transactions;
  };

  it("replaces a stuck transaction with higher fees and reports the receipt of the one mined, once", async () => {
    const mined: TransactionReceipt[] = [];
    let seen: Hex[] = [];
    const sent = await sender.send({ to: sink, data: "0x", gas: 21_000n }, (r) => mined.push(r), (h) => (seen = h));
    expect(await pendingHashes()).to.deep.equal([sent.hash]);
    const first = (await hre.network.provider.send("eth_getTransactionByHash", [sent.hash])) as { maxFeePerGas: Hex };

    (sender as unknown as { options: { bumpAfterMs: number } }).options.bumpAfterMs = 0;
    await sender.poll();
    expect(seen).to.have.length(2);
    expect(sender.counters.bumped).to.equal(1);
    const replacement = seen[1];
    expect(await pendingHashes()).to.deep.equal([replacement]); // the same nonce: the first one is gone
    const second = (await hre.network.provider.send("eth_getTransactionByHash", [replacement])) as { maxFeePerGas: Hex; nonce: Hex };
    expect(BigInt(second.maxFeePerGas)).to.be.greaterThan((BigInt(first.maxFeePerGas) * 11n) / 10n);
    expect(Number(second.nonce)).to.equal(sent.nonce);

    await hre.network.provider.send("evm_mine");
    await sender.poll();
    await sender.poll();
    expect(mined.map((r) => r.transactionHash)).to.deep.equal([replacement]);
    expect(sender.pending).to.equal(0);
  });

  it("does not count a fee bump the node refuses (the fee cap leaves no room to raise), and still reports the first one mined", async () => {
    const mined: TransactionReceipt[] = [];
    let seen: Hex[] = [];
    const sent = await sender.send({ to: sink, data: "0x", gas: 21_000n }, (r) => mined.push(r), (h) => (seen = h));
    const first = (await hre.network.provider.send("eth_getTransactionByHash", [sent.hash])) as { maxFeePerGas: Hex };
    const options = (sender as unknown as { options: { bumpAfterMs: number; maxFeeCap?: bigint } }).options;
    options.bumpAfterMs = 0;
    options.maxFeeCap = BigInt(first.maxFeePerGas); // a "bump" at the same max fee: the node refuses the replacement
    await sender.poll();
    expect(sender.counters.bumped).to.equal(0);
    expect(seen).to.deep.equal([sent.hash]);
    expect(await pendingHashes()).to.deep.equal([sent.hash]);
    await hre.network.provider.send("evm_mine");
    await sender.poll();
    expect(mined.map((r) => r.transactionHash)).to.deep.equal([sent.hash]);
  });

  it("broadcasts again a transaction the node dropped, then reports it mined", async () => {
    const mined: TransactionReceipt[] = [];
    const sent = await sender.send({ to: sink, data: "0x", gas: 21_000n }, (r) => mined.push(r));
    await hre.network.provider.send("hardhat_dropTransaction", [sent.hash]);
    expect(await pendingHashes()).to.deep.equal([]);
    await sender.poll();
    expect(sender.counters.rebroadcast).to.equal(1);
    expect(await pendingHashes()).to.deep.equal([sent.hash]);
    await hre.network.provider.send("evm_mine");
    await sender.poll();
    expect(mined.map((r) => r.transactionHash)).to.deep.equal([sent.hash]);
  });

  it("assigns consecutive nonces without a gap to transactions sent back to back", async () => {
    const sent = [];
    for (let i = 0; i < 5; i++) sent.push(await sender.send({ to: sink, data: "0x", gas: 21_000n }, () => {}));
    expect(sent.map((s) => s.nonce)).to.deep.equal([0, 1, 2, 3, 4]);
    await hre.network.provider.send("evm_mine");
    await sender.poll();
    expect(sender.counters.mined).to.equal(5);
  });
});
