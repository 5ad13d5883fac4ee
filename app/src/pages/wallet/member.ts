import type { UseQueryResult } from "@tanstack/react-query";
import type { Address } from "viem";
import { NodeProblemError } from "../../api/node";
import { useNodeQuery } from "../../api/query";

/** The registry's record of an address, as the node serves it (`/v1/members/:address`). */
export interface MemberJson {
  status: "none" | "active" | "suspended" | "removed";
  college: number;
  district: number;
  flags: string;
  since: number;
  pendingMigration?: { to: Address; readyAt: number };
  migratedTo?: Address;
}

/**
 * The signed-in address's membership. The node's 404 is an answer here (the address is not in the registry): it reads
 * as status "none"; `record` is undefined only while loading or on another error (`member` says which).
 */
export function useMember(address: Address): { member: UseQueryResult<MemberJson, Error>; record: MemberJson | undefined } {
  const member = useNodeQuery<MemberJson>(`/v1/members/${address}`, { retry: false, throwOnError: false });
  const notFound = member.error instanceof NodeProblemError && member.error.status === 404;
  return { member, record: notFound ? { status: "none", college: 0, district: 0, flags: "0", since: 0 } : member.data };
}
