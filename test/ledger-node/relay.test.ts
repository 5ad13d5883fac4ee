import { expect } from "chai";
import hre from "hardhat";
import { MaxUint256, id } from "ethers";
import {
  encodeFunctionData,
  type Address,
  type Hex,
  type PrivateKeyAccount,
} from "viem";
import { mainnet } from "viem/chains";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { ConfigError, parseNodeConfig } from "../../ledger-node/src/config";
import { poolAccounts } from "../../ledger-node/src/relay/pool";
import type { LedgerNode } from "../../ledger-node/src/node";
import { MEMBER_ACTIONS, unknownActions } from "../../ledger-node/src/relay/allowlist";
import {
  RelayError,
  basicIncomeAbi,
  cityCoinAbi,
  cityForwarderAbi,
  cityRegistryAbi,
  forwardRequestTypes,
  getRelayStatus,
  isCityContractError,
  signForwardRequest,
  toBallotParams,
  waitForRelay,
  type CityClient,
  type ForwardRequestBody,
} from "../../sdk/src";
import { Flags, Roles } from "../../scripts/lib/roles";
import { advance, cityFixture, coins, freshCredential, issue, now, type CityFixture } from "../fixtures";
import { expectProblem, startRelayHarness, transferData, type RelayHarness } from "./helpers/relay";

const DAY = 86_400;
const QUOTA = 15;
const POOL = 4;

/**
 * The relayer end to end: a ledger node with a relayer key over the Hardhat network's JSON-RPC server, members who
 * hold coins but not one wei of ETH, and the SDK's gasless writes. Then every abuse the relayer must refuse before
 * spending gas, and a burst of 200 requests from 20 members in random order — all through a pool of 4 relayer keys.
 */
