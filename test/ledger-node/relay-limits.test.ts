import { expect } from "chai";
import hre from "hardhat";
import fs from "node:fs";
import {
  concatHex,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  http,
  parseEther,
  parseGwei,
  type Address,
  type Hex,
  type PrivateKeyAccount,
} from "viem";
import { hardhat } from "viem/chains";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { LedgerNode } from "../../ledger-node/src/node";
import { RelayRejectedError, Relayer, type RelayRejectionKind } from "../../ledger-node/src/relay/relayer";
import { RelayStore } from "../../ledger-node/src/relay/store";
import {
  RelayError,
  cityForwarderAbi,
  cityRegistryAbi,
  energyMarketAbi,
  postRelay,
  signForwardRequest,
  waitForRelay,
  type CityClient,
  type ForwardRequestBody,
  type RelayProblemType,
} from "../../sdk/src";
import { Flags, Roles } from "../../scripts/lib/roles";
import { cityFixture, coins, freshCredential, issue, now, type CityFixture } from "../fixtures";
import { tempDir, type RpcServer } from "./helpers/chain";
import { expectProblem, startRelayHarness, transferData, type RelayHarness } from "./helpers/relay";

const QUOTA = 12;
const REFUSALS = 3;
const IP_PER_MINUTE = 60;

/**
 * The relayer's limits, against a running node (issue 13, items 5 and 6): calldata must be exactly an allowed call,
 * the quota is charged what the relayer's transaction uses, refused requests are not free, a nonce is held by one
 * request at a time, a member who front-runs their own relayed request pays for it, a burst of cheap orders stays
 * within the quota, the signature is checked before any chain read, and one IP cannot flood the route.
 */
