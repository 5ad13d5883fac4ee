/**
 * `cityledger start --operators 3` (through `npm start -- --operators 3`): a federation of three operators' ledger
 * nodes on consecutive ports, each with its own data directory and checkpoint key, witnessing the others, and the
 * city's LedgerAnchor deployed to take 2 of their 3 witness signatures. Stopped and started again it comes back as a
 * federation of three with the same keys; asking a kept city for another number of operators says how to change it.
 */
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { JsonRpcProvider, Wallet } from "ethers";
import { CityCoin__factory, LedgerAnchor__factory } from "../typechain-types";
import type { DeploymentRecord } from "../scripts/lib/deploy";
import { eventually, freePorts, getJson, hardhatRun, removeTempDirs, startCity, tempDir, type StartedCity } from "./start-city";

const OPERATORS = 3;

after(removeTempDirs);

/** The nodes' lines of the summary: URL and checkpoint key of each operator, in order. */
function operatorsIn(output: string): { url: string; key: string }[] {
  return [...output.matchAll(/operator (\d)\s+(http:\/\/\S+)\s+\(checkpoint key (\S+)\)/g)].map((m) => ({ url: m[2], key: m[3] }));
}

describe("cityledger start --operators 3 (a local federation)", function () {
  this.timeout(600_000);
  const cities: StartedCity[] = [];
  afterEach(async () => {
    for (const city of cities.splice(0)) await city.stop();
  });

  it("runs three nodes on consecutive ports with their own data and keys, anchoring 2-of-3; comes back as three; refuses another count without --fresh", async () => {
    const data = path.join(tempDir("federation-start"), "data");
    const env = { CITY_DATA_DIR: data, CITY_ANCHOR_EVERY_SECONDS: "2" };
    const city = await startCity("federation-1", env, "npm start", ["--operators", String(OPERATORS)]);
    cities.push(city);
    const output = city.run.output();

    // The summary: three operators on the node port and the two after it, three distinct checkpoint keys.
    const operators = operatorsIn(output);
    const basePort = Number(new URL(city.nodeUrl).port);
    expect(operators.map((o) => Number(new URL(o.url).port))).to.deep.equal([basePort, basePort + 1, basePort + 2]);
    expect(new Set(operators.map((o) => o.key)).size).to.equal(OPERATORS);
    expect(output).to.include("3 operators, each witnessing the others; LedgerAnchor takes 2 of their 3 witness signatures");
    expect(output).to.include(`ledger nodes ${path.join(data, "operators")}`);

    // The chain: LedgerAnchor's witnesses are the three operators', a majority anchors.
    const provider = new JsonRpcProvider(city.rpcUrl, 31337, { staticNetwork: true });
    const record = JSON.parse(fs.readFileSync(city.deploymentFile, "utf8")) as DeploymentRecord;
    const anchor = LedgerAnchor__factory.connect(record.contracts.LedgerAnchor.address, provider);
    expect(await anchor.threshold()).to.equal(2n);
    const witnesses = await anchor.witnesses();
    expect(witnesses).to.have.length(OPERATORS);

    // Each node signs its own checkpoints with the key the summary printed.
    for (const o of operators) {
      const checkpoint = await getJson<{ note: string }>(`${o.url}/v1/checkpoint`);
      expect(checkpoint.note, o.url).to.include("cityledger.local/31337");
    }

    // A payment: every node logs it, the three logs agree on the root at one size, and an anchor past it carries at
    // least two of the three operators' witness signatures.
    const member = city.demo.members[3];
    const coin = CityCoin__factory.connect(record.contracts.CityCoin.address, new Wallet(member.key, provider));
    await (await coin.transfer(city.demo.members[4].address, 1_000n)).wait();
    const paidAt = await provider.getBlockNumber();
    let size = 0;
    await eventually(
      async () => {
        const healths = await Promise.all(operators.map((o) => getJson<{ cursor: { block: string }; size: number }>(`${o.url}/v1/health`)));
        size = Math.min(...healths.map((h) => h.size));
        return healths.every((h) => Number(h.cursor.block) >= paidAt);
      },
      60_000,
      "every node to follow the payment",
    );
    const roots = await Promise.all(operators.map((o) => getJson<{ toRoot: string }>(`${o.url}/v1/proofs/consistency?from=0&to=${size}`)));
    expect(new Set(roots.map((r) => r.toRoot)).size, `roots at size ${size}`).to.equal(1);
    await eventually(
      async () => {
        const latest = await anchor.latestAnchor();
        return Number(latest.size) >= size;
      },
      // Three nodes in one process cosign each other's every checkpoint before one anchors: under the CI's three
      // workers on two cores this took over a minute once (a fresh-clone run at c814f95).
      180_000,
      `an anchor of size ≥ ${size}`,
    );
    const events = await anchor.queryFilter(anchor.filters.Anchored(), paidAt);
    const last = events.at(-1)!;
    expect(last.args.signers.length).to.be.at.least(2);
    for (const signer of last.args.signers) expect(witnesses).to.include(signer);

    provider.destroy();
    expect(await city.stop()).to.deep.equal({ code: 0, signal: null });
    cities.splice(0);

    // Another number of operators for the kept city: a clear error, nothing started, nothing wiped.
    const two = hardhatRun("scripts/start.ts", { CITY_DATA_DIR: data, CITY_OPERATORS: "2", CITY_PORT: "0", CITY_DEPLOYMENTS_DIR: tempDir("federation-two") }, "localhost");
    const refused = await two.exited;
    expect(refused.code).to.equal(1);
    expect(two.output()).to.include("was seeded for 3 operators");
    expect(two.output()).to.include("cityledger start --fresh --operators 2");

    // Started again without --operators: the same three operators, the same keys, the log where it was.
    const again = await startCity("federation-2", { ...env, CITY_NODE_PORT: String(await freePorts(OPERATORS)) }, "npm start");
    cities.push(again);
    expect(again.run.output()).to.include("(restarted)");
    expect(operatorsIn(again.run.output()).map((o) => o.key)).to.deep.equal(operators.map((o) => o.key));
    const health = await getJson<{ size: number }>(`${again.nodeUrl}/v1/health`);
    expect(health.size).to.be.at.least(size);
  });
});
