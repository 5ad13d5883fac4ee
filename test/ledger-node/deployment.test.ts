import { expect } from "chai";
import hre from "hardhat";
import fs from "node:fs";
import type { FastifyInstance } from "fastify";
import { getAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { loadDeployment } from "@cityledger/sdk";
import { verifyCheckpoint } from "@cityledger/sdk/ledger";
import { deployCity, type DeploymentRecord } from "../../scripts/lib/deploy";
import { ConfigError, parseNodeConfig } from "../../ledger-node/src/config";
import { buildApp } from "../../ledger-node/src/api/app";
import type { DeploymentSource } from "../../ledger-node/src/api/routes/deployment";
import type { WitnessSet } from "../../ledger-node/src/anchor/witnessSet";
import { startTestNode, type TestNode } from "./helpers/node";
import { expectProblemOf, madeUpDeployment, openEmptyContext } from "./helpers/api";

describe("GET /v1/deployment", function () {
  this.timeout(120_000);

  describe("on a node following a deployed city", () => {
    const witnesses = [privateKeyToAccount(generatePrivateKey()).address, privateKeyToAccount(generatePrivateKey()).address];
    let record: DeploymentRecord;
    let t: TestNode;
    before(async () => {
      const [admin, council] = await hre.ethers.getSigners();
      const city = await deployCity(hre, admin, {
        grants: { COUNCIL: [council.address] },
        witnesses: { addresses: witnesses, threshold: 2 },
      });
      record = city.record;
      t = await startTestNode(record, {}, "deployment");
    });
    after(async () => {
      await t?.close();
    });

    it("serves the record without ABIs, which loadDeployment accepts as the same deployment as the file", async () => {
      const res = await fetch(`${t.node.url}/v1/deployment`);
      expect(res.status).to.equal(200);
      expect(res.headers.get("content-type")).to.match(/^application\/json/);
      expect(res.headers.get("cache-control")).to.equal("no-cache");
      const text = await res.text();
      expect(text).to.not.contain('"abi"');
      const body = JSON.parse(text);
      expect(Object.keys(body).sort()).to.deep.equal(["chainId", "contracts", "deployBlock", "deployer", "node", "roles"]);
      const served = loadDeployment(body, { chainId: 31337 });
      const fromFile = loadDeployment(JSON.parse(fs.readFileSync(t.deploymentFile, "utf8")));
      expect(served).to.deep.equal(fromFile);
      for (const [name, c] of Object.entries(record.contracts)) {
        expect(body.contracts[name]).to.deep.equal({ address: getAddress(c.address), blockNumber: c.blockNumber });
      }
      expect(body.roles.WITNESS).to.match(/^\d+$/);
    });

    it("names the node's log: its origin and the key its checkpoints verify with", async () => {
      const { node } = await (await fetch(`${t.node.url}/v1/deployment`)).json();
      expect(node.origin).to.equal("cityledger.local/31337");
      expect(node.verifierKey).to.equal(t.node.verifierKey);
      const note = await (await fetch(`${t.node.url}/v1/checkpoint`)).text();
      expect(verifyCheckpoint(note, node.verifierKey).origin).to.equal(node.origin);
    });

    it("lists LedgerAnchor's witnesses and threshold as read on chain, with the contract and block they come from", async () => {
      const { node } = await (await fetch(`${t.node.url}/v1/deployment`)).json();
      expect(node.witnesses).to.deep.equal(witnesses.map((address) => ({ address })));
      expect(node.anchor).to.deep.include({ contract: "LedgerAnchor", address: getAddress(record.contracts.LedgerAnchor.address), threshold: 2 });
      const head = Number(await hre.network.provider.request({ method: "eth_blockNumber", params: [] }));
      expect(Number(node.anchor.blockNumber)).to.be.within(record.contracts.LedgerAnchor.blockNumber, head);
    });

    it("offers the node's own RPC to browsers when it is a loopback http URL", async () => {
      const { node } = await (await fetch(`${t.node.url}/v1/deployment`)).json();
      expect(node.rpcUrl).to.equal(new URL(t.rpc.url).origin);
    });

    it("is documented in the OpenAPI document under the city tag", async () => {
      const doc = await (await fetch(`${t.node.url}/docs/json`)).json();
      expect(doc.paths["/v1/deployment"].get.tags).to.deep.equal(["city"]);
      expect(doc.paths["/v1/deployment"].get.responses).to.have.keys("200", "404", "503", "5XX");
    });
  });

  describe("the public RPC URL setting", () => {
    const config = (env: Record<string, string>) => parseNodeConfig([], env);

    it("defaults to the node's RPC only when it is loopback http with nothing redactUrl would hide", () => {
      expect(config({ CITY_RPC_URL: "http://127.0.0.1:8545" }).publicRpcUrl).to.equal("http://127.0.0.1:8545");
      expect(config({ CITY_RPC_URL: "http://localhost:8545/" }).publicRpcUrl).to.equal("http://localhost:8545");
      expect(config({ CITY_RPC_URL: "http://[::1]:8545" }).publicRpcUrl).to.equal("http://[::1]:8545");
      for (const rpc of [
        "https://rpc.example.org/v3/0123456789abcdef", // a provider's keyed URL
        "http://10.0.0.5:8545", // not loopback: the browser may not be on this network
        "http://user:secret@127.0.0.1:8545",
        "http://127.0.0.1:8545/secret-key",
        "http://127.0.0.1:8545/?apikey=secret",
        "https://127.0.0.1:8545",
      ]) {
        expect(config({ CITY_RPC_URL: rpc }).publicRpcUrl, rpc).to.equal(undefined);
      }
    });

    it("takes an explicit URL, or none, and refuses one with credentials without echoing them", () => {
      expect(config({ CITY_RPC_URL: "https://rpc.example.org/v3/key", CITY_PUBLIC_RPC_URL: "https://rpc.city.example" }).publicRpcUrl).to.equal(
        "https://rpc.city.example",
      );
      expect(config({ CITY_PUBLIC_RPC_URL: "none" }).publicRpcUrl).to.equal(undefined);
      expect(() => config({ CITY_PUBLIC_RPC_URL: "ftp://rpc.city.example" })).to.throw(ConfigError, /--public-rpc must be an http\(s\) URL/);
      try {
        config({ CITY_PUBLIC_RPC_URL: "https://alice:hunter2@rpc.city.example/" });
        expect.fail("accepted a public RPC URL with credentials");
      } catch (error) {
        expect(error).to.be.instanceOf(ConfigError);
        expect((error as Error).message).to.contain("must not carry credentials").and.not.contain("hunter2");
      }
    });
  });

  describe("answers", () => {
    const anchor = getAddress("0x5fc8d32690cc91d4c39d9d3abcbd16989f875707");
    const deployment = () => madeUpDeployment(anchor);
    let empty: Awaited<ReturnType<typeof openEmptyContext>>;
    const apps: FastifyInstance[] = [];
    const appWith = async (source?: DeploymentSource) => {
      const app = await buildApp(empty.ctx, { deployment: source, docs: false });
      apps.push(app);
      return app;
    };
    before(async () => {
      empty = await openEmptyContext("deployment-route");
    });
    after(async () => {
      for (const app of apps) await app.close();
      await empty.close();
    });

    it("404 not-found when the node serves no deployment", async () => {
      const body = expectProblemOf(await (await appWith()).inject({ url: "/v1/deployment" }), 404, "not-found");
      expect(body.detail).to.contain("without a deployment record");
    });

    it("503 not-ready with Retry-After while the witnesses cannot be read, never the RPC's error text", async () => {
      const secret = "https://user:hunter2@rpc.example.org/v3/KEY";
      const app = await appWith({
        deployment: deployment(),
        witnessSet: () => Promise.reject(new Error(`HTTP request failed.\n\nURL: ${secret}`)),
      });
      const res = await app.inject({ url: "/v1/deployment" });
      const body = expectProblemOf(res, 503, "not-ready");
      expect(res.headers["retry-after"]).to.equal("5");
      expect(res.body).to.not.contain("hunter2").and.not.contain("KEY");
      expect(body.detail).to.contain("retry");
    });

    it("reads the witness set once per interval, shares concurrent reads, and keeps serving it when a later read fails", async () => {
      let reads = 0;
      let fail = false;
      const set: WitnessSet = { anchor, witnesses: [anchor], threshold: 1, blockNumber: 7n };
      const app = await appWith({
        deployment: deployment(),
        witnessSet: async () => {
          reads++;
          if (fail) throw new Error("rpc down");
          return set;
        },
      });
      const answers = await Promise.all([1, 2, 3].map(() => app.inject({ url: "/v1/deployment" })));
      expect(answers.map((a) => a.statusCode)).to.deep.equal([200, 200, 200]);
      expect(reads).to.equal(1);
      const { node } = answers[0].json();
      expect(node).to.deep.include({ witnesses: [{ address: anchor }], anchor: { contract: "LedgerAnchor", address: anchor, threshold: 1, blockNumber: "7" } });
      expect(node).to.not.have.property("rpcUrl"); // none given: none served

      const now = Date.now;
      fail = true;
      Date.now = () => now() + 60_000; // past the cache interval
      try {
        const later = await app.inject({ url: "/v1/deployment" });
        expect(later.statusCode).to.equal(200);
        expect(later.json().node.witnesses).to.deep.equal([{ address: anchor }]);
        expect(reads).to.equal(2);
      } finally {
        Date.now = now;
      }
    });

    it("without LedgerAnchor: no witnesses, anchor null", async () => {
      const app = await appWith({ deployment: deployment(), publicRpcUrl: "https://rpc.city.example" });
      const { node } = (await app.inject({ url: "/v1/deployment" })).json();
      expect(node).to.deep.include({ witnesses: [], anchor: null, rpcUrl: "https://rpc.city.example" });
      expect(node).to.not.have.property("demoMembers");
    });

    it("names the dev city's public demo keys only when the node was told (--demo-members), for the wallet's demo sign-in", async () => {
      const app = await appWith({ deployment: deployment(), demoMembers: 40 });
      expect((await app.inject({ url: "/v1/deployment" })).json().node.demoMembers).to.equal(40);
      const config = (env: Record<string, string>) => parseNodeConfig([], { CITY_RPC_URL: "http://127.0.0.1:8545", ...env });
      expect(config({ CITY_DEMO_MEMBERS: "40" }).demoMembers).to.equal(40);
      expect(config({}).demoMembers).to.equal(undefined);
      expect(() => config({ CITY_DEMO_MEMBERS: "0" })).to.throw(ConfigError, /--demo-members/);
      expect(() => config({ CITY_DEMO_MEMBERS: "many" })).to.throw(ConfigError, /--demo-members/);
    });
  });
});
