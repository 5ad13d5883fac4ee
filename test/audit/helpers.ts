/**
 * A city with activity in every audited domain, its ledger node anchoring with two witnesses, and a rewriting HTTP
 * proxy in front of the node (the tampered node the audit must catch).
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import hre from "hardhat";
import { MaxUint256, id } from "ethers";
import type { ContractTransactionResponse } from "ethers";
import { createPublicClient, custom, type Hex, type PublicClient } from "viem";
import { getBudgetBallotLog } from "../../sdk/src/actions/budget/getBudgetBallotLog";
import { computeBudgetResult } from "../../sdk/src/actions/budget/computeBudgetResult";
import type { CityAddresses } from "../../sdk/src/deployment/loadDeployment";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { coins, issue, now, advance, register } from "../fixtures";
import { energyFixture, type EnergyCtx } from "../energy/helpers";
import { terms } from "../parking/helpers";
import { populate } from "../governance/helpers";
import { deployGovernance } from "../../scripts/lib/governance";
import { Flags } from "../../scripts/lib/roles";
import { parseNodeConfig } from "../../ledger-node/src/config";
import { startLedgerNode, type LedgerNode } from "../../ledger-node/src/node";
import { chainLogs, startRpcServer, tempDir, writeRecord, type RpcServer } from "../ledger-node/helpers/chain";

const DAY = 24 * 3600;
const HOUR = 3600;

async function send(tx: Promise<ContractTransactionResponse>): Promise<void> {
  await (await tx).wait();
}

/**
 * {energyFixture}'s city (members sol, ray, ann, ben, plain; meters; €1,000 each) with: payments and a redemption; a
 * basic-income program funded and claimed; a parking spot booked twice, one booking cancelled; energy orders placed,
 * one cancelled, a deposit claimed back; a reserve attestation; a referendum and an approval consultation voted and
 * finalized (the referendum in pages); two witnesses set in LedgerAnchor; two participatory-budget rounds voted and
 * tallied (greedy on chain, Equal Shares posted from the SDK), the greedy one funded with a tranche paid and one held
 * for a suspended proposer; the governance contracts (in the record) and a proposal voted in three
 * colleges (after the rest: the governor's deployment and votes come last in the log).
 */
