/**
 * `cityledger deploy --network remote` rehearsed against a chain that is not Hardhat's: anvil, started here on a free
 * port with one block a second and a chain id of its own, stands for the remote chain. The deployment goes through the
 * CLI as an operator runs it (the deployer's key and the role holders in the environment), hands the city over to its
 * governance, and `cityledger audit` of that chain then finds no discrepancy.
 */
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { loadDeployment } from "@cityledger/sdk";
import { CityAuthority__factory, LedgerAnchor__factory, TimelockController__factory } from "../typechain-types";
import { Roles } from "../scripts/lib/roles";
import { CITY_CONTRACTS } from "../scripts/lib/deploy";
import { GOVERNANCE_CONTRACTS } from "../scripts/lib/governance";
import type { AuditReport } from "../scripts/audit/types";
import { startTestAnvil, type TestAnvil } from "./anvil";
import { removeTempDirs, tempDir } from "./start-city";
import { ROOT, cityledger } from "./ledger-node/helpers/cli";

/** Not 31337: nothing in the deployment may rely on being the local city's chain. */
const REMOTE_CHAIN_ID = 424_242;

describe("cityledger deploy --network remote against anvil (1 s blocks), handed over to governance, then audited", function () {
  this.timeout(400_000);
  let chain: TestAnvil;

  before(async () => {
    chain = await startTestAnvil({ blockTime: 1, chainId: REMOTE_CHAIN_ID });
  });

  after(async () => {
    await chain?.close();
    removeTempDirs();
  });

  it("deploys the city and its governance, the timelock as admin and the deployer holding nothing; the audit is clean", async () => {
    const deployer = chain.account(3);
    const [registrar, issuer, attester, council] = [4, 6, 7, 10].map((i) => chain.account(i).address);
    // Three operators' witnesses (a federation): LedgerAnchor takes a majority of them, 2 of 3, unless told.
    const witnesses = [11, 12, 13].map((i) => chain.account(i).address);
    const dir = tempDir("deploy-remote");
    const deployed = await cityledger(["deploy", "--network", "remote", "--json"], {
      CITY_RPC_URL: chain.url,
      CITY_DEPLOYER_KEY: deployer.privateKey,
      CITY_DEPLOYMENTS_DIR: dir,
      CITY_REGISTRARS: registrar,
      CITY_ISSUERS: issuer,
      CITY_RESERVE_ATTESTERS: attester,
      CITY_COUNCIL: council,
      CITY_WITNESSES: witnesses.join(","),
    });
    expect(deployed.code, deployed.stderr).to.equal(0);
    const printed = JSON.parse(deployed.stdout) as { chainId: number; record: string; addresses: Record<string, string> };
    expect(printed.chainId).to.equal(REMOTE_CHAIN_ID);
    const file = path.join(dir, `${REMOTE_CHAIN_ID}.json`);
    expect(path.resolve(ROOT, printed.record)).to.equal(file);
    const record = loadDeployment(fs.readFileSync(file, "utf8"));
    expect(record.deployer).to.equal(deployer.address);
    expect(Object.keys(printed.addresses)).to.include.members([...CITY_CONTRACTS, ...GOVERNANCE_CONTRACTS]);
    for (const name of [...CITY_CONTRACTS, ...GOVERNANCE_CONTRACTS]) {
      expect(await chain.provider.getCode(printed.addresses[name]), `${name} has code`).to.not.equal("0x");
    }

    // The handover: the timelock is ADMIN and COUNCIL of the authority; the deployer holds no role there and is no
    // longer the timelock's admin; the role holders from the environment hold theirs.
    const authority = CityAuthority__factory.connect(printed.addresses.CityAuthority, chain.provider);
    const timelock = TimelockController__factory.connect(printed.addresses.TimelockController, chain.provider);
    const timelockAddress = await timelock.getAddress();
    expect((await authority.hasRole(Roles.ADMIN, timelockAddress))[0], "timelock is ADMIN").to.equal(true);
    expect((await authority.hasRole(Roles.COUNCIL, timelockAddress))[0], "timelock holds COUNCIL").to.equal(true);
    for (const [name, role] of Object.entries(Roles)) {
      expect((await authority.hasRole(role, deployer.address))[0], `deployer holds ${name}`).to.equal(false);
    }
    expect(await timelock.hasRole(await timelock.DEFAULT_ADMIN_ROLE(), deployer.address), "deployer is the timelock's admin").to.equal(false);
    for (const [role, holder] of [[Roles.REGISTRAR, registrar], [Roles.ISSUER, issuer], [Roles.RESERVE_ATTESTER, attester], [Roles.COUNCIL, council]] as const) {
      expect((await authority.hasRole(role, holder))[0]).to.equal(true);
    }

    const anchor = LedgerAnchor__factory.connect(printed.addresses.LedgerAnchor, chain.provider);
    expect(await anchor.witnesses()).to.deep.equal(witnesses);
    expect(await anchor.threshold(), "a majority of the three").to.equal(2n);

    // The audit re-derives the log from that chain and checks the anchors and the money: nothing to report.
    const audit = await cityledger(["audit", "--rpc", chain.url, "--deployment", file, "--json"], {});
    expect(audit.code, audit.stderr + audit.stdout.slice(0, 2_000)).to.equal(0);
    const report = JSON.parse(audit.stdout) as AuditReport;
    expect(report.chainId).to.equal(REMOTE_CHAIN_ID);
    expect(report.summary.fail, "failed checks").to.equal(0);
    expect(report.summary.pass, "passed checks").to.be.greaterThan(0);
    // The deployment's own events (role grants, the handover) are the log's first entries.
    expect(report.logSize).to.be.greaterThan(0);
  });
});
