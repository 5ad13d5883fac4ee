/**
 * Member flag values (`1n << bit`), mirroring contracts/membership/MemberFlags.sol: combine them with `|`.
 *
 * @example
 * ```ts
 * await city.members.register({ member, college: 1, district: 2, flags: memberFlags.RESIDENT | memberFlags.MERCHANT, credentialHash });
 * ```
 */
export const memberFlags = {
  RESIDENT: 1n << 0n,
  MERCHANT: 1n << 1n,
  PROSUMER: 1n << 2n,
  PARKING_OWNER: 1n << 3n,
  ASSOCIATION: 1n << 4n,
} as const;

/** @example `const flag: MemberFlagName = "PROSUMER";` */
export type MemberFlagName = keyof typeof memberFlags;