export async function auditedCity(witnesses: string[]): Promise<EnergyCtx & { proposal: bigint }> {
  const f = await energyFixture();
  const { sol, ray, ann, ben, plain } = f;
  // Currency: payments, a redemption, a new attestation.
  await send(f.coin.connect(ann).transfer(ben.address, coins(25)));
  await send(f.coin.connect(ben).transfer(plain.address, coins(7)));
  await send(f.coin.connect(ray).redeem(coins(40)));
  await send(f.coin.connect(f.attester).attestReserve(coins(50_000_000), id("second reserve report")));

  // Basic income for residents of the citizens' college: ann, ben and plain are, two of them claim.
  await issue(f, f.admin, coins(5_000));
  const start = (await now()) + 600;
  await send(f.income.connect(f.council).createProgram(1 << 1, 1, start, DAY, 2, coins(10)));
  await send(f.coin.connect(f.admin).approve(await f.income.getAddress(), MaxUint256));
  await send(f.income.connect(f.admin).fund(1n, coins(100)));
  await advance(700);
  await send(f.income.connect(ann).claim(1n));
  await send(f.income.connect(plain).claim(1n));

  // Parking: a parking owner lists a spot; ann books it, ben books and cancels.
  const owner = f.otherKeys[0];
  await register(f, owner, { flags: Flags.RESIDENT | Flags.PARKING_OWNER, district: 3 });
  await send(f.parking.connect(owner).list(terms()));
  for (const who of [ann, ben]) await send(f.coin.connect(who).approve(f.parking, MaxUint256));
  const hour = Math.floor((await now()) / HOUR) * HOUR + 2 * DAY;
  await send(f.parking.connect(ann).book(1n, hour, hour + 2 * HOUR, coins(100)));
  await send(f.parking.connect(ben).book(1n, hour + 5 * HOUR, hour + 6 * HOUR, coins(100)));
  const bookings = await f.parking.queryFilter(f.parking.filters.BookingCreated(undefined, undefined, ben.address));
  await send(f.parking.connect(ben).cancel(bookings[0].args.bookingId));

  // Energy (slot f.slot is 3 to 4 slots ahead: the gate is open): an ask, two bids, one cancelled, a refund claimed.
  const slot = Math.floor((await now()) / 900) + 4;
  await send(f.market.connect(sol).ask(slot, f.solMeter, 1_500, 80_000));
  await send(f.market.connect(ann).bid(slot, f.annMeter, 1_000, 120_000));
  await send(f.market.connect(ben).bid(slot, f.benMeter, 800, 110_000));
  const annBids = await f.market.queryFilter(f.market.filters.OrderPlaced(undefined, undefined, ann.address));
  await send(f.market.connect(ann).cancel(annBids[0].args.orderId));
  await send(f.market.connect(ann).claimRefund());
  await send(f.market.connect(ray).deposit(3_000));

  // Ballots: an open referendum (ben changes his vote) and an approval consultation, both finalized.
  const opensAt = (await now()) + 100;
  const question = (o: Record<string, unknown>) => ({
    kind: 0, sealed_: false, binding: false, approval: false, optionCount: 0, maxApprovals: 0, collegeMask: 0b1111, flagBit: 0,
    thresholdBps: 0, opensAt, closesAt: opensAt + 7 * DAY, revealWindow: 0, districts: [], questionHash: id("audit question"), ...o,
  });
  await send(f.ballots.connect(f.orchestrator).createBallot(question({})));
  await send(f.ballots.connect(f.orchestrator).createBallot(question({ kind: 1, approval: true, optionCount: 4, maxApprovals: 2 })));
  await advance(200);
  await send(f.ballots.connect(ann).vote(1n, 0n));
  await send(f.ballots.connect(ben).vote(1n, 1n));
  await send(f.ballots.connect(sol).vote(1n, 2n));
  await send(f.ballots.connect(ben).vote(1n, 0n));
  await send(f.ballots.connect(ann).vote(2n, 0b0011n));
  await send(f.ballots.connect(ray).vote(2n, 0b1010n));
  await advance(8 * DAY);
  // The referendum is finalized in pages (one district, then the rest with the totals), the consultation at once.
  await send(f.ballots.finalizePage(1n, 1));
  await send(f.ballots.finalize(1n));
  await send(f.ballots.finalize(2n));

  await send(f.ledgerAnchor.connect(f.council).setWitnesses(witnesses, witnesses.length));

  // Participatory budget: two rounds on the same projects and ballots, one greedy (tallied on chain), one Equal Shares
  // (computed with the SDK from the ballot log and posted).
  const rounds: bigint[] = [];
  const t0 = await now();
  const round = (winnerRule: number) => ({
    snapshot: t0 + DAY, proposalsEnd: t0 + DAY, supportEnd: t0 + 2 * DAY, reviewEnd: t0 + 3 * DAY, voteEnd: t0 + 10 * DAY,
    supportThreshold: 0, ballotRule: 0, maxApprovals: 0, minSpendBps: 0, collegeMask: 0xffff, winnerRule,
    cityAmount: coins(100_000), districts: [1, 2], districtAmounts: [coins(50_000), coins(30_000)],
  });
  for (const rule of [0, 1]) {
    await send(f.budget.connect(f.orchestrator).createRound(round(rule)));
    const roundId = await f.budget.roundCount();
    rounds.push(roundId);
    for (const [envelope, cost] of [[0, 60_000], [0, 50_000], [0, 40_000], [1, 30_000], [1, 25_000]] as const) {
      await send(f.budget.connect(ann).submit(roundId, envelope, coins(cost), id(`project ${cost}`), `ipfs://project-${cost}`));
    }
  }
  await advance(2 * DAY + 10);
  for (const roundId of rounds) for (let p = 1n; p <= 5n; p++) await send(f.budget.connect(f.orchestrator).review(roundId, p, true, id("feasible")));
  await advance(DAY);
  const ballots = [[ann, [0, 3]], [ben, [1, 2, 4]], [plain, [1, 3]], [sol, [0, 2]], [ben, [0, 4]]] as const;
  for (const roundId of rounds) {
    for (const [voter, picks] of ballots) await send(f.budget.connect(voter).vote(roundId, picks.reduce((a, i) => a | (1n << BigInt(i)), 0n)));
  }
  await advance(7 * DAY + 10);
  await send(f.budget.tally(rounds[0]));
  const sdk = { publicClient: createPublicClient({ transport: custom(hre.network.provider) }) as PublicClient, addresses: { participatoryBudget: (await f.budget.getAddress()) as Hex } as CityAddresses };
  const log = await getBudgetBallotLog(sdk, { roundId: rounds[1] });
  await send(f.budget.connect(f.orchestrator).postResult(rounds[1], computeBudgetResult(log, 1).winners, log.head));
  // The greedy round is funded from the treasury (the admin, the community fund); one of ann's projects gets a tranche
  // paid to her, then one held for her while she is suspended (she is reinstated and has not withdrawn it yet).
  await issue(f, f.admin, coins(200_000));
  await send(f.coin.connect(f.admin).approve(await f.budget.getAddress(), MaxUint256));
  await send(f.budget.connect(f.orchestrator).fund(rounds[0]));
  const [funded] = await f.budget.queryFilter(f.budget.filters.ProjectFunded(rounds[0]));
  const projectId = funded.args.projectId;
  await send(f.budget.connect(f.orchestrator).release(rounds[0], projectId, coins(1_000), id("milestone 1")));
  await send(f.registry.connect(f.registrar).suspend(ann.address, id("audit: check")));
  await send(f.budget.connect(f.orchestrator).release(rounds[0], projectId, coins(2_000), id("milestone 2")));
  await send(f.registry.connect(f.registrar).reinstate(ann.address));

  // Governance: members in the other colleges, the governor, one proposal voted in three colleges.
  const colleges = await populate(f, [2, 0, 1, 1]);
  const gov = await deployGovernance(hre, f, f.admin, { votingDelay: 60, votingPeriod: 3_600, timelockDelay: 600 });
  const description = "Set the redemption fee to 50 bps";
  const calldata = f.coin.interface.encodeFunctionData("setRedemptionFee", [50]);
  await send(gov.governor.connect(f.orchestrator).propose([await f.coin.getAddress()], [0n], [calldata], description));
  const proposal = await gov.governor.hashProposal([await f.coin.getAddress()], [0n], [calldata], id(description));
  await advance(61);
  for (const [voter, support] of [[ann, 1], [ben, 0], [sol, 1], [colleges[0][0], 1], [colleges[2][0], 2]] as const) {
    await send(gov.governor.connect(voter).castVote(proposal, support));
  }
  await advance(3_601);
  return { ...f, record: { ...f.record, contracts: { ...f.record.contracts, ...gov.record } } as EnergyCtx["record"], proposal };
}

