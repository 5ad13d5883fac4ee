import { toolLendingAbi } from "../../abis/toolLending";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { moduleAddress } from "../internal/module";

/** @example `const p: BorrowToolParameters = { toolId: … };` */
export interface BorrowToolParameters extends WriteParameters {
  toolId: bigint;
}

/** @example `const hash: BorrowToolReturnType = await borrowTool(city, { toolId });` */
export type BorrowToolReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as BorrowToolErrorType; }` */
export type BorrowToolErrorType = WriteErrorType;

/** Borrows a tool that is home (ToolLending.borrow; relayed when `gasless`). @example `await borrowTool(city, { toolId, wait: true });` */
export async function borrowTool(context: CityContext, parameters: BorrowToolParameters): Promise<BorrowToolReturnType> {
  const address = moduleAddress(context, "ToolLending", "borrowTool");
  return write(context, "borrow", parameters, (publicClient, account) =>
    publicClient.simulateContract({ address, abi: toolLendingAbi, functionName: "borrow", args: [parameters.toolId], account }),
  );
}
