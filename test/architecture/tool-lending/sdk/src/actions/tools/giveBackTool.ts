import { toolLendingAbi } from "../../abis/toolLending";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { moduleAddress } from "../internal/module";

/** @example `const p: GiveBackToolParameters = { toolId: … };` */
export interface GiveBackToolParameters extends WriteParameters {
  toolId: bigint;
}

/** @example `const hash: GiveBackToolReturnType = await giveBackTool(city, { toolId });` */
export type GiveBackToolReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as GiveBackToolErrorType; }` */
export type GiveBackToolErrorType = WriteErrorType;

/** Gives a borrowed tool back (ToolLending.giveBack; relayed when `gasless`). @example `await giveBackTool(city, { toolId, wait: true });` */
export async function giveBackTool(context: CityContext, parameters: GiveBackToolParameters): Promise<GiveBackToolReturnType> {
  const address = moduleAddress(context, "ToolLending", "giveBackTool");
  return write(context, "giveBack", parameters, (publicClient, account) =>
    publicClient.simulateContract({ address, abi: toolLendingAbi, functionName: "giveBack", args: [parameters.toolId], account }),
  );
}
