import type { CityContext } from "../../types";
import { borrowTool, type BorrowToolParameters, type BorrowToolReturnType } from "../../actions/tools/borrowTool";
import { getTool, type GetToolParameters, type GetToolReturnType } from "../../actions/tools/getTool";
import { giveBackTool, type GiveBackToolParameters, type GiveBackToolReturnType } from "../../actions/tools/giveBackTool";
import { listTool, type ListToolParameters, type ListToolReturnType } from "../../actions/tools/listTool";

/** The tool-lending actions (ToolLending), bound to a city client: `city.tools.borrow({ toolId })`. */
export interface ToolsActions {
  list: (parameters: ListToolParameters) => Promise<ListToolReturnType>;
  borrow: (parameters: BorrowToolParameters) => Promise<BorrowToolReturnType>;
  giveBack: (parameters: GiveBackToolParameters) => Promise<GiveBackToolReturnType>;
  getTool: (parameters: GetToolParameters) => Promise<GetToolReturnType>;
}

/** Binds the tool-lending actions to `context`. @example `toolsActions(context).borrow({ toolId: 1n })` */
export function toolsActions(context: CityContext): ToolsActions {
  return {
    list: (parameters) => listTool(context, parameters),
    borrow: (parameters) => borrowTool(context, parameters),
    giveBack: (parameters) => giveBackTool(context, parameters),
    getTool: (parameters) => getTool(context, parameters),
  };
}
