import type { ContractFunctionReturnType } from "viem";
import { dataUseRegistryAbi } from "../../abis/dataUseRegistry";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { moduleAddress } from "../internal/module";

/** @example `const p: GetProcessorParameters = { processorId: 1n };` */
export interface GetProcessorParameters extends ReadParameters {
  processorId: bigint;
}

/** @example `const { account, active, nameHash, contactUri }: GetProcessorReturnType = await getProcessor(city, { processorId });` */
export type GetProcessorReturnType = ContractFunctionReturnType<typeof dataUseRegistryAbi, "view", "processorOf">;

/** @example `catch (e) { const err = e as GetProcessorErrorType; } // e.g. DataUseRegistryUnknownProcessor` */
export type GetProcessorErrorType = ReadErrorType;

/**
 * A data processor: the account it publishes from, whether it is active, its name hash and contact URI.
 *
 * @example
 * ```ts
 * const processor = await getProcessor(city, { processorId: 1n });
 * ```
 */
export async function getProcessor(context: CityContext, parameters: GetProcessorParameters): Promise<GetProcessorReturnType> {
  const address = moduleAddress(context, "DataUseRegistry", "getProcessor");
  return read(() =>
    context.publicClient.readContract({ address, abi: dataUseRegistryAbi, functionName: "processorOf", args: [parameters.processorId], ...blockOf(parameters) }),
  );
}
