import { dataUseRegistryAbi } from "../../abis/dataUseRegistry";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { moduleAddress } from "../internal/module";
import { getPurpose, type GetPurposeReturnType } from "./getPurpose";

/** @example `const p: GetPurposesParameters = { processorId: 1n };` */
export interface GetPurposesParameters extends ReadParameters {
  /** Only this processor's purposes. */
  processorId?: bigint | undefined;
}

/** @example `const purposes: GetPurposesReturnType = await getPurposes(city);` */
export type GetPurposesReturnType = (GetPurposeReturnType & { id: bigint })[];

/** @example `catch (e) { const err = e as GetPurposesErrorType; }` */
export type GetPurposesErrorType = ReadErrorType;

/**
 * Every purpose of data use (or one processor's), in id order, each with its id. All reads are made at one block (the
 * latest when none is given), so the list is consistent.
 *
 * @example
 * ```ts
 * for (const p of await getPurposes(city)) console.log(p.id, legalBases[p.legalBasis]);
 * ```
 */
export async function getPurposes(context: CityContext, parameters: GetPurposesParameters = {}): Promise<GetPurposesReturnType> {
  const address = moduleAddress(context, "DataUseRegistry", "getPurposes");
  // A tag is passed on as it is ("finalized" moves rarely); otherwise every read is pinned to one block number.
  const at: ReadParameters =
    parameters.blockTag !== undefined && parameters.blockNumber === undefined
      ? { blockTag: parameters.blockTag }
      : { blockNumber: parameters.blockNumber ?? (await context.publicClient.getBlockNumber({ cacheTime: 0 })) };
  const count = await read(() => context.publicClient.readContract({ address, abi: dataUseRegistryAbi, functionName: "purposeCount", ...blockOf(at) }));
  const ids = Array.from({ length: Number(count) }, (_, i) => BigInt(i + 1));
  const purposes = await Promise.all(ids.map(async (id) => ({ ...(await getPurpose(context, { purposeId: id, ...at })), id })));
  return parameters.processorId === undefined ? purposes : purposes.filter((p) => BigInt(p.processorId) === parameters.processorId);
}
