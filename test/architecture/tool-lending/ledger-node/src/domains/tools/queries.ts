/** Typed reads of the tool-lending projection (conventions: projections/reads.ts). */
import type { Address, Hex } from "viem";
import type { DomainRead } from "../domain";
import type { ToolsState } from "./projection";

export interface ToolView {
  id: bigint;
  owner: Address;
  descriptionHash: Hex;
  borrower?: Address;
  loans: number;
  listedSeq: number;
}

export interface ToolsQueries {
  tool(id: bigint): ToolView | undefined;
  maxLoans(): number;
}

export function toolsQueries({ state, cs }: DomainRead<ToolsState>): ToolsQueries {
  return {
    tool(id) {
      const t = state().tools.get(id.toString());
      if (!t) return undefined;
      return {
        id: t.id,
        owner: cs(t.owner),
        descriptionHash: t.descriptionHash as Hex,
        ...(t.borrower === undefined ? {} : { borrower: cs(t.borrower) }),
        loans: t.loans,
        listedSeq: t.listedSeq,
      };
    },
    maxLoans: () => state().maxLoans,
  };
}
