import { decodeCityError } from "../../errors/contract";
import type { ReadParameters } from "../../types";

/**
 * The block selector of a read, as viem's `readContract` takes it.
 * @example `publicClient.readContract({ ...call, ...blockOf(parameters) })`
 * @internal
 */
export function blockOf(parameters: ReadParameters): { blockNumber: bigint } | { blockTag: NonNullable<ReadParameters["blockTag"]> } | Record<string, never> {
  if (parameters.blockNumber !== undefined) return { blockNumber: parameters.blockNumber };
  if (parameters.blockTag !== undefined) return { blockTag: parameters.blockTag };
  return {};
}

/**
 * Runs a contract read, turning a revert with a city custom error into a `CityContractError`.
 * @example `return read(() => context.publicClient.readContract({ address, abi, functionName, args }));`
 * @internal
 */
export async function read<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw decodeCityError(err) ?? err;
  }
}
