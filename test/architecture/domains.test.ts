/**
 * What `docs/adding-a-domain.md` promises, checked on a real deployment: every contract the deploy library puts in
 * the deployment record has a manifest entry, its domain has a node module (registered in the node's one list, or
 * one of the node's own services) and an SDK message file (imported by the SDK's error table, explaining the errors
 * the contract declares under its own name).
 */
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { cityManifest } from "@cityledger/sdk/abis";
import { deployCity } from "../../scripts/lib/deploy";
import { deployGovernance } from "../../scripts/lib/governance";
import { DOMAINS } from "../../ledger-node/src/domains";

const ROOT = path.resolve(__dirname, "../..");
const MESSAGES = "sdk/src/errors/messages";

/**
 * Domains the node serves with its own machinery, not a projection module: their contracts' state is the node's
 * business (the log it anchors, the requests it relays), not a read model of city services.
 */
const NODE_SERVICES: Readonly<Record<string, string>> = {
  ledger: "ledger-node/src/anchor", // LedgerAnchor: the node's anchorer writes checkpoints, its witness routes read them
  relay: "ledger-node/src/relay", // CityForwarder: the node's relayer forwards members' signed requests
};

type Manifest = Record<string, { domain: string; abi: readonly { type: string; name?: string }[] }>;
const manifest = cityManifest as unknown as Manifest;

async function deployedCity(): Promise<Record<string, unknown>> {
  const [admin] = await hre.ethers.getSigners();
  const city = await deployCity(hre, admin!);
  const governance = await deployGovernance(hre, city, admin!);
  return { ...city.record.contracts, ...governance.record };
}

describe("architecture: every deployed contract has a manifest entry, a node module and a message file", () => {
  let deployed: string[];
  before(async () => {
    deployed = Object.keys(await loadFixture(deployedCity)).sort();
  });

  it("a manifest entry for every deployed contract, and nothing in the manifest that is not deployed", () => {
    expect(deployed).to.have.length.greaterThan(10);
    expect(deployed).to.deep.equal(Object.keys(manifest).sort());
  });

  it("a node module for every domain: in the node's DOMAINS list, or one of the node's own services", () => {
    const registered = new Set<string>(DOMAINS.map((d) => d.name));
    for (const name of deployed) {
      const { domain } = manifest[name]!;
      if (registered.has(domain)) {
        expect(fs.existsSync(path.join(ROOT, "ledger-node/src/domains", domain, "index.ts")), `${name}: ledger-node/src/domains/${domain}/index.ts`).to.equal(true);
      } else {
        expect(NODE_SERVICES, `${name} (domain "${domain}") has no node module: add ledger-node/src/domains/${domain}/ and register it in DOMAINS`).to.have.property(domain);
        expect(fs.existsSync(path.join(ROOT, NODE_SERVICES[domain]!)), NODE_SERVICES[domain]).to.equal(true);
      }
    }
    // and no node module for a domain no contract declares
    const declared = new Set(Object.values(manifest).map((c) => c.domain));
    for (const d of [...registered, ...Object.keys(NODE_SERVICES)]) expect(declared.has(d), `node module "${d}" without a contract`).to.equal(true);
    for (const d of Object.keys(NODE_SERVICES)) expect(registered.has(d), `"${d}" is both a projection module and a node service`).to.equal(false);
  });

  it("a message file for every domain, imported by the SDK's error table, explaining the errors its contracts declare", async () => {
    const index = fs.readFileSync(path.join(ROOT, MESSAGES, "index.ts"), "utf8");
    for (const name of deployed) {
      const { domain, abi } = manifest[name]!;
      const file = path.join(ROOT, MESSAGES, `${domain}.ts`);
      expect(fs.existsSync(file), `${name}: ${MESSAGES}/${domain}.ts`).to.equal(true);
      expect(index, `${MESSAGES}/index.ts imports ./${domain}`).to.contain(`from "./${domain}"`);
      const tables = (await import(file)) as Record<string, Record<string, unknown>>;
      const explained = new Set(Object.values(tables).flatMap((t) => Object.keys(t)));
      // The errors named after the contract are its own (shared ones, such as OpenZeppelin's, live with their owner).
      const own = abi.filter((e) => e.type === "error" && e.name!.startsWith(name)).map((e) => e.name!);
      for (const error of own) expect(explained.has(error), `${error} is explained in ${MESSAGES}/${domain}.ts`).to.equal(true);
    }
  });
});
