import { toolLendingAbi } from "../../abis/toolLending";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { moduleAddress } from "../internal/module";

/** @example `const p: ListToolParameters = { descriptionHash: … };` */
export interface ListToolParameters extends WriteParameters {
  descriptionHash: `0x${string}`;
}

/** @example `const hash: ListToolReturnType = await listTool(city, { descriptionHash });` */
export type ListToolReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as ListToolErrorType; }` */
export type ListToolErrorType = WriteErrorType;

/** Lists a tool under the wallet's member account (ToolLending.list; relayed when `gasless`). @example `await listTool(city, { descriptionHash, wait: true });` */
export async function listTool(context: CityContext, parameters: ListToolParameters): Promise<ListToolReturnType> {
  const address = moduleAddress(context, "ToolLending", "listTool");
  return write(context, "list", parameters, (publicClient, account) =>
    publicClient.simulateContract({ address, abi: toolLendingAbi, functionName: "list", args: [parameters.descriptionHash], account }),
  );
}
