import type { PublicClient, WalletClient } from "viem";
import { CityError } from "../errors/base";
import { ChainMismatchError } from "../errors/client";
import { redactUrl } from "../errors/redactUrl";
import { loadDeployment, type CityAddresses, type CityDeployment, type DeploymentRecordJson } from "../deployment/loadDeployment";
import type { CityContext } from "../types";
import { currencyActions, type CurrencyActions } from "./decorators/currency";
import { incomeActions, type IncomeActions } from "./decorators/income";
import { ledgerActions, type LedgerActions } from "./decorators/ledger";
import { openDataActions, type OpenDataActions } from "./decorators/opendata";
import { membersActions, type MembersActions } from "./decorators/members";
import { parkingActions, type ParkingActions } from "./decorators/parking";
import { energyActions, type EnergyActions } from "./decorators/energy";
import { ballotsActions, type BallotsActions } from "./decorators/ballots";
import { budgetActions, type BudgetActions } from "./decorators/budget";
import { governanceActions, type GovernanceActions } from "./decorators/governance";
import { datauseActions, type DatauseActions } from "./decorators/datause";

/**
 * @example
 * ```ts
 * const p: CreateCityClientParameters = { publicClient, walletClient, deployment: loadDeployment(record) };
 * ```
 */
export interface CreateCityClientParameters {
  /** Reads and simulations. Its chain, when set, must be the deployment's. */
  publicClient: PublicClient;
  /** Signs and sends; omit it for a read-only client. Its chain, when set, must be the deployment's. */
  walletClient?: WalletClient | undefined;
  /** A loaded deployment, or the raw record (`deployments/<chainId>.json`), validated here. */
  deployment: CityDeployment | DeploymentRecordJson;
  /** Base URL of the city's ledger node (REST API), for the ledger module. */
  ledgerUrl?: string | URL | undefined;
}

/**
 * A client for one city: the viem clients, the deployment, and the actions grouped by module. It is itself a
 * {@link CityContext}, so the tree-shakable actions accept it too: `getBalance(city, { address })`.
 *
 * @example
 * ```ts
 * const city: CityClient = createCityClient({ publicClient, walletClient, deployment });
 * const balance = await city.currency.getBalance({ address: "0x…" });
 * ```
 */
export interface CityClient extends CityContext {
  deployment: CityDeployment;
  addresses: CityAddresses;
  /** The ledger node's base URL (normalised, without a trailing slash), when given: ledger reads, gasless writes. */
  ledgerUrl: string | undefined;
  members: MembersActions;
  currency: CurrencyActions;
  income: IncomeActions;
  /** Parking sharing (ParkingExchange); its actions throw ContractNotDeployedError if the deployment lacks it. */
  parking: ParkingActions;
  /** Local energy trading (EnergyMarket, MeterRegistry); ContractNotDeployedError if the deployment lacks them. */
  energy: EnergyActions;
  /** Referendums, consultations, petitions (CityBallots); ContractNotDeployedError if the deployment lacks it. */
  ballots: BallotsActions;
  /** Participatory budget rounds (ParticipatoryBudget); ContractNotDeployedError if the deployment lacks it. */
  budget: BudgetActions;
  /** Collegial governance (CityGovernor, CitizensVeto, CityCharter); ContractNotDeployedError if the deployment lacks them. */
  governance: GovernanceActions;
  /** The ledger node's verifiable log (checkpoints, entries, proofs, receipt verification); needs `ledgerUrl`. */
  ledger: LedgerActions;
  /** The ledger node's open data (CSV tables, DCAT-AP catalogue); needs `ledgerUrl`. */
  opendata: OpenDataActions;
  /** Data use (DataUseRegistry): purposes, members' consents; ContractNotDeployedError if the deployment lacks it. */
  datause: DatauseActions;
}

/** @example `catch (e) { const err = e as CreateCityClientErrorType; }` */
export type CreateCityClientErrorType = CityError;

/**
 * Creates a city client from viem clients and a deployment.
 *
 * @throws {InvalidDeploymentError} When `deployment` is a raw record that does not validate.
 * @throws {ChainMismatchError} When a client's chain is not the deployment's.
 * @throws {CityError} When `ledgerUrl` is not an http(s) URL.
 *
 * @example
 * ```ts
 * import { createPublicClient, createWalletClient, http } from "viem";
 * import { privateKeyToAccount } from "viem/accounts";
 * import { hardhat } from "viem/chains";
 * import { createCityClient, loadDeployment, parseCity } from "@cityledger/sdk";
 *
 * const transport = http("http://127.0.0.1:8545");
 * const city = createCityClient({
 *   publicClient: createPublicClient({ chain: hardhat, transport }),
 *   walletClient: createWalletClient({ chain: hardhat, transport, account: privateKeyToAccount(key) }),
 *   deployment: loadDeployment(record),
 * });
 * await city.currency.transfer({ to: "0x…", amount: parseCity("12.5") });
 * ```
 */
export function createCityClient(parameters: CreateCityClientParameters): CityClient {
  const { publicClient, walletClient } = parameters;
  const deployment = isLoaded(parameters.deployment) ? parameters.deployment : loadDeployment(parameters.deployment);
  const publicChain = publicClient.chain?.id;
  if (publicChain !== undefined && publicChain !== deployment.chainId) {
    throw new ChainMismatchError("publicClient", deployment.chainId, publicChain);
  }
  const walletChain = walletClient?.chain?.id;
  if (walletChain !== undefined && walletChain !== deployment.chainId) {
    throw new ChainMismatchError("walletClient", deployment.chainId, walletChain);
  }
  const ledgerUrl = parameters.ledgerUrl === undefined ? undefined : normaliseLedgerUrl(parameters.ledgerUrl);
  const context: CityContext = { publicClient, walletClient, addresses: deployment.addresses, ledgerUrl };
  return {
    ...context,
    deployment,
    addresses: deployment.addresses,
    ledgerUrl,
    members: membersActions(context),
    currency: currencyActions(context),
    income: incomeActions(context),
    parking: parkingActions(context),
    energy: energyActions(context),
    ballots: ballotsActions(context),
    budget: budgetActions(context),
    governance: governanceActions(context),
    ledger: ledgerActions(context),
    opendata: openDataActions(context),
    datause: datauseActions(context),
  };
}

function isLoaded(deployment: CityDeployment | DeploymentRecordJson): deployment is CityDeployment {
  return "addresses" in deployment && typeof deployment.deployBlock === "bigint";
}

function normaliseLedgerUrl(value: string | URL): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new CityError(`ledgerUrl ${redactUrl(String(value))} is not a URL.`, {
      metaMessages: ['- Pass the ledger node\'s base URL, e.g. "http://127.0.0.1:8787".'],
      name: "InvalidLedgerUrlError",
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CityError(`ledgerUrl ${redactUrl(url)} is not an http(s) URL.`, {
      metaMessages: ['- Pass the ledger node\'s base URL, e.g. "https://ledger.example.org".'],
      name: "InvalidLedgerUrlError",
    });
  }
  return url.href.replace(/\/+$/, "");
}
