import type { Address, Hex } from "viem";
import { moduleAddress } from "./module";
import type { CityContext } from "../../types";

/**
 * OpenZeppelin's `IGovernor.ProposalState`, by code.
 * @example `proposalStates[5] // "queued"`
 */
export const proposalStates = ["pending", "active", "canceled", "defeated", "succeeded", "queued", "expired", "executed"] as const;

/** @example `const s: ProposalState = "queued";` */
export type ProposalState = (typeof proposalStates)[number];

/**
 * What a proposal does: the calls the timelock makes if it passes, and its description (its id hashes them all).
 * @example `const call: ProposalCall = { targets: [coin], calldatas: [data], description: "Set the fee to 2.5%" };`
 */
export interface ProposalCall {
  targets: readonly Address[];
  /** Wei sent with each call (default: zeros). */
  values?: readonly bigint[] | undefined;
  calldatas: readonly Hex[];
  description: string;
}

/**
 * The arguments of a Governor call for `call`: values defaulted to zeros.
 * @example `const [targets, values, calldatas] = proposalArgs(call);`
 * @internal
 */
export function proposalArgs(call: ProposalCall): [readonly Address[], readonly bigint[], readonly Hex[]] {
  return [call.targets, call.values ?? call.targets.map(() => 0n), call.calldatas];
}

/**
 * The address of a governance contract of the deployment, or a {@link ContractNotDeployedError} naming the action.
 * @example `const governor = governanceAddress(context, "CityGovernor", "castVote");`
 * @internal
 */
export function governanceAddress(context: CityContext, contract: "CityGovernor" | "CityAgenda" | "CitizensVeto" | "CityCharter", action: string): Address {
  return moduleAddress(context, contract, action);
}
