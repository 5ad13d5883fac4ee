/**
 * Three operators federated on one chain (scripts/lib/federation.ts): three `cityledger node` processes, each signing
 * its own checkpoints, witnessing the two others and itself, and anchoring in a LedgerAnchor that takes 2 of their 3
 * witness signatures. One is SIGKILLed (anchoring goes on 2-of-3), restarted (it catches up and cosigns again), then
 * replaced by a node serving a forked log (the others' witnesses refuse it with 409, and the audit names it).
 */
import { expect } from "chai";
import hre from "hardhat";
import fs from "node:fs";
import path from "node:path";
import { getAddress, hexToBytes, type Address, type Hex } from "viem";
import { generatePrivateKey } from "viem/accounts";
import { deployCity } from "../../scripts/lib/deploy";
import { operatorArgs, planFederation, type FederationOperator } from "../../scripts/lib/federation";
import { runAudit } from "../../scripts/cli/audit";
import { verifyCheckpoint } from "../../sdk/src/ledger";
import { coins, freshCredential } from "../fixtures";
import { freePort } from "../start-city";
import { chainLogs, deploySpammer, spam, startRpcServer, tempDir, treeOf, withContracts, writeRecord, type RpcServer } from "./helpers/chain";
import { compiledCli, getJson, killStarted, startCli, type CliProcess } from "./helpers/cli";

const READY = /cityledger node ready on (http:\/\/\S+)/;
/** Hardhat accounts sending each operator's anchors: funded, and used by nothing else here. */
const ANCHOR_ACCOUNTS = [12, 13, 14];

