import { cityGovernorAbi } from "../../abis/cityGovernor";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { governanceAddress, proposalArgs, type ProposalCall } from "../internal/governance";

/** @example `const p: ProposeParameters = { targets: [coin], calldatas: [data], description: "Set the fee to 2.5%" };` */
export interface ProposeParameters extends WriteParameters, ProposalCall {}

/** @example `const hash: ProposeReturnType = await propose(city, params);` */
export type ProposeReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as ProposeErrorType; } // e.g. AccessManagedUnauthorized, CityCharterEmptyCollege` */
export type ProposeErrorType = WriteErrorType;

/**
 * Puts a proposal on the agenda as the orchestrator (the ORCHESTRATOR role). Its id is {@link getProposalId} of the
 * same call; its vote opens after the governor's voting delay.
 *
 * @example
 * ```ts
 * const data = encodeFunctionData({ abi: cityCoinAbi, functionName: "setRedemptionFee", args: [250] });
 * await propose(mayor, { targets: [city.addresses.cityCoin], calldatas: [data], description: "Fee to 2.5%", wait: true });
 * ```
 */
export async function propose(context: CityContext, parameters: ProposeParameters): Promise<ProposeReturnType> {
  const address = governanceAddress(context, "CityGovernor", "propose");
  return write(context, "propose", parameters, (publicClient, account) =>
    publicClient.simulateContract({ address, abi: cityGovernorAbi, functionName: "propose", args: [...proposalArgs(parameters), parameters.description], account }),
  );
}
