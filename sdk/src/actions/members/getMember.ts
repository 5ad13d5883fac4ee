import type { Address, ContractFunctionReturnType } from "viem";
import { cityRegistryAbi } from "../../abis/cityRegistry";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";

/**
 * A membership's status, by its index in the registry's `MemberStatus` enum.
 *
 * @example
 * ```ts
 * memberStatuses[1]; // "Active"
 * ```
 */
export const memberStatuses = ["None", "Active", "Suspended", "Removed"] as const;

/** @example `const status: MemberStatus = "Suspended";` */
export type MemberStatus = (typeof memberStatuses)[number];

/** @example `const p: GetMemberParameters = { address: "0x…" };` */
export interface GetMemberParameters extends ReadParameters {
  /** The account asked about. */
  address: Address;
}

/**
 * The stored membership (status `"None"` if the account never registered): college, district, flags, the time it
 * became a member (`since`, unix seconds) and the credential hash.
 *
 * @example
 * ```ts
 * const { status, college, flags }: GetMemberReturnType = await getMember(city, { address });
 * ```
 */
export type GetMemberReturnType = Omit<ContractFunctionReturnType<typeof cityRegistryAbi, "view", "memberOf">, "status"> & {
  status: MemberStatus;
};

/** @example `catch (e) { const err = e as GetMemberErrorType; }` */
export type GetMemberErrorType = ReadErrorType;

/**
 * Reads the membership of `address` in CityRegistry.
 *
 * @example
 * ```ts
 * const member = await getMember(city, { address: "0x…" });
 * if (member.status === "Active") console.log(`college ${member.college}, district ${member.district}`);
 * ```
 */
export async function getMember(context: CityContext, parameters: GetMemberParameters): Promise<GetMemberReturnType> {
  const raw = await read(() =>
    context.publicClient.readContract({
      address: context.addresses.cityRegistry,
      abi: cityRegistryAbi,
      functionName: "memberOf",
      args: [parameters.address],
      ...blockOf(parameters),
    }),
  );
  return { ...raw, status: memberStatuses[raw.status] ?? "None" };
}