describe("a federation of three ledger nodes (2-of-3 witnesses in LedgerAnchor)", function () {
  this.timeout(120_000);

  let rpc: RpcServer;
  let dir: string;
  let city: Awaited<ReturnType<typeof deployCity>>;
  let deploymentFile: string;
  let forkedDeploymentFile: string;
  let federation: FederationOperator[];
  const nodes: CliProcess[] = [];
  let cli: string;
  let payer: Awaited<ReturnType<typeof hre.ethers.getSigners>>[number];
  let payee: Address;

  const args = (o: FederationOperator, deployment = deploymentFile) =>
    operatorArgs(o, federation, { rpcUrl: rpc.url, deploymentFile: deployment }, ["--poll-ms", "100", "--anchor-every-entries", "1", "--anchor-every-seconds", "1"]);
  const start = async (o: FederationOperator, deployment?: string) => {
    const proc = startCli("node", args(o, deployment), { entry: "compiled", dir: cli });
    nodes[o.n - 1] = proc;
    await proc.waitFor(READY);
    return proc;
  };
  const anchors = async () => {
    const block = await hre.ethers.provider.getBlockNumber();
    const count = Number(await city.ledgerAnchor.anchorCount({ blockTag: block }));
    const events = await city.ledgerAnchor.queryFilter(city.ledgerAnchor.filters.Anchored(), 0, block);
    expect(events).to.have.length(count);
    return events.map((e) => ({ index: Number(e.args.index), size: Number(e.args.size), root: e.args.root as Hex, signers: e.args.signers.map((s: string) => getAddress(s)) }));
  };
  const size = async (o: FederationOperator) => (await getJson<{ size: number }>(`${o.url}/v1/checkpoint`))!.size;
  const rootAt = async (o: FederationOperator, at: number) => (await getJson<{ toRoot: Hex }>(`${o.url}/v1/proofs/consistency?from=0&to=${at}`))!.toRoot;
  const pay = async () => (await city.coin.connect(payer).transfer(payee, coins(1))).wait();
  /** A payment, then waits for an anchor past it whose signers satisfy `signed`. */
  const anchoredAfterPayment = async (signed: (signers: Address[]) => boolean, what: string) => {
    await pay();
    const paidAt = (await chainLogs(hre, city.record)).length;
    let found: Awaited<ReturnType<typeof anchors>>[number] | undefined;
    await waitFor(async () => {
      found = (await anchors()).find((a) => a.size >= paidAt && signed(a.signers));
      return found !== undefined;
    }, `an anchor past size ${paidAt} ${what}`);
    return found!;
  };

  before(async function () {
    const started = Date.now();
    const signers = await hre.ethers.getSigners();
    const [admin, registrar, issuer, council] = signers;
    const compiling = compiledCli();
    const witnessKeys = [generatePrivateKey(), generatePrivateKey(), generatePrivateKey()];
    const mnemonic = hre.network.config.accounts as { mnemonic: string; path: string };
    const anchorKeys = ANCHOR_ACCOUNTS.map((i) => hre.ethers.HDNodeWallet.fromPhrase(mnemonic.mnemonic, undefined, `${mnemonic.path}/${i}`).privateKey as Hex);
    dir = tempDir("federation");
    const ports = [await freePort(), await freePort(), await freePort()];
    federation = planFederation({ origin: "cityledger.local/31337", host: "127.0.0.1", ports, dataDir: dir, witnessKeys, anchorKeys });
    city = await deployCity(hre, admin, {
      grants: { REGISTRAR: [registrar.address], ISSUER: [issuer.address], RESERVE_ATTESTER: [admin.address], COUNCIL: [council.address] },
      witnesses: { addresses: federation.map((o) => o.witness), threshold: 2 },
    });
    await (await city.coin.connect(admin).attestReserve(coins(1_000_000), hre.ethers.id("reserve"))).wait();
    const members = signers.slice(15, 18);
    for (const m of members) {
      await (await city.registry.connect(registrar).register(m.address, 1, 2, 1n, freshCredential())).wait();
      await (await city.coin.connect(issuer).issue(m.address, coins(100), hre.ethers.id(`federation-${m.address}`))).wait();
    }
    [payer] = members;
    payee = members[1].address as Address;
    // Events of a contract that is not the city's: the forked node logs them as if it were (its log forks here, early).
    const spammer = await deploySpammer(hre, admin.address);
    await spam(hre, spammer, admin.address, 2, 20);
    await (await city.coin.connect(members[1]).transfer(members[2].address, coins(3))).wait();
    deploymentFile = writeRecord(dir, city.record);
    forkedDeploymentFile = path.join(dir, "forked.json");
    fs.writeFileSync(forkedDeploymentFile, JSON.stringify(withContracts(city.record, spammer)));
    rpc = await startRpcServer(hre);
    cli = await compiling;
    await Promise.all(federation.map((o) => start(o)));
    console.log(`      setup ${((Date.now() - started) / 1000).toFixed(1)} s (city, spam, three nodes ready)`);
  });

  after(async () => {
    await killStarted();
    await rpc?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("anchors 2-of-3; the three logs have the chain's root at every anchored size, and each note verifies 2-of-3", async () => {
    const witnesses = federation.map((o) => o.witness);
    await anchoredAfterPayment((s) => s.length >= 2, "signed by at least 2 operators");
    const all = await anchors();
    const tree = treeOf(await chainLogs(hre, city.record));
    for (const o of federation) await waitFor(async () => (await size(o)) >= all[all.length - 1].size, `node ${o.n} past the latest anchor`);
    for (const a of all) {
      expect(a.signers.length, `anchor #${a.index}'s signers`).to.be.at.least(2);
      for (const s of a.signers) expect(witnesses).to.include(s);
      const chainRoot = `0x${Buffer.from(tree.root(a.size)).toString("hex")}`;
      expect(a.root, `anchor #${a.index} has the chain's root`).to.equal(chainRoot);
      for (const o of federation) expect(await rootAt(o, a.size), `node ${o.n}'s root at size ${a.size}`).to.equal(a.root);
    }
    // Each node's note carries the three witnesses' cosignatures (its peers' and its own): a 2-of-3 policy holds.
    const cosigners: string[] = [];
    for (const o of federation) cosigners.push((await getJson<{ node: { cosignerKey: string } }>(`${o.url}/v1/deployment`))!.node.cosignerKey);
    for (const o of federation) {
      let note = "";
      await waitFor(async () => {
        note = await (await fetch(`${o.url}/v1/checkpoint?witnessed=true`)).text();
        return note.split("\n").filter((l) => l.startsWith("\u2014 witness.cityledger.local/")).length === 3;
      }, `node ${o.n}'s note cosigned by all three`);
      const checked = verifyCheckpoint(note, { log: o.verifierKey, witnesses: cosigners, quorum: 2 });
      expect(checked.cosignatures).to.have.length(3);
      expect(`0x${Buffer.from(checked.root).toString("hex")}`).to.equal(await rootAt(o, checked.size));
    }
  });

  it("one node SIGKILLed: anchoring goes on 2-of-3; restarted, it catches up and cosigns again", async () => {
    const [a, b, c] = federation;
    const killed = await nodes[2].stop("SIGKILL");
    expect(killed.signal).to.equal("SIGKILL");
    const without = await anchoredAfterPayment((s) => s.length === 2 && !s.includes(c.witness), "signed by the two running operators");
    expect(without.signers).to.have.members([a.witness, b.witness]);

    await start(c);
    const back = await anchoredAfterPayment((s) => s.includes(c.witness), "cosigned by the restarted operator");
    await waitFor(async () => (await size(c)) >= back.size, "the restarted node past the anchor it cosigned");
    for (const o of federation) expect(await rootAt(o, back.size), `node ${o.n}'s root at size ${back.size}`).to.equal(back.root);
  });

  it("a node serving a forked log is refused by the others' witnesses (409) and named by the audit of each URL", async () => {
    const [a, b, c] = federation;
    await nodes[2].stop("SIGTERM");
    // Operator 3 again (its keys, its port), now logging a contract the city does not have, from a fresh log.
    const proc = await start({ ...c, dataDir: path.join(dir, "forked-data") }, forkedDeploymentFile);
    const honestSize = await size(a);
    await waitFor(async () => (await size(c)) > honestSize, "the forked node past the honest log");

    const cp = (await getJson<{ size: number; note: string }>(`${c.url}/v1/checkpoints/${await size(c)}`))!;
    for (const witness of [a, b]) {
      const ask = (fromSize: number, consistencyProof: Hex[]) =>
        fetch(`${witness.url}/v1/witness/cosign`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ note: cp.note, fromSize, consistencyProof }) });
      const first = await ask(0, []);
      expect(first.status).to.equal(409);
      const { witnessSize } = (await first.json()) as { witnessSize: number };
      expect(witnessSize).to.be.within(1, cp.size - 1);
      const { proof } = (await getJson<{ proof: Hex[] }>(`${c.url}/v1/proofs/consistency?from=${witnessSize}&to=${cp.size}`))!;
      const refused = await ask(witnessSize, proof);
      expect(refused.status, `witness of operator ${witness.n}`).to.equal(409);
      expect(refused.headers.get("content-type")).to.match(/^application\/problem\+json/);
      const problem = (await refused.json()) as { type: string; code: string; detail: string };
      expect(problem.type).to.match(/witness-refused$/);
      expect(problem).to.include({ code: "inconsistent" });
      expect(problem.detail).to.match(/does not extend the witnessed log/);
    }
    // Its own anchorer met the same refusals, and the honest two anchor on.
    await waitFor(async () => /refused: the checkpoint does not extend the witnessed log/.test(proc.stderr()), "the forked node told of the refusals");
    const honest = await anchoredAfterPayment((s) => s.includes(a.witness) && s.includes(b.witness), "signed by the two honest operators");
    expect(hexToBytes(honest.root)).to.deep.equal(treeOf(await chainLogs(hre, city.record)).root(honest.size));

    const audits: { code: number; out: string }[] = [];
    for (const o of federation) audits.push(await audit(["--rpc", rpc.url, "--deployment", deploymentFile, "--node", o.url]));
    expect(audits.map((r) => r.code), audits.map((r) => r.out).join("\n---\n")).to.deep.equal([0, 0, 1]);
    expect(audits[2].out).to.match(/discrepancy: log\.checkpoint checkpoint \(size \d+\): the node signed a log of \d+ entries but the chain has only \d+/);
  });
});

/** Runs `cityledger audit` in this process, capturing what it prints. */
async function audit(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const { log, error } = console;
  const write = process.stdout.write;
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  console.error = (...a: unknown[]) => lines.push(a.join(" "));
  process.stdout.write = ((chunk: string) => (lines.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    return { code: await runAudit(argv), out: lines.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
    process.stdout.write = write;
  }
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 40_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}`);
}
