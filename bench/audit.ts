/**
 * `npm run bench:audit`: the time of a full `cityledger audit` of a city whose log holds 100,000 events, against the
 * baseline measured in the same run: the bare `eth_getLogs` download of the same range (same contracts, same block
 * ranges per request, nothing done with the answers). Writes `bench/results/audit.json`.
 *
 * "Full audit" = what `cityledger audit --node URL` does by default: re-derivation, every check, the node's entries
 * compared on sampled pages (first, last and 8 spread). `--all-entries` compares every entry the node serves: it reads
 * them from the node's C2SP tlog-tiles (entry bundles and level-0 tiles) and is timed in the same rounds, against the
 * same download; the pages of JSON it read before (/v1/entries, `entrySource: "api"`) are timed once beside it.
 *
 * The city: deployCity with members, issues and payments, plus an EventSpammer (test-only contract) that fills the log
 * with cheap events; a ledger node follows it to the head before timing starts. Rounds alternate (download, audit
 * without node, full audit with the node, --all-entries) so machine load hits all alike; the medians are reported. The chain
 * (Hardhat's in-process network behind its JSON-RPC server) and the node run on this process's main thread; the download
 * and the audits run in a worker thread of their own (./audit/auditor.ts), as an auditor is a program of its own: both
 * still share the machine's two cores.
 */
import hre from "hardhat";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { createPublicClient, getAddress, http, type PublicClient } from "viem";
import { id } from "ethers";
import { deployCity } from "../scripts/lib/deploy";
import { Flags } from "../scripts/lib/roles";
import { parseNodeConfig } from "../ledger-node/src/config";
import { startLedgerNode } from "../ledger-node/src/node";
import { downloadLogs } from "../scripts/audit/derive";
import { Auditor, type Chain } from "./audit/auditor";
import type { AuditReport } from "../scripts/audit/types";
import { deploySpammer, spam, startRpcServer, tempDir, withContracts, writeRecord } from "../scripts/lib/devchain";
import { machineInfo, progress, ratio, round, type Figure } from "./ledger/report";

const QUICK = process.env.BENCH_QUICK === "1";
const EVENTS = QUICK ? 10_000 : 100_000;
const PER_TX = 250;
/** Blocks per eth_getLogs: 40 blocks of 250 events, 10,000 logs per answer (the cap many providers set). */
const BLOCK_RANGE = 40n;
const ROUNDS = QUICK ? 2 : 3;
const MEMBERS = 12;

