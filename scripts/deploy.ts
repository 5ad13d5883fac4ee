/**
 * Deploys the city to a chain named in hardhat.config.ts and writes deployments/<chainId>.json.
 *
 *   CITY_RPC_URL=https://rpc.example.org CITY_DEPLOYER_KEY=0x… \
 *   CITY_REGISTRARS=0x…,0x… CITY_ISSUERS=0x… CITY_COUNCIL=0x… \
 *   npm run deploy -- --network remote
 *
 * Role holders come from the environment (see ROLE_ENV). Then the governance is deployed (timelock, charter, governor,
 * citizens' veto: scripts/lib/governance.ts; recorded under `contracts` with the rest) and the city handed over to it: the timelock becomes ADMIN and COUNCIL of
 * CityAuthority and the deployer renounces every power (CITY_HANDOVER=0 keeps the deployer as admin, for a staged
 * launch). On chains other than the local ones, sensitive roles get the production grant delays of scripts/lib/roles.ts
 * (CITY_GRANT_DELAYS=none to skip). Progress goes to stderr, the result to stdout.
 */
import hre from "hardhat";
import { formatEther, getAddress, isAddress } from "ethers";
import { redactUrl } from "@cityledger/sdk/errors";
import { CITY_CONTRACTS, deployCity } from "./lib/deploy";
import { GOVERNANCE_CONTRACTS, deployGovernance, grantDelayShortfalls, handOverToGovernance } from "./lib/governance";
import { deploymentPath, deploymentsDir, readDeployment, writeDeployment } from "./lib/deployments";
import { Progress } from "./lib/progress";
import { CONSTITUTIONAL_ROLES, PERMISSIONS, PRODUCTION_GRANT_DELAYS, type RoleName } from "./lib/roles";

/** Environment variable → role it grants (comma-separated addresses). ADMIN is the deployer, never from env. */
export const ROLE_ENV: Record<Exclude<RoleName, "ADMIN">, string> = {
  REGISTRAR: "CITY_REGISTRARS",
  ISSUER: "CITY_ISSUERS",
  RESERVE_ATTESTER: "CITY_RESERVE_ATTESTERS",
  ORCHESTRATOR: "CITY_ORCHESTRATORS",
  ARBITER: "CITY_ARBITERS",
  METER_OPERATOR: "CITY_METER_OPERATORS",
  WITNESS: "CITY_WITNESSES",
  RELAYER: "CITY_RELAYERS",
  GUARDIAN: "CITY_GUARDIANS",
  COUNCIL: "CITY_COUNCIL",
};

/** Roles a working city needs from day one; deploying without them only warns (the admin can grant them later). */
const ESSENTIAL: RoleName[] = ["REGISTRAR", "ISSUER", "RESERVE_ATTESTER", "COUNCIL"];
const LOCAL_NETWORKS = new Set(["hardhat", "localhost"]);

/** A problem with the input: printed as a list, without a stack trace. */
class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

function readAddresses(variable: string, problems: string[]): string[] {
  const raw = process.env[variable];
  if (!raw || raw.trim() === "") return [];
  const out: string[] = [];
  for (const entry of raw.split(",").map((s) => s.trim()).filter(Boolean)) {
    if (isAddress(entry)) out.push(getAddress(entry));
    else problems.push(`${variable}: "${entry}" is not an address (expected 0x followed by 40 hex digits)`);
  }
  return out;
}

function readInteger(variable: string, problems: string[], max: number): number | undefined {
  const raw = process.env[variable];
  if (raw === undefined || raw === "") return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) > max) {
    problems.push(`${variable}: "${raw}" is not an integer between 0 and ${max}`);
    return undefined;
  }
  return Number(raw);
}