export interface AuditedNode {
  city: EnergyCtx & { proposal: bigint };
  rpc: RpcServer;
  node: LedgerNode;
  dir: string;
  deploymentFile: string;
  /** The node's checkpoint signing key (the test forges notes with it, as a dishonest operator would). */
  nodeKey: Uint8Array;
  close(): Promise<void>;
}

export async function waitFor(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error("timed out waiting for a condition");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const quiet = { error: () => {}, warn: () => {}, info: () => {} };

/**
 * {auditedCity} followed by a ledger node that anchored its log twice with both witnesses, caught up with the chain
 * (the Anchored events included) and left idle.
 */
export async function startAuditedNode(): Promise<AuditedNode> {
  const witnessKeys = [generatePrivateKey(), generatePrivateKey()];
  const city = await auditedCity(witnessKeys.map((k) => privateKeyToAccount(k).address));
  const rpc = await startRpcServer(hre);
  const dir = tempDir("audit");
  const deploymentFile = writeRecord(dir, city.record);
  const write = (name: string, hex: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, hex.replace(/^0x/, ""));
    return file;
  };
  const nodeKey = new Uint8Array(32).fill(7);
  write("node.key", Buffer.from(nodeKey).toString("hex"));
  const accounts = hre.network.config.accounts as { mnemonic: string; path: string };
  const submitter = hre.ethers.HDNodeWallet.fromPhrase(accounts.mnemonic, undefined, `${accounts.path}/19`).privateKey;
  const node = await startLedgerNode(
    parseNodeConfig([], {
      CITY_RPC_URL: rpc.url,
      CITY_DEPLOYMENT: deploymentFile,
      CITY_DATA_DIR: dir,
      CITY_NODE_PORT: "0",
      CITY_POLL_MS: "50",
      CITY_ANCHOR_KEY_FILE: write("anchor.key", submitter),
      CITY_LOCAL_WITNESS_KEY_FILES: witnessKeys.map((k, i) => write(`witness-${i}.key`, k)).join(","),
      CITY_ANCHOR_EVERY_ENTRIES: "100000000",
      CITY_ANCHOR_EVERY_SECONDS: "86400",
    }),
    { logger: quiet },
  );
  const chainSize = async () => (await chainLogs(hre, city.record)).length;
  const caughtUp = async () => {
    const size = await chainSize();
    return node.store.size === size && node.projections.queries?.seq() === size;
  };
  await waitFor(caughtUp);
  for (let i = 0; i < 2; i++) {
    const before = node.store.size;
    await node.anchorer!.anchorOnce();
    await waitFor(async () => node.store.size > before && (await caughtUp()));
  }
  return {
    city,
    rpc,
    node,
    dir,
    deploymentFile,
    nodeKey,
    close: async () => {
      await node.close();
      await rpc.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Rewrites one answer: the body (and content type) the client gets for `path` (with its query), or undefined to pass it on. */
export type Rewrite = (path: string, body: string) => string | undefined;

export interface RewritingProxy {
  url: string;
  rewrite: Rewrite | undefined;
  /** Rewrites a binary answer (a tile, an entry bundle); undefined passes it through. */
  rewriteBytes?: (url: string, body: Buffer) => Buffer | undefined;
  close(): Promise<void>;
}

/** An HTTP proxy in front of `upstream` that passes every answer through `proxy.rewrite` (settable per test). */
export async function startRewritingProxy(upstream: string): Promise<RewritingProxy> {
  const target = new URL(upstream);
  const proxy: RewritingProxy = { url: "", rewrite: undefined, close: async () => {} };
  const server = http.createServer((req, res) => {
    const forwarded = http.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { accept: req.headers.accept ?? "*/*" } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (c: Buffer) => chunks.push(c));
        answer.on("end", () => {
          const bytes = Buffer.concat(chunks);
          const binary = answer.headers["content-type"] === "application/octet-stream";
          const ok = answer.statusCode === 200;
          const rewritten = !ok ? undefined : binary ? proxy.rewriteBytes?.(req.url ?? "", bytes) : proxy.rewrite?.(req.url ?? "", bytes.toString("utf8"));
          const headers = { ...answer.headers };
          delete headers["content-length"];
          delete headers["transfer-encoding"];
          delete headers.connection;
          delete headers["keep-alive"];
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(rewritten ?? bytes);
        });
      },
    );
    forwarded.on("error", (error) => {
      res.writeHead(502);
      res.end(String(error));
    });
    forwarded.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return proxy;
}

export type { Hex };