describe("Relayer (POST /v1/relay)", function () {
  this.timeout(180_000);
  let f: CityFixture;
  let relay: RelayHarness;
  let node: LedgerNode;
  let relayerKey: Hex;
  let members: PrivateKeyAccount[];
  let sink: PrivateKeyAccount;
  let programId: bigint;

  const publicClient = () => relay.publicClient();
  const cityOf = (account: PrivateKeyAccount): CityClient => relay.cityOf(account);
  const post = (body: unknown) => relay.post(body);
  const ethOf = (a: Address) => publicClient().getBalance({ address: a });

  before(async () => {
    f = await cityFixture();
    // One IP (this test) sends hundreds of requests a minute: the per-IP limit is tested in relay-limits.test.ts.
    relay = await startRelayHarness(
      f,
      21,
      { CITY_RELAY_REQUESTS_PER_DAY: String(QUOTA), CITY_RELAY_IP_PER_MINUTE: "100000", CITY_RELAY_KEYS: String(POOL) },
      "relay",
    );
    ({ relayerKey, members, sink } = relay);
    node = relay.testNode.node;
    // A basic-income program for resident CITIZENS: daily periods of €10 from 10 minutes ahead.
    const start = (await now()) + 600;
    await (await f.income.connect(f.council).createProgram(1 << 1, 1, start, DAY, 3, coins(10))).wait();
    programId = await f.income.programCount();
    await issue(f, f.admin, coins(10_000));
    await (await f.coin.connect(f.admin).approve(await f.income.getAddress(), MaxUint256)).wait();
    await (await f.income.connect(f.admin).fund(programId, coins(1_000))).wait();
    await advance(700);
  });

  after(async () => {
    await relay?.close();
  });

  it("is configured by --relay-* flags or CITY_RELAY_* variables, with clear errors", () => {
    const env = { CITY_RELAY_KEY_FILE: "relayer.key" };
    const relay = parseNodeConfig(["--relay-gas-per-day", "500000"], env).relay!;
    expect(relay).to.deep.include({ requestsPerDay: 200, gasPerDay: 500_000n, maxGasPerRequest: 1_000_000n, refusalsPerDay: 20, ipRequestsPerMinute: 120 });
    expect(parseNodeConfig([], env)).to.include({ streamsPerIp: 10, trustProxy: undefined });
    expect(parseNodeConfig(["--relay-refusals-per-day", "5", "--sse-streams-per-ip", "2", "--trust-proxy", "10.0.0.1"], env)).to.deep.include({ streamsPerIp: 2, trustProxy: "10.0.0.1" });
    expect(() => parseNodeConfig([], { ...env, CITY_RELAY_IP_PER_MINUTE: "0" })).to.throw(ConfigError, /--relay-ip-per-minute/);
    expect(() => parseNodeConfig(["--relay-refusals-per-day", "none"], env)).to.throw(ConfigError, /--relay-refusals-per-day/);
    expect(parseNodeConfig([], {}).relay).to.equal(undefined);
    expect(() => parseNodeConfig([], { ...env, CITY_RELAY_REQUESTS_PER_DAY: "0" })).to.throw(ConfigError, /--relay-requests-per-day/);
    expect(() => parseNodeConfig(["--relay-max-gas", "lots"], env)).to.throw(ConfigError, /--relay-max-gas/);
    // The pool: 4 keys by default, refilled from key #0 below 0.1 ether up to 1 ether, unless told otherwise.
    expect(relay).to.deep.include({ poolSize: 4, fundingKeyFile: undefined, refillBelow: 10n ** 17n, refillTo: 10n ** 18n });
    const pool = parseNodeConfig(["--relay-keys", "1", "--relay-refill-below", "0.25", "--relay-refill-to", "2.5"], { ...env, CITY_RELAY_FUNDING_KEY_FILE: "fund.key" }).relay!;
    expect(pool).to.deep.include({ poolSize: 1, refillBelow: 25n * 10n ** 16n, refillTo: 25n * 10n ** 17n });
    expect(pool.fundingKeyFile).to.match(/fund\.key$/);
    expect(() => parseNodeConfig(["--relay-keys", "0"], env)).to.throw(ConfigError, /--relay-keys must be a whole number from 1 to 64/);
    expect(() => parseNodeConfig(["--relay-refill-to", "0.1"], env)).to.throw(ConfigError, /--relay-refill-to \(0\.1\) must be above --relay-refill-below \(0\.1\)/);
    expect(() => parseNodeConfig(["--relay-refill-below", "1e-3"], env)).to.throw(ConfigError, /--relay-refill-below must be an amount of ether/);
  });

  it("relays only member actions on city contracts, and every listed action exists in its contract's ABI", async () => {
    expect(unknownActions(f.record)).to.deep.equal([]);
    const info = (await (await fetch(`${node.url}/v1/relay`)).json()) as { relayer: string; quota: { requestsPerDay: number }; contracts: { contract: string; functions: string[] }[] };
    expect(info.relayer).to.equal(privateKeyToAccount(relayerKey).address);
    // The pool: the relay key first, then the keys derived from it, all distinct; the relay key refills them.
    const pool = info as unknown as { relayers: Address[]; funder: Address };
    expect(pool.relayers).to.have.length(POOL).and.to.deep.equal(poolAccounts(relayerKey, POOL).map((a) => a.address));
    expect(new Set(pool.relayers).size).to.equal(POOL);
    expect(pool.funder).to.equal(info.relayer);
    expect(info.quota.requestsPerDay).to.equal(QUOTA);
    const coin = info.contracts.find((c) => c.contract === "CityCoin")!;
    expect(coin.functions).to.deep.equal([...MEMBER_ACTIONS.CityCoin].sort());
    // Of the registry, only a member's say over a migration of its own membership: never registering, suspending …
    const registry = info.contracts.find((c) => c.contract === "CityRegistry")!;
    expect(registry.functions).to.deep.equal(["approveMigration", "cancelMigration"]);
  });

  describe("members with zero ETH", () => {
    it("pay a merchant: the transfer is relayed, mined, and the member still holds no ETH", async () => {
      const [alice, shop] = members;
      expect(await ethOf(alice.address)).to.equal(0n);
      const city = cityOf(alice);
      const hash = await city.currency.transfer({ to: shop.address, amount: coins(12), gasless: true, wait: true });
      const receipt = await publicClient().getTransactionReceipt({ hash });
      expect(receipt.status).to.equal("success");
      expect(relay.relayers.map((a) => a.toLowerCase())).to.include(receipt.from.toLowerCase());
      expect(await f.coin.balanceOf(alice.address)).to.equal(coins(88));
      expect(await f.coin.balanceOf(shop.address)).to.equal(coins(112));
      expect(await ethOf(alice.address)).to.equal(0n);
    });

    it("claim the basic income", async () => {
      const bob = members[2];
      const before = await f.coin.balanceOf(bob.address);
      await cityOf(bob).income.claim({ programId, gasless: true, wait: true });
      expect(await f.coin.balanceOf(bob.address)).to.equal(before + coins(10));
      expect(await f.income.hasClaimed(programId, await f.income.currentPeriod(programId), bob.address)).to.equal(true);
    });

    it("let a merchant pull a payment with a relayed permit, the pull itself relayed too", async () => {
      const [carol, shop] = [members[3], members[1]];
      await cityOf(carol).currency.relayPermit({ spender: shop.address, value: coins(5), wait: true });
      expect(await f.coin.allowance(carol.address, shop.address)).to.equal(coins(5));
      await cityOf(shop).currency.transferFrom({ from: carol.address, to: shop.address, amount: coins(5), gasless: true, wait: true });
      expect(await f.coin.balanceOf(carol.address)).to.equal(coins(95));
      expect(await ethOf(shop.address)).to.equal(0n);
    });

    it("book a parking spot", async () => {
      const [owner, driver] = [members[4], members[5]];
      await (await f.registry.connect(f.registrar).update(owner.address, 1, 2, Flags.RESIDENT | Flags.PARKING_OWNER, freshCredential())).wait();
      const ownerCity = cityOf(owner);
      await ownerCity.parking.list({
        terms: { district: 2, geohash: "0x7370757a7362636400000000", descriptionHash: id("relay test spot") as Hex, hourlyRate: coins(2), presetId: 1 },
        gasless: true,
        wait: true,
      });
      const spotId = await f.parking.spotCount();
      const driverCity = cityOf(driver);
      await driverCity.currency.approve({ spender: f.record.contracts.ParkingExchange.address as Address, amount: coins(50), gasless: true, wait: true });
      const start = Math.ceil(((await now()) + 2 * DAY) / 3600) * 3600;
      await driverCity.parking.book({ spotId, start, end: start + 2 * 3600, gasless: true, wait: true });
      expect(await f.coin.balanceOf(driver.address)).to.equal(coins(96));
      expect(await ethOf(driver.address)).to.equal(0n);
      expect(await ethOf(owner.address)).to.equal(0n);
    });

    it("bid for energy in a 15-minute slot", async () => {
      const buyer = members[11];
      const [operator] = f.people;
      await (await f.authority.connect(f.admin).grantRole(Roles.METER_OPERATOR, operator.address, 0)).wait();
      const meter = privateKeyToAccount(generatePrivateKey()).address;
      await (await f.meters.connect(operator).register(meter, buyer.address, 2 /* consumption */, 2)).wait();
      const city = cityOf(buyer);
      await city.currency.relayPermit({ spender: f.record.contracts.EnergyMarket.address as Address, value: coins(5), wait: true });
      const slot = Math.floor((await now()) / 900) + 4;
      await city.energy.bid({ slot, meter, wh: 2_000n, maxPrice: 150_000, gasless: true, wait: true });
      const escrow = (2_000n * 150_000n + 999n) / 1000n; // ceil(wh × maxPrice / 1000)
      expect(await f.coin.balanceOf(buyer.address)).to.equal(coins(100) - escrow);
      expect(await f.coin.balanceOf(f.record.contracts.EnergyMarket.address)).to.equal(escrow);
      expect(await ethOf(buyer.address)).to.equal(0n);
    });

    it("vote in a referendum", async () => {
      const voter = members[12];
      const opensAt = (await now()) + 5;
      await (await f.ballots.connect(f.orchestrator).createBallot({ ...toBallotParams({ kind: "referendum", opensAt, closesAt: opensAt + DAY, questionHash: id("relay referendum") as Hex }), districts: [] })).wait();
      await advance(10);
      const ballotId = await f.ballots.ballotCount();
      await cityOf(voter).ballots.vote({ ballotId, choice: 1n, gasless: true, wait: true });
      expect((await cityOf(voter).ballots.getResults({ ballotId })).counts).to.deep.equal([0n, 1n, 0n]);
      expect(await ethOf(voter.address)).to.equal(0n);
    });

    it("open a petition as a member (CityBallots.openPetition)", async () => {
      const member = members[13];
      const opensAt = (await now()) + 5;
      const params = { kind: "petition", thresholdBps: 500, opensAt, closesAt: opensAt + DAY, questionHash: id("relay petition") as Hex } as const;
      await cityOf(member).ballots.openPetition({ params, proposalId: 7n, gasless: true, wait: true });
      const petitionId = await f.ballots.ballotCount();
      expect(await f.ballots.memberPetitionOf(member.address)).to.equal(petitionId);
      expect(await cityOf(member).ballots.getPetitionOutcome({ petitionId })).to.deep.equal({ reached: false, proposalId: 7n });
      expect(await ethOf(member.address)).to.equal(0n);
    });

    it("reports the city's gas cost per day in /metrics", async () => {
      const text = await (await fetch(`${node.url}/metrics`)).text();
      const day = new Date().toISOString().slice(0, 10);
      const cost = text.match(new RegExp(`relay_cost_wei\\{day="${day}"\\} (\\d+)`));
      expect(cost, text).to.not.equal(null);
      expect(BigInt(cost![1])).to.be.greaterThan(0n);
      expect(text).to.match(/relay_transactions_total\{outcome="mined"\} [1-9]/);
    });
  });

  describe("abuse: refused before any gas is spent", () => {
    let pool: Awaited<ReturnType<RelayHarness["poolSnapshot"]>>;
    beforeEach(async () => {
      pool = await relay.poolSnapshot();
    });
    afterEach(async () => {
      // Nothing was sent: no key of the pool moved, balance or nonce.
      expect(await relay.poolSnapshot()).to.deep.equal(pool);
    });

    const sign = (account: PrivateKeyAccount, overrides: { to?: Address; data?: Hex; deadline?: number; nonce?: bigint } = {}) =>
      signForwardRequest(cityOf(account), {
        to: overrides.to ?? (f.record.contracts.CityCoin.address as Address),
        data: overrides.data ?? transferData(sink.address, 1n),
        gas: 120_000n,
        deadline: overrides.deadline,
        nonce: overrides.nonce,
      });

    it("a replayed request: 409 replayed, naming the first one", async () => {
      const member = members[6];
      const body = await sign(member);
      const first = await post({ chainId: 31337, request: body });
      expect(first.status).to.equal(202);
      const { id: requestId } = (await first.json()) as { id: Hex };
      await waitForRelay(node.url, requestId);
      pool = await relay.poolSnapshot();
      const again = await expectProblem(await post({ chainId: 31337, request: body }), 409, "replayed");
      expect(again.requestId).to.equal(requestId);
      // The same request re-encoded (hex case) is the same digest: still a replay.
      const upper = await expectProblem(await post({ request: { ...body, data: body.data.toUpperCase().replace("0X", "0x") } }), 409, "replayed");
      expect(upper.requestId).to.equal(requestId);
    });

    it("an expired request: 400 expired", async () => {
      const body = await sign(members[6], { deadline: (await now()) - 1 });
      await expectProblem(await post({ request: body }), 400, "expired");
    });

    it("a foreign chain id: 400 wrong-chain when declared, bad-signature when only signed for it", async () => {
      await expectProblem(await post({ chainId: 1, request: await sign(members[6]) }), 400, "wrong-chain");
      // Signed for mainnet's chain id: the digest the relayer computes (chain 31337) does not match.
      const account = members[6];
      const body = await sign(account);
      const [, name, version, , verifyingContract] = await publicClient().readContract({
        address: f.record.contracts.CityForwarder.address as Address,
        abi: cityForwarderAbi,
        functionName: "eip712Domain",
      });
      const foreign = await account.signTypedData({
        domain: { name, version, chainId: mainnet.id, verifyingContract },
        types: forwardRequestTypes,
        primaryType: "ForwardRequest",
        message: { from: body.from, to: body.to, value: 0n, gas: BigInt(body.gas), nonce: BigInt(body.nonce), deadline: body.deadline, data: body.data },
      });
      await expectProblem(await post({ request: { ...body, signature: foreign } }), 400, "bad-signature");
    });

    it("a request signed by someone else: 400 bad-signature", async () => {
      const body = await sign(members[7]);
      const forged: ForwardRequestBody = { ...body, from: members[6].address };
      await expectProblem(await post({ request: forged }), 400, "bad-signature");
    });

    it("a non-member, and a suspended member: 403 not-a-member", async () => {
      const stranger = privateKeyToAccount(generatePrivateKey());
      await expectProblem(await post({ request: await sign(stranger) }), 403, "not-a-member");
      const suspended = members[8];
      await (await f.registry.connect(f.registrar).suspend(suspended.address, id("review"))).wait();
      await expectProblem(await post({ request: await sign(suspended) }), 403, "not-a-member");
      await (await f.registry.connect(f.registrar).reinstate(suspended.address)).wait();
    });

    it("a target off the allow-list: 403 not-allowed (a non-city contract, an admin function)", async () => {
      await expectProblem(await post({ request: await sign(members[6], { to: sink.address }) }), 403, "not-allowed");
      const register = encodeFunctionData({
        abi: cityRegistryAbi,
        functionName: "register",
        args: [sink.address, 1, 1, 1n, id("x") as Hex],
      });
      await expectProblem(
        await post({ request: await sign(members[6], { to: f.record.contracts.CityRegistry.address as Address, data: register }) }),
        403,
        "not-allowed",
      );
      const issueCall = encodeFunctionData({ abi: cityCoinAbi, functionName: "issue", args: [sink.address, 1n, id("y") as Hex] });
      await expectProblem(await post({ request: await sign(members[6], { data: issueCall }) }), 403, "not-allowed");
    });

    it("a call that would revert: 422 simulation-reverted with the decoded custom error", async () => {
      const member = members[9];
      const body = await sign(member, { data: transferData(sink.address, coins(1_000_000)) });
      const problem = await expectProblem(await post({ request: body }), 422, "simulation-reverted");
      expect(problem.revert).to.deep.include({ name: "ERC20InsufficientBalance" });
      // Refused, so the member may send its nonce again with a valid call.
      const claim = encodeFunctionData({ abi: basicIncomeAbi, functionName: "claim", args: [999n] });
      const other = await expectProblem(
        await post({ request: await sign(member, { to: f.record.contracts.BasicIncome.address as Address, data: claim }) }),
        422,
        "simulation-reverted",
      );
      expect((other.revert as { name: string }).name).to.match(/^BasicIncome/);
      // Each refusal is counted once in /metrics.
      const metrics = await (await fetch(`${node.url}/metrics`)).text();
      expect(metrics).to.match(/relay_requests_rejected_total\{type="simulation-reverted"\} 2\n/);
      // The SDK surfaces a revert before relaying, decoded, from its own simulation.
      try {
        await cityOf(member).currency.transfer({ to: sink.address, amount: coins(1_000_000), gasless: true });
        expect.fail("relayed a transfer beyond the balance");
      } catch (error) {
        expect(isCityContractError(error, "ERC20InsufficientBalance"), String(error)).to.equal(true);
      }
    });

    it("malformed, oversized and unknown-field bodies: 4xx problems", async () => {
      await expectProblem(await post({ request: { from: "0x1" } }), 400, "invalid-parameter");
      await expectProblem(await post({ hello: "world" }), 400, "invalid-parameter");
      const body = await sign(members[6]);
      await expectProblem(await post({ request: { ...body, value: "-1" } }), 400, "invalid-parameter");
      await expectProblem(await post({ request: { ...body, value: "5" } }), 400, "invalid-request");
      await expectProblem(await post({ request: { ...body, gas: "50000000" } }), 400, "invalid-request");
      await expectProblem(await post({ request: { ...body, data: `0x${"ab".repeat(70_000)}` } }), 413, "payload-too-large");
      const notJson = await fetch(`${node.url}/v1/relay`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
      await expectProblem(notJson, 400, "invalid-request");
      await expectProblem(await fetch(`${node.url}/v1/relay/0x1234`), 400, "invalid-parameter");
      await expectProblem(await fetch(`${node.url}/v1/relay/0x${"ab".repeat(32)}`), 404, "not-found");
    });

    it("quota exhaustion: 429 quota-exceeded with Retry-After, the SDK error saying so", async () => {
      const member = members[10];
      const city = cityOf(member);
      for (let i = 0; i < QUOTA; i++) await city.currency.transfer({ to: sink.address, amount: 1n, gasless: true, wait: true });
      pool = await relay.poolSnapshot();
      const response = await post({ request: await sign(member) });
      await expectProblem(response, 429, "quota-exceeded");
      expect(Number(response.headers.get("retry-after"))).to.be.within(1, DAY);
      const usage = (await (await fetch(`${node.url}/v1/relay/quota/${member.address}`)).json()) as { requests: number };
      expect(usage.requests).to.equal(QUOTA);
      try {
        await city.currency.transfer({ to: sink.address, amount: 1n, gasless: true });
        expect.fail("relayed beyond the quota");
      } catch (error) {
        expect(error).to.be.instanceOf(RelayError);
        expect((error as RelayError).type).to.equal("quota-exceeded");
        expect((error as RelayError).retryAfter).to.be.greaterThan(0);
      }
    });
  });

  // After the member flows and the abuse cases (mocha runs a suite's own tests before its nested suites).
  describe("under load and across restarts", () => {
    it("200 concurrent requests from 20 members, in random order: all accounted, none lost, none sent twice, spread over the pool, each member's in its nonce order", async () => {
      const senders = members.slice(11, 21).concat(members.slice(0, 10)).slice(0, 20);
      const client = publicClient();
      const poolBefore = await relay.poolSnapshot();
      const sinkBefore = await f.coin.balanceOf(sink.address);
      const usageBefore = new Map<Address, number>();
      const bodies: ForwardRequestBody[] = [];
      for (const member of senders) {
        usageBefore.set(member.address, ((await (await fetch(`${node.url}/v1/relay/quota/${member.address}`)).json()) as { requests: number }).requests);
        const first = await client.readContract({
          address: f.record.contracts.CityForwarder.address as Address,
          abi: cityForwarderAbi,
          functionName: "nonces",
          args: [member.address],
        });
        for (let k = 0n; k < 10n; k++) {
          bodies.push(
            await signForwardRequest(cityOf(member), {
              to: f.record.contracts.CityCoin.address as Address,
              data: transferData(sink.address, 1n),
              gas: 120_000n,
              nonce: first + k,
            }),
          );
        }
      }
      // Shuffle: a member's later nonces often arrive before its earlier ones.
      for (let i = bodies.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [bodies[i], bodies[j]] = [bodies[j], bodies[i]];
      }
      // Each sender has room for its 10 in today's quota (the tests above used at most 5 of anyone's 15).
      for (const member of senders) expect(usageBefore.get(member.address)! + 10).to.be.at.most(QUOTA);

      const answers = await Promise.all(bodies.map((request) => post({ chainId: 31337, request })));
      const records = await Promise.all(answers.map(async (r) => ({ status: r.status, body: (await r.json()) as { id: Hex; status: string } })));
      expect(records.filter((r) => r.status !== 202).map((r) => r.body)).to.deep.equal([]);
      expect(new Set(records.map((r) => r.body.id)).size).to.equal(200);

      const finals = await Promise.all(records.map((r) => waitForRelay(node.url, r.body.id, { timeoutMs: 120_000 })));
      expect(finals.every((r) => r.status === "mined")).to.equal(true);
      const hashes = new Set(finals.map((r) => r.txHashes[r.txHashes.length - 1]));
      expect(hashes.size).to.equal(200);
      // Exactly 200 relayer transactions, each moving one unit: none lost, none sent twice.
      const poolAfter = await relay.poolSnapshot();
      const sentBy = poolAfter.map((k, i) => k.nonce - poolBefore[i].nonce);
      expect(sentBy.reduce((a, b) => a + b, 0)).to.equal(200);
      // Every key of the pool sent a share, and the records name the key whose nonce they used.
      expect(sentBy.every((n) => n > 0), `sent per key: ${sentBy.join(", ")}`).to.equal(true);
      for (const [i, key] of relay.relayers.entries()) expect(finals.filter((r) => r.relayer === key)).to.have.length(sentBy[i]);
      // Each member's transfers were mined in the order of its forwarder nonces (none reverted: a later nonce mined
      // first would have). Positions in the chain: (block, index in block).
      const receipts = await Promise.all(finals.map((r) => client.getTransactionReceipt({ hash: r.txHashes[r.txHashes.length - 1] })));
      const position = new Map(receipts.map((r) => [r.transactionHash, r.blockNumber * 10_000n + BigInt(r.transactionIndex)]));
      for (const member of senders) {
        const mine = finals.filter((r) => r.member === member.address).sort((a, b) => Number(BigInt(a.nonce) - BigInt(b.nonce)));
        expect(mine).to.have.length(10);
        const order = mine.map((r) => position.get(r.txHashes[r.txHashes.length - 1])!);
        expect(order, member.address).to.deep.equal([...order].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      }
      expect(await f.coin.balanceOf(sink.address)).to.equal(sinkBefore + 200n);
      for (const member of senders) {
        const usage = (await (await fetch(`${node.url}/v1/relay/quota/${member.address}`)).json()) as { requests: number };
        expect(usage.requests).to.equal(usageBefore.get(member.address)! + 10);
      }
    });

    it("GET /v1/relay/{id}?wait= answers when the request's status changes, or after the wait; a bad wait is a 400 problem", async () => {
      const member = members[20];
      const body = await signForwardRequest(cityOf(member), { to: f.record.contracts.CityCoin.address as Address, data: transferData(sink.address, 3n), gas: 120_000n });
      const url = (id: Hex, wait: string) => `${node.url}/v1/relay/${id}?wait=${wait}`;
      // Blocks are mined by hand here: the transaction waits in the mempool until then.
      await hre.network.provider.send("evm_setAutomine", [false]);
      try {
        const record = (await (await post({ request: body })).json()) as { id: Hex; status: string };
        expect(record.status).to.equal("submitted");
        // Nothing changes for a second: the long-poll answers at its timeout, with the status unchanged.
        let t0 = performance.now();
        const unchanged = (await (await fetch(url(record.id, "1"))).json()) as { status: string };
        expect(unchanged.status).to.equal("submitted");
        expect(performance.now() - t0).to.be.within(950, 5_000);
        // A long wait, answered as soon as the block with the transaction is mined and its receipt seen.
        let answered = false;
        t0 = performance.now();
        const pending = fetch(url(record.id, "30")).then(async (r) => {
          answered = true;
          return { status: r.status, body: (await r.json()) as { status: string; blockNumber?: string } };
        });
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(answered).to.equal(false);
        await hre.network.provider.send("evm_mine");
        const mined = await pending;
        expect(mined.status).to.equal(200);
        expect(mined.body.status).to.equal("mined");
        expect(mined.body.blockNumber).to.equal(String(await publicClient().getBlockNumber()));
        expect(performance.now() - t0).to.be.below(10_000);
        // Final: answered at once however long the wait.
        t0 = performance.now();
        expect(((await (await fetch(url(record.id, "30"))).json()) as { status: string }).status).to.equal("mined");
        expect(performance.now() - t0).to.be.below(1_000);
        for (const wait of ["31", "-1", "soon", "1.5"]) await expectProblem(await fetch(url(record.id, wait)), 400, "invalid-parameter");
      } finally {
        await hre.network.provider.send("evm_setAutomine", [true]);
      }
    });

    it("keeps its records across a restart: the status is still served and a replay still refused", async () => {
      const member = members[20];
      const body = await signForwardRequest(cityOf(member), { to: f.record.contracts.CityCoin.address as Address, data: transferData(sink.address, 2n), gas: 120_000n });
      const record = (await (await post({ request: body })).json()) as { id: Hex };
      await waitForRelay(node.url, record.id);
      node = await relay.testNode.restart();
      expect((await getRelayStatus(node.url, record.id)).status).to.equal("mined");
      await expectProblem(await post({ request: body }), 409, "replayed");
    });
  });
});