describe("Relayer limits (issue 13: items 5, 6)", function () {
  this.timeout(180_000);
  let f: CityFixture;
  let relay: RelayHarness;
  let rpc: RpcServer;
  let node: LedgerNode;
  let members: PrivateKeyAccount[];
  let sink: PrivateKeyAccount;

  const publicClient = () => relay.publicClient();
  const cityOf = (account: PrivateKeyAccount): CityClient => relay.cityOf(account);
  const post = (body: unknown) => relay.post(body);
  const coin = () => f.record.contracts.CityCoin.address as Address;
  const usage = async (member: Address) =>
    (await (await fetch(`${node.url}/v1/relay/quota/${member}`)).json()) as { requests: number; gas: string; refused: number; gasPerDay: string };
  const sign = (account: PrivateKeyAccount, data: Hex, options: { gas?: bigint; nonce?: bigint; to?: Address } = {}) =>
    signForwardRequest(cityOf(account), { to: options.to ?? coin(), data, gas: options.gas ?? 120_000n, nonce: options.nonce });
  /** The member executes its signed request itself through the forwarder, paying the gas: outside the relayer. */
  const executeDirectly = (member: PrivateKeyAccount, body: ForwardRequestBody, fees: { maxPriorityFeePerGas?: bigint; maxFeePerGas?: bigint } = {}) =>
    createWalletClient({ chain: hardhat, transport: http(rpc.url, { retryCount: 0 }), account: member }).writeContract({
      address: f.record.contracts.CityForwarder.address as Address,
      abi: cityForwarderAbi,
      functionName: "execute",
      args: [{ from: body.from, to: body.to, value: 0n, gas: BigInt(body.gas), deadline: body.deadline, data: body.data, signature: body.signature }],
      gas: 300_000n,
      ...fees,
    });
  const forwarderNonce = (member: Address) =>
    publicClient().readContract({ address: f.record.contracts.CityForwarder.address as Address, abi: cityForwarderAbi, functionName: "nonces", args: [member] });

  before(async () => {
    f = await cityFixture();
    relay = await startRelayHarness(
      f,
      8,
      {
        CITY_RELAY_REQUESTS_PER_DAY: String(QUOTA),
        CITY_RELAY_REFUSALS_PER_DAY: String(REFUSALS),
        CITY_RELAY_IP_PER_MINUTE: String(IP_PER_MINUTE),
        // The limits hold whichever key of the pool sends (refusals move none of them).
        CITY_RELAY_KEYS: "4",
      },
      "relay-limits",
    );
    ({ members, sink } = relay);
    ({ rpc, node } = relay.testNode);
  });

  after(async () => {
    await hre.network.provider.send("evm_setAutomine", [true]);
    await relay?.close();
  });

  describe("item 5: the relayer pays for what it relays, and the member's quota is charged that", () => {
    it("trailing bytes after an allowed call (targets ignore them, the relayer pays for them): 400 malformed-calldata, nothing sent", async () => {
      const member = members[0];
      const pool = await relay.poolSnapshot();
      // The reproduced attack: a transfer booked at 60,000 gas carrying 8 KB of junk, which cost the relayer 355,190.
      const junk = concatHex([transferData(sink.address, 1n), `0x${"ab".repeat(8_000)}`]);
      const body = await sign(member, junk, { gas: 60_000n });
      const problem = await expectProblem(await post({ request: body }), 400, "malformed-calldata");
      expect(problem.detail).to.match(/8000 bytes after the ABI encoding of transfer\(address,uint256\)/);
      // A non-canonical encoding of the same call (dirty high bytes in the address word) is refused too.
      const clean = transferData(sink.address, 1n);
      const dirty = `${clean.slice(0, 10)}ff${clean.slice(12)}` as Hex;
      await expectProblem(await post({ request: await sign(member, dirty) }), 400, "malformed-calldata");
      // Refused before the signature and any chain read: nothing sent, nothing counted.
      expect(await relay.poolSnapshot()).to.deep.equal(pool);
      expect((await usage(member.address)).requests).to.equal(0);
    });

    it("charges the quota the relayer transaction's gas (calldata and forwarder included), corrected from the receipt", async () => {
      const member = members[0];
      const before = await usage(member.address);
      const body = await sign(member, transferData(sink.address, 1n), { gas: 120_000n });
      const accepted = (await (await post({ request: body })).json()) as { id: Hex };
      const record = await waitForRelay(node.url, accepted.id);
      const receipt = await publicClient().getTransactionReceipt({ hash: record.txHashes[record.txHashes.length - 1] });
      expect(record.gasUsed).to.equal(receipt.gasUsed.toString());
      const after = await usage(member.address);
      expect(after.requests).to.equal(before.requests + 1);
      // What the relayer paid, not the request's own `gas` (120,000): the forwarder and calldata are in it.
      expect(BigInt(after.gas) - BigInt(before.gas)).to.equal(receipt.gasUsed);
      expect(receipt.gasUsed).to.not.equal(120_000n);
    });

    it("refuses a request whose transaction could use more than what is left of the day's gas quota, before sending", async () => {
      // A day's gas of 10,000,000 (the default): each request reserves the bound of its transaction on acceptance.
      const member = members[1];
      const use = await usage(member.address);
      expect(BigInt(use.gasPerDay)).to.equal(10_000_000n);
      const next = await forwarderNonce(member.address);
      // Queued far ahead of the member's next nonce, so nothing is sent while the bounds pile up.
      const answers: Response[] = [];
      for (let k = 1n; k <= 11n; k++) answers.push(await post({ request: await sign(member, transferData(sink.address, 1n), { gas: 900_000n, nonce: next + k }) }));
      const statuses = answers.map((r) => r.status);
      // Each bound is a little over 900,000 + 900,000/63 + the forwarder and calldata (~1.007M): nine fit in 10,000,000, not ten.
      expect(statuses.slice(0, 9)).to.deep.equal(Array(9).fill(202));
      const refused = answers[9];
      await expectProblem(refused, 429, "quota-exceeded");
      expect(Number(refused.headers.get("retry-after"))).to.be.greaterThan(0);
    });

    it("after a restart, requests that were still queued are refused as expired and their reserved gas goes back", async () => {
      const member = members[1];
      expect(BigInt((await usage(member.address)).gas)).to.be.greaterThan(9_000_000n); // the nine queued above
      node = await relay.testNode.restart();
      const use = await usage(member.address);
      expect(BigInt(use.gas)).to.equal(0n);
      expect(use.requests).to.equal(9); // they were accepted: they still count, but not as refusals
      expect(use.refused).to.equal(0);
    });
  });

  describe("item 6: refusals, conflicts and front-running", () => {
    it("refused requests count against the member: requests and refusals; past the refusal quota, 429 with Retry-After even for a valid one", async () => {
      const member = members[2];
      const pool = await relay.poolSnapshot();
      for (let i = 0; i < REFUSALS; i++) {
        const failing = await sign(member, transferData(sink.address, coins(1_000_000) + BigInt(i)));
        await expectProblem(await post({ request: failing }), 422, "simulation-reverted");
      }
      const use = await usage(member.address);
      expect(use).to.include({ requests: REFUSALS, refused: REFUSALS });
      expect(BigInt(use.gas)).to.equal(0n); // nothing was sent, no gas charged
      const valid = await sign(member, transferData(sink.address, 1n));
      const response = await post({ request: valid });
      const problem = await expectProblem(response, 429, "quota-exceeded");
      expect(problem.detail).to.match(/refused/);
      expect(Number(response.headers.get("retry-after"))).to.be.within(1, 86_400);
      expect(await relay.poolSnapshot()).to.deep.equal(pool);
    });

    it("the signature is checked before any chain read: a forged request or permit makes no RPC call", async () => {
      let calls = 0;
      const counting = createPublicClient({ chain: hardhat, transport: http(rpc.url, { retryCount: 0, onFetchRequest: () => void calls++ }) });
      const dir = tempDir("relay-sig-first");
      const store = await RelayStore.open(dir);
      const relayer = new Relayer({
        publicClient: counting as never,
        accounts: [privateKeyToAccount(generatePrivateKey())],
        chainId: 31337,
        deployment: f.record as never,
        store,
        quota: { requestsPerDay: 10, gasPerDay: 10_000_000n, refusalsPerDay: 10 },
        pollMs: 3_600_000,
      });
      try {
        await relayer.start();
        const body = await sign(members[3], transferData(sink.address, 1n));
        calls = 0;
        const forged: ForwardRequestBody = { ...body, from: members[4].address };
        try {
          await relayer.relayForward(forged, 31337);
          expect.fail("relayed a forged request");
        } catch (error) {
          expect(error).to.be.instanceOf(RelayRejectedError).and.include({ kind: "bad-signature" });
        }
        try {
          await relayer.relayPermit({ owner: members[4].address, spender: sink.address, value: "1", nonce: "0", deadline: "99999999999", signature: body.signature }, 31337);
          expect.fail("relayed a forged permit");
        } catch (error) {
          expect(error).to.be.instanceOf(RelayRejectedError).and.include({ kind: "bad-signature" });
        }
        expect(calls, "RPC calls made for forged requests").to.equal(0);
      } finally {
        await relayer.stop();
        await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("a receipt the relayer cannot record (its store failing) is logged, not left as an unhandled rejection that would end the node", async () => {
      const member = privateKeyToAccount(generatePrivateKey());
      await (await f.registry.connect(f.registrar).register(member.address, 1, 2, Flags.RESIDENT, freshCredential())).wait();
      await issue(f, member, coins(10));
      // A key of its own (the node's keys have their nonces in flight), with the role and gas.
      const key = privateKeyToAccount(generatePrivateKey());
      await hre.network.provider.send("hardhat_setBalance", [key.address, `0x${parseEther("10").toString(16)}`]);
      await (await f.authority.connect(f.admin).grantRole(Roles.RELAYER, key.address, 0)).wait();
      const dir = tempDir("relay-receipt-unrecorded");
      const store = await RelayStore.open(dir);
      store.addCost = () => Promise.reject(new Error("disk full"));
      const errors: string[] = [];
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => void unhandled.push(reason);
      process.on("unhandledRejection", onUnhandled);
      const relayer = new Relayer({
        publicClient: publicClient() as never,
        accounts: [key],
        chainId: 31337,
        deployment: f.record as never,
        store,
        quota: { requestsPerDay: 10, gasPerDay: 10_000_000n, refusalsPerDay: 10 },
        pollMs: 3_600_000, // the receipt comes from the look the sender takes right after sending (automine)
        logger: { info: () => {}, warn: () => {}, error: (line: string) => void errors.push(line) },
      });
      try {
        await relayer.start();
        const record = await relayer.relayForward(await sign(member, transferData(sink.address, 1n)), 31337);
        expect(record.status).to.equal("submitted");
        for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
        await new Promise((resolve) => setTimeout(resolve, 50)); // an unhandled rejection is reported after the microtasks
        expect(errors.join("\n")).to.match(new RegExp(`could not record the receipt of ${record.id} \\(0x[0-9a-f]{64}\\): disk full`));
        expect(unhandled).to.deep.equal([]);
      } finally {
        process.off("unhandledRejection", onUnhandled);
        await relayer.stop();
        await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("two queued requests with the same nonce: the second is refused (409 nonce-conflict naming the first), the first is sent", async () => {
      const member = members[5];
      const next = await forwarderNonce(member.address);
      const first = await post({ request: await sign(member, transferData(sink.address, 3n), { nonce: next + 1n }) });
      expect(first.status).to.equal(202);
      const queued = (await first.json()) as { id: Hex; status: string };
      expect(queued.status).to.equal("queued");
      const second = await expectProblem(await post({ request: await sign(member, transferData(sink.address, 4n), { nonce: next + 1n }) }), 409, "nonce-conflict");
      expect(second.requestId).to.equal(queued.id);
      const sinkBefore = await f.coin.balanceOf(sink.address);
      const gap = (await (await post({ request: await sign(member, transferData(sink.address, 5n), { nonce: next }) })).json()) as { id: Hex };
      await waitForRelay(node.url, gap.id);
      expect((await waitForRelay(node.url, queued.id)).status).to.equal("mined");
      expect(await f.coin.balanceOf(sink.address)).to.equal(sinkBefore + 8n);
      expect((await usage(member.address)).refused).to.equal(1);
    });

    it("a member who front-runs their own relayed request (a direct execute of the same nonce): status reverted/front-run, charged to the member", async () => {
      const member = members[6];
      await hre.network.provider.send("hardhat_setBalance", [member.address, `0x${parseEther("1").toString(16)}`]);
      const body = await sign(member, transferData(sink.address, 7n));
      const before = await usage(member.address);
      await hre.network.provider.send("evm_setAutomine", [false]);
      let id: Hex;
      try {
        const accepted = await post({ request: body });
        expect(accepted.status).to.equal(202);
        ({ id } = (await accepted.json()) as { id: Hex });
        // The member executes the very same request directly, paying a higher tip: mined first in the block.
        await executeDirectly(member, body, { maxPriorityFeePerGas: parseGwei("50"), maxFeePerGas: parseGwei("200") });
        await hre.network.provider.send("evm_mine", []);
      } finally {
        await hre.network.provider.send("evm_setAutomine", [true]);
      }
      try {
        await waitForRelay(node.url, id!);
        expect.fail("the front-run request was reported mined");
      } catch (error) {
        expect(error).to.be.instanceOf(RelayError);
        expect((error as RelayError).type).to.equal("front-run");
      }
      const record = (await (await fetch(`${node.url}/v1/relay/${id!}`)).json()) as { status: string; gasUsed: string };
      expect(record.status).to.equal("reverted");
      const after = await usage(member.address);
      expect(after.refused).to.equal(before.refused + 1);
      // The revert's gas, which the relayer paid, is the member's.
      expect(BigInt(after.gas) - BigInt(before.gas)).to.equal(BigInt(record.gasUsed));
    });

    it("a nonce the member used directly after its last relayed request (the relayer remembers it as the next, unused): 409 replayed all the same, nothing sent", async () => {
      const member = privateKeyToAccount(generatePrivateKey());
      await (await f.registry.connect(f.registrar).register(member.address, 1, 2, Flags.RESIDENT, freshCredential())).wait();
      await issue(f, member, coins(10));
      // One relayed request: the relayer now takes the nonce after it as the member's next, without reading the chain.
      const first = await post({ request: await sign(member, transferData(sink.address, 1n)) });
      expect(first.status).to.equal(202);
      await waitForRelay(node.url, ((await first.json()) as { id: Hex }).id);
      const next = await forwarderNonce(member.address);
      // The member uses that nonce directly (its own execute, paying gas): the relayer does not see it.
      await hre.network.provider.send("hardhat_setBalance", [member.address, `0x${parseEther("1").toString(16)}`]);
      const used = await sign(member, transferData(sink.address, 2n), { nonce: next });
      const hash = await executeDirectly(member, used);
      expect((await publicClient().waitForTransactionReceipt({ hash })).status).to.equal("success");
      const pool = await relay.poolSnapshot();
      const before = await usage(member.address);
      const stale = await sign(member, transferData(sink.address, 3n), { nonce: next });
      const problem = await expectProblem(await post({ request: stale }), 409, "replayed");
      // Refused by the simulation (the remembered nonce spared the read at acceptance), as the read would have.
      expect(problem.detail).to.match(/used before this request's turn/);
      expect(await relay.poolSnapshot()).to.deep.equal(pool);
      expect(await usage(member.address)).to.include({ requests: before.requests + 1, refused: before.refused + 1 });
      // Forgotten with the refusal: the next request reads the chain, and is relayed.
      const fresh = await post({ request: await sign(member, transferData(sink.address, 4n)) });
      expect(fresh.status).to.equal(202);
      expect((await waitForRelay(node.url, ((await fresh.json()) as { id: Hex }).id)).status).to.equal("mined");
      expect(await forwarderNonce(member.address)).to.equal(next + 2n);
    });
  });

  describe("queued requests when the member sends directly", () => {
    it("a queued request whose missing nonce the member sent directly is sent soon after, not left to expire", async () => {
      const member = members[3];
      await hre.network.provider.send("hardhat_setBalance", [member.address, `0x${parseEther("1").toString(16)}`]);
      const next = await forwarderNonce(member.address);
      const ahead = await post({ request: await sign(member, transferData(sink.address, 11n), { nonce: next + 1n }) });
      const queued = (await ahead.json()) as { id: Hex; status: string };
      expect(queued.status).to.equal("queued");
      // The member executes nonce `next` itself, outside the relayer.
      const own = await sign(member, transferData(sink.address, 13n), { nonce: next });
      const hash = await executeDirectly(member, own);
      await publicClient().waitForTransactionReceipt({ hash });
      // The queue's timeout is 120 s; the relayer notices the filled gap within a few seconds.
      const record = await waitForRelay(node.url, queued.id, { timeoutMs: 15_000 });
      expect(record.status).to.equal("mined");
      expect(await forwarderNonce(member.address)).to.equal(next + 2n);
    });
  });

  describe("issue 13, item 3: relayed energy orders", () => {
    it("a burst of cheap relayed orders is bounded by the member's request quota; the gas charged is what was used", async () => {
      const buyer = members[7];
      const [operator] = f.people;
      await (await f.authority.connect(f.admin).grantRole(Roles.METER_OPERATOR, operator.address, 0)).wait();
      const meter = privateKeyToAccount(generatePrivateKey()).address;
      await (await f.meters.connect(operator).register(meter, buyer.address, 2 /* consumption */, 2)).wait();
      const city = cityOf(buyer);
      await city.currency.relayPermit({ spender: f.record.contracts.EnergyMarket.address as Address, value: coins(50), wait: true });
      const left = QUOTA - (await usage(buyer.address)).requests;
      const first = await forwarderNonce(buyer.address);
      const slot = Math.floor((await now()) / 900) + 4;
      const bodies = await Promise.all(
        Array.from({ length: left + 4 }, (_, i) =>
          sign(
            buyer,
            encodeFunctionData({ abi: energyMarketAbi, functionName: "bid", args: [slot + (i % 4), meter, 2_000, 150_000] }),
            { to: f.record.contracts.EnergyMarket.address as Address, gas: 400_000n, nonce: first + BigInt(i) },
          ),
        ),
      );
      const answers = await Promise.all(bodies.map((request) => post({ request })));
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 202)).to.have.length(left);
      expect(statuses.filter((s) => s === 429)).to.have.length(4);
      const use = await usage(buyer.address);
      expect(use.requests).to.equal(QUOTA);
      expect(BigInt(use.gas)).to.be.at.most(BigInt(use.gasPerDay));
    });
  });

  it("every refusal and outcome the relayer reports is a typed SDK error with a hint saying what to do", () => {
    // Exhaustive at compile time: a new rejection kind must be added here, and to the SDK's RelayProblemType.
    const kinds: Record<RelayRejectionKind | "front-run" | "reverted", true> = {
      "invalid-request": true,
      "malformed-calldata": true,
      "nonce-conflict": true,
      "wrong-chain": true,
      "bad-signature": true,
      expired: true,
      replayed: true,
      "not-a-member": true,
      "not-allowed": true,
      "quota-exceeded": true,
      "simulation-reverted": true,
      "relay-unavailable": true,
      "front-run": true,
      reverted: true,
    };
    for (const kind of Object.keys(kinds) as (keyof typeof kinds)[]) {
      const type: RelayProblemType = kind;
      const error = new RelayError("refused", { type });
      expect(error.type).to.equal(kind);
      expect(error.metaMessages, kind).to.have.length(2);
    }
    expect(new RelayError("slow down", { type: "rate-limited", retryAfter: 5 }).metaMessages).to.have.length(2);
  });

  describe("issue 13, item 4: a suspended member stops a migration of its own membership, without ETH", () => {
    const registry = () => f.record.contracts.CityRegistry.address as Address;
    const migrationCall = (functionName: "cancelMigration" | "approveMigration", member: Address) =>
      encodeFunctionData({ abi: cityRegistryAbi, functionName, args: [member] });
    const pendingTo = async (member: Address) =>
      (await publicClient().readContract({ address: registry(), abi: cityRegistryAbi, functionName: "migrationOf", args: [member] })).to;

    it("relays cancelMigration of the signer's own pending migration while it is suspended; refuses it for another key or with nothing pending", async () => {
      // The registrar-capture path: suspend the victim, start moving its membership to a key the registrar holds.
      const victim = privateKeyToAccount(generatePrivateKey());
      const grabber = privateKeyToAccount(generatePrivateKey());
      await (await f.registry.connect(f.registrar).register(victim.address, 1, 2, Flags.RESIDENT, freshCredential())).wait();
      await (await f.registry.connect(f.registrar).suspend(victim.address, freshCredential())).wait();
      await (await f.registry.connect(f.registrar).startMigration(victim.address, grabber.address)).wait();
      expect(await publicClient().getBalance({ address: victim.address })).to.equal(0n);

      // Someone else's migration is not the signer's to stop through the relayer: an active member is refused by
      // simulation (the registry's rule), and an outsider, not being a member, before anything is simulated.
      const outsider = privateKeyToAccount(generatePrivateKey());
      await expectProblem(await post({ request: await sign(outsider, migrationCall("cancelMigration", victim.address), { to: registry() }) }), 403, "not-a-member");

      const accepted = await postRelay(node.url, { request: await sign(victim, migrationCall("cancelMigration", victim.address), { to: registry() }) });
      expect((await waitForRelay(node.url, accepted.id)).status).to.equal("mined");
      expect(await pendingTo(victim.address)).to.equal("0x0000000000000000000000000000000000000000");
      expect(await publicClient().getBalance({ address: victim.address })).to.equal(0n);

      // Nothing pending any more: a suspended member is not relayed.
      await expectProblem(await post({ request: await sign(victim, migrationCall("cancelMigration", victim.address), { to: registry() }) }), 403, "not-a-member");
    });
  });

  // Last: it spends this IP's allowance of the minute.
  describe("per-IP limits", () => {
    it("POST /v1/relay beyond the per-IP rate: 429 rate-limited with Retry-After, typed in the SDK; reads are not limited", async () => {
      let limited: Response | undefined;
      for (let i = 0; i <= IP_PER_MINUTE && !limited; i++) {
        const response = await post({ hello: "world" });
        if (response.status === 429) limited = response;
        else await response.body?.cancel();
      }
      expect(limited, "never rate-limited").to.not.equal(undefined);
      await expectProblem(limited!, 429, "rate-limited");
      expect(Number(limited!.headers.get("retry-after"))).to.be.within(1, 60);
      try {
        await postRelay(node.url, { request: await sign(members[0], transferData(sink.address, 1n)) });
        expect.fail("relayed past the per-IP limit");
      } catch (error) {
        expect(error).to.be.instanceOf(RelayError);
        expect((error as RelayError).type).to.equal("rate-limited");
        expect((error as RelayError).retryAfter).to.be.greaterThan(0);
      }
      expect((await fetch(`${node.url}/v1/relay`)).status).to.equal(200);
    });
  });
});
