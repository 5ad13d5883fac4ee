import { CityError } from "./base";

/**
 * A deployment record (deployments/<chainId>.json) is malformed: lists every problem found, one per line.
 *
 * @example
 * ```ts
 * try { loadDeployment(json); } catch (err) { if (err instanceof InvalidDeploymentError) console.error(err.problems); }
 * ```
 */
export class InvalidDeploymentError extends CityError {
  /** Each problem, e.g. `contracts.CityCoin is missing`. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid deployment record: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ""}.`, {
      metaMessages: [
        ...problems.map((p) => `  ${p}`),
        "",
        "- Load the deployments/<chainId>.json written by the deploy script (npm start, or `cityledger deploy`) for this chain.",
      ],
      name: "InvalidDeploymentError",
    });
    this.problems = problems;
  }
}

/**
 * An action needs a contract the deployment record does not name (a city deployed before that module existed).
 *
 * @example
 * ```ts
 * try { await city.parking.getSpot({ spotId: 1n }); } catch (err) { if (err instanceof ContractNotDeployedError) … }
 * ```
 */
export class ContractNotDeployedError extends CityError {
  /** The artifact name, e.g. `ParkingExchange`. */
  readonly contract: string;

  constructor(contract: string, action: string) {
    super(`${action} calls ${contract}, which this deployment does not include.`, {
      metaMessages: [`- Load a deployment record whose contracts name ${contract} (deploy the city again with the current deploy script).`],
      name: "ContractNotDeployedError",
    });
    this.contract = contract;
  }
}