async function main() {
  const machine = machineInfo();
  const signers = await hre.ethers.getSigners();
  const [admin, registrar, issuer, council] = signers;
  progress("deploying the city and its members");
  const city = await deployCity(hre, admin, { grants: { REGISTRAR: [registrar.address], ISSUER: [issuer.address], RESERVE_ATTESTER: [admin.address], COUNCIL: [council.address] } });
  await (await city.coin.connect(admin).attestReserve(10n ** 15n, id("bench reserve"))).wait();
  const members = signers.slice(8, 8 + MEMBERS);
  for (const [i, m] of members.entries()) {
    await (await city.registry.connect(registrar).register(m.address, 1, 1 + (i % 5), Flags.RESIDENT, id(`bench member ${i}`))).wait();
    await (await city.coin.connect(issuer).issue(m.address, 1_000_000_000n, id(`bench deposit ${i}`))).wait();
  }
  for (let i = 0; i < 40; i++) {
    await (await city.coin.connect(members[i % MEMBERS]).transfer(members[(i + 1) % MEMBERS].address, 1_000_000n)).wait();
  }
  progress(`emitting ${EVENTS.toLocaleString("en-US")} events`);
  const spammer = await deploySpammer(hre, admin.address);
  const started = performance.now();
  await spam(hre, spammer, admin.address, EVENTS / PER_TX, PER_TX);
  const spamSeconds = (performance.now() - started) / 1000;
  const record = withContracts(city.record, spammer);
  const rpc = await startRpcServer(hre);
  const dir = tempDir("bench-audit");
  const deploymentFile = writeRecord(dir, record);
  progress("a ledger node follows the chain to the head");
  const node = await startLedgerNode(
    parseNodeConfig([], {
      CITY_RPC_URL: rpc.url,
      CITY_DEPLOYMENT: deploymentFile,
      CITY_DATA_DIR: dir,
      CITY_NODE_PORT: "0",
      CITY_POLL_MS: "100",
      // Answers of 10,000 logs, as for the audit: one answer of 100,000 outlasts the node's 15 s RPC timeout here.
      CITY_MAX_BLOCK_RANGE: String(BLOCK_RANGE),
    }),
    { logger: { error: console.error, warn: () => {}, info: () => {} } },
  );
  const client = createPublicClient({ transport: http(rpc.url, { retryCount: 0, timeout: 300_000 }) }) as PublicClient;
  const head = await client.getBlockNumber();
  const addresses = Object.values(record.contracts).map((c) => getAddress(c.address));
  const total = (await downloadLogs({ client, addresses, fromBlock: BigInt(record.deployBlock), toBlock: head, blockRange: BLOCK_RANGE })) as number;
  while (!(node.store.size === total && node.projections.queries?.seq() === total)) {
    await new Promise((r) => setTimeout(r, 1000));
    progress(`node: ${node.store.size.toLocaleString("en-US")} entries`);
  }
  progress(`log of ${total.toLocaleString("en-US")} entries at block ${head}; timing ${ROUNDS} rounds`);

  const times = { download: [] as number[], chainOnly: [] as number[], full: [] as number[], allEntries: [] as number[] };
  const loadAt: Record<string, number> = {};
  let fullReport: AuditReport | undefined;
  let chainReport: AuditReport | undefined;
  let allReport: AuditReport | undefined;
  const chain: Chain = { rpcUrl: rpc.url, addresses, fromBlock: BigInt(record.deployBlock), toBlock: head, blockRange: BLOCK_RANGE };
  const auditor = new Auditor();
  const audit = (nodeUrl?: string, entrySamplePages?: "all", entrySource?: "api") => auditor.audit({ chain, deployment: record, nodeUrl, entrySamplePages, entrySource });
  const download = async () => {
    const { ms, logs } = await auditor.download(chain);
    if (logs !== total) throw new Error(`download read ${logs} logs, expected ${total}`);
    return ms;
  };
  await download(); // the worker's first job loads its modules: not timed
  for (let r = 0; r < ROUNDS; r++) {
    loadAt[`round${r + 1}`] = round(loadavg()[0], 2);
    times.download.push(await download());
    let run = await audit();
    times.chainOnly.push(run.ms);
    chainReport = run.report;
    run = await audit(node.url);
    times.full.push(run.ms);
    fullReport = run.report;
    run = await audit(node.url, "all");
    times.allEntries.push(run.ms);
    allReport = run.report;
    progress(
      `round ${r + 1}: download ${s(times.download[r])}, audit without node ${s(times.chainOnly[r])}, full audit ${s(times.full[r])}, --all-entries ${s(times.allEntries[r])}`,
    );
  }
  progress("once more, --all-entries from /v1/entries pages (the path before tiles), then a download");
  const viaApi = await audit(node.url, "all", "api");
  const apiMs = viaApi.ms;
  const apiReport = viaApi.report;
  const oneDownloadMs = await download();
  await auditor.close();
  for (const report of [chainReport!, fullReport!, allReport!, apiReport]) {
    if (!report.ok || report.logSize !== total) {
      throw new Error(`the audit found discrepancies in an honest city: ${JSON.stringify(report.results.filter((x) => x.status === "fail"))}`);
    }
  }
  await node.close();
  await rpc.close();

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const downloadMs = median(times.download);
  const figure = (rounds: number[], what: string, report: AuditReport, extra: Record<string, unknown> = {}): Figure => {
    const value = median(rounds);
    return {
    value: round(value / 1000, 2),
    unit: "s",
    baseline: round(downloadMs / 1000, 2),
    baselineWhat: `the bare eth_getLogs download of the same ${total.toLocaleString("en-US")} logs (same contracts, ${BLOCK_RANGE} blocks per request), nothing done with them`,
    ratio: ratio(value, downloadMs),
    ratioMeans: `${what} time / download time; lower is better`,
    targets: { "≤ 2× the download": { want: "ratio <= 2", met: value / downloadMs <= 2 } },
    detail: {
      roundsMs: rounds.map((x) => Math.round(x)),
      downloadRoundsMs: times.download.map((x) => Math.round(x)),
      lastRunTimingsMs: report.timings,
      results: report.summary,
      ...extra,
    },
    };
  };
  const out = {
    machine: { ...machine, loadAverageAtStartOf: loadAt, loadAverageEnd: loadavg().map((l) => round(l, 2)) },
    quick: QUICK,
    log: { entries: total, spamEvents: EVENTS, cityEvents: total - EVENTS, blocks: Number(head) - record.deployBlock + 1, emitSeconds: round(spamSeconds, 1) },
    figures: {
      "audit.allEntriesSeconds": figure(
        times.allEntries,
        "--all-entries audit (the full audit comparing every entry, read from the node's tlog-tiles)",
        allReport!,
        {
          entries: allReport!.results.find((x) => x.check === "log.entries")?.figures,
          entriesCheckMs: allReport!.timings["log.entries"],
          before: {
            what: "the same --all-entries audit reading /v1/entries pages of 1,000 (entrySource: api, the path before tiles), one run, then one download right after",
            seconds: round(apiMs / 1000, 2),
            downloadSecondsRightAfter: round(oneDownloadMs / 1000, 2),
            ratio: ratio(apiMs, oneDownloadMs),
            timingsMs: apiReport.timings,
          },
        },
      ),
      "audit.fullSeconds": figure(times.full, "full audit (chain re-derivation, every check, node entries on sampled pages)", fullReport!),
      "audit.withoutNodeSeconds": figure(times.chainOnly, "audit without --node (re-derivation, anchors and money checks)", chainReport!),
    },
  };
  const file = path.join(__dirname, "results", "audit.json");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
  progress(
    `wrote ${path.relative(process.cwd(), file)}: full audit ${out.figures["audit.fullSeconds"].ratio}× the download, --all-entries ${out.figures["audit.allEntriesSeconds"].ratio}× (${ratio(apiMs, oneDownloadMs)}× from /v1/entries)`,
  );
}

function s(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
