/** Tool-lending read model (ToolLending's events): every tool, its owner, who holds it, how often it was lent. */
import type { ProjectedEntry } from "../../types";
import { defineProjection } from "../../projections/projection";

export interface ToolRecord {
  id: bigint;
  /** Lower-case address. */
  owner: string;
  descriptionHash: string;
  /** Lower-case address of who holds it, absent while it is home. */
  borrower?: string;
  loans: number;
  listedSeq: number;
}

export interface ToolsState {
  /** Tools by decimal id. */
  tools: Map<string, ToolRecord>;
  maxLoans: number;
}

function reduce(state: ToolsState, entry: ProjectedEntry): ToolsState {
  const e = entry.event;
  if (e.contract !== "ToolLending") return state;
  switch (e.name) {
    case "ToolListed":
      state.tools.set(e.args.toolId.toString(), {
        id: e.args.toolId,
        owner: e.args.owner.toLowerCase(),
        descriptionHash: e.args.descriptionHash,
        loans: 0,
        listedSeq: entry.seq,
      });
      break;
    case "ToolBorrowed": {
      const tool = state.tools.get(e.args.toolId.toString());
      if (tool) {
        tool.borrower = e.args.borrower.toLowerCase();
        tool.loans += 1;
      }
      break;
    }
    case "ToolReturned": {
      const tool = state.tools.get(e.args.toolId.toString());
      if (tool) delete tool.borrower;
      break;
    }
    case "MaxLoansSet":
      state.maxLoans = e.args.maxLoans;
      break;
  }
  return state;
}

/** The tool-lending projection (ToolLending). */
export const toolsProjection = defineProjection<ToolsState>({ name: "tools", initial: () => ({ tools: new Map(), maxLoans: 2 }), reduce });