async function main(): Promise<void> {
  const network = hre.network.name;
  const problems: string[] = [];
  if (network === "remote") {
    if (!process.env.CITY_RPC_URL) problems.push("CITY_RPC_URL is not set: the JSON-RPC URL of the chain to deploy to");
    if (!process.env.CITY_DEPLOYER_KEY) problems.push("CITY_DEPLOYER_KEY is not set: the deployer's private key (0x…, funded with gas)");
  }
  const grants: Partial<Record<RoleName, string[]>> = {};
  for (const [role, variable] of Object.entries(ROLE_ENV) as [RoleName, string][]) {
    const accounts = readAddresses(variable, problems);
    if (accounts.length > 0) grants[role] = accounts;
  }
  const [communityFund] = readAddresses("CITY_COMMUNITY_FUND", problems);
  // The witnesses are also LedgerAnchor's witness set: a federation's operators, of whom a threshold anchors (a
  // majority unless told). Set here, at deployment; after the handover only a constitutional vote changes it.
  const witnessThreshold = readInteger("CITY_WITNESS_THRESHOLD", problems, 255);
  const witnessCount = grants.WITNESS?.length ?? 0;
  if (witnessThreshold !== undefined && (witnessThreshold < 1 || witnessThreshold > witnessCount)) {
    problems.push(`CITY_WITNESS_THRESHOLD: ${witnessThreshold} must be between 1 and the number of CITY_WITNESSES (${witnessCount})`);
  }
  const witnesses = witnessCount > 0 ? { addresses: grants.WITNESS!, threshold: witnessThreshold ?? Math.floor(witnessCount / 2) + 1 } : undefined;
  const migrationDelay = readInteger("CITY_MIGRATION_DELAY", problems, 2 ** 32 - 1);
  const redemptionFeeBps = readInteger("CITY_REDEMPTION_FEE_BPS", problems, 1_000);
  const delaysSetting = process.env.CITY_GRANT_DELAYS ?? (LOCAL_NETWORKS.has(network) ? "none" : "production");
  if (delaysSetting !== "none" && delaysSetting !== "production") {
    problems.push(`CITY_GRANT_DELAYS: "${delaysSetting}" must be "production" or "none"`);
  }
  // The issuer never attests its own reserve (CityCoin refuses it too): the two lists must not share an address.
  for (const account of grants.ISSUER ?? []) {
    if (grants.RESERVE_ATTESTER?.includes(account)) {
      problems.push(`${account} is in both CITY_ISSUERS and CITY_RESERVE_ATTESTERS: the reserve must be attested by someone else`);
    }
  }
  // A rogue grant of a constitutional role must be revocable by a vote before it takes effect.
  if (delaysSetting === "production") {
    for (const { role, delay, needed } of grantDelayShortfalls(PRODUCTION_GRANT_DELAYS, CONSTITUTIONAL_ROLES)) {
      problems.push(`the production grant delay of ${role} (${delay} s) must outlast a vote to revoke it (${needed} s)`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const [deployer] = await hre.ethers.getSigners();
  if (!deployer) {
    throw new ConfigError([`network "${network}" has no account to deploy from: set CITY_DEPLOYER_KEY (or accounts in hardhat.config.ts)`]);
  }
  let chainId: bigint;
  let balance: bigint;
  try {
    ({ chainId } = await hre.ethers.provider.getNetwork());
    balance = await hre.ethers.provider.getBalance(deployer.address);
  } catch (err) {
    const where = "url" in hre.network.config ? ` at ${redactUrl(hre.network.config.url)}` : "";
    throw new ConfigError([`cannot reach the chain of network "${network}"${where}: ${(err as Error).message.split("\n")[0]}`]);
  }
  process.stderr.write(`network ${network}, chain id ${chainId}, deployer ${deployer.address} (${formatEther(balance)} ETH)\n`);
  if (balance === 0n) {
    throw new ConfigError([`the deployer ${deployer.address} has no ETH on chain ${chainId}: fund it to pay for gas`]);
  }
  const dry = network === "hardhat";
  const existing = dry ? undefined : readDeployment(chainId);
  if (existing && process.env.CITY_OVERWRITE !== "1") {
    throw new ConfigError([
      `${deploymentPath(chainId)} already records a city on chain ${chainId} (deployed by ${existing.deployer} at block ` +
        `${existing.deployBlock}); move it away, or set CITY_OVERWRITE=1 to replace it`,
    ]);
  }
  const missing = ESSENTIAL.filter((role) => !grants[role]);
  if (missing.length > 0) {
    const vars = missing.map((role) => ROLE_ENV[role as keyof typeof ROLE_ENV]).join(", ");
    process.stderr.write(`warning: no holder for ${missing.join(", ")} (set ${vars}); the admin can grant them later\n`);
  }
  if (!communityFund) process.stderr.write("warning: CITY_COMMUNITY_FUND not set: redemption fees go to the deployer\n");

  const handOver = process.env.CITY_HANDOVER !== "0";
  const progress = new Progress(CITY_CONTRACTS.length + Object.keys(PERMISSIONS).length + 2 + GOVERNANCE_CONTRACTS.length + 1 + (handOver ? 1 : 0));
  progress.begin(`deploying to ${network}`);
  let city: Awaited<ReturnType<typeof deployCity>>;
  try {
    city = await deployCity(hre, deployer, {
      grants,
      grantDelays: delaysSetting === "production" ? PRODUCTION_GRANT_DELAYS : undefined,
      communityFund,
      migrationDelay,
      redemptionFeeBps,
      witnesses,
      onStep: (step) => progress.step(step),
    });
    const governance = await deployGovernance(hre, city, deployer, { onStep: (step) => progress.step(step) });
    // Recorded beside the city's contracts: the SDK and the ledger node find every contract under `contracts`.
    Object.assign(city.record.contracts, governance.record);
    if (handOver) await handOverToGovernance(city, governance, deployer, (step) => progress.step(step));
  } catch (err) {
    progress.abort();
    throw err;
  }
  progress.finish("deployed");

  const file = dry ? undefined : writeDeployment(city.record);
  const lines = [`city deployed on chain ${city.record.chainId} from block ${city.record.deployBlock}`];
  for (const name of [...CITY_CONTRACTS, ...GOVERNANCE_CONTRACTS]) {
    lines.push(`  ${name.padEnd(15)} ${(city.record.contracts as Record<string, { address: string }>)[name].address}`);
  }
  lines.push(handOver ? "  admin           the governance timelock (the deployer holds no role)" : `  admin           ${deployer.address} (CITY_HANDOVER=0)`);
  for (const [role, accounts] of Object.entries(grants)) lines.push(`  ${role.padEnd(15)} ${accounts.join(", ")}`);
  lines.push(
    file
      ? `deployment written to ${file}`
      : `dry run on the in-process Hardhat network: nothing persists and no file was written (${deploymentsDir()} unchanged)`,
  );
  process.stdout.write(lines.join("\n") + "\n");
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`error: cannot deploy:\n${err.problems.map((p) => `  - ${p}`).join("\n")}\n`);
  } else {
    process.stderr.write(`error: deployment failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exitCode = 1;
});
