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
