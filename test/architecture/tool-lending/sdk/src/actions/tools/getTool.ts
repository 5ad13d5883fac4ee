import type { ContractFunctionReturnType } from "viem";
import { toolLendingAbi } from "../../abis/toolLending";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { moduleAddress } from "../internal/module";

/** @example `const p: GetToolParameters = { toolId: 1n };` */
export interface GetToolParameters extends ReadParameters {
  toolId: bigint;
}

/** @example `const { owner, borrower }: GetToolReturnType = await getTool(city, { toolId });` */
export type GetToolReturnType = ContractFunctionReturnType<typeof toolLendingAbi, "view", "toolOf">;

/** @example `catch (e) { const err = e as GetToolErrorType; }` */
export type GetToolErrorType = ReadErrorType;

/** A tool's owner, borrower (zero while home) and description hash. @example `await getTool(city, { toolId: 1n })` */
export async function getTool(context: CityContext, parameters: GetToolParameters): Promise<GetToolReturnType> {
  const address = moduleAddress(context, "ToolLending", "getTool");
  return read(() =>
    context.publicClient.readContract({ address, abi: toolLendingAbi, functionName: "toolOf", args: [parameters.toolId], ...blockOf(parameters) }),
  );
}
