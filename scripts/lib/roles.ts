import { cityManifest } from "@cityledger/sdk/abis";

/**
 * The city's role ids (mirroring contracts/access/CityRoles.sol, checked against CityAuthority's constants by
 * test/deploy.test.ts) and the table of which role may call which restricted function (read from the manifest).
 */
export const Roles = {
  ADMIN: 0n,
  REGISTRAR: 1n,
  ISSUER: 2n,
  ORCHESTRATOR: 3n,
  ARBITER: 4n,
  METER_OPERATOR: 5n,
  WITNESS: 6n,
  RELAYER: 7n,
  GUARDIAN: 8n,
  COUNCIL: 9n,
  RESERVE_ATTESTER: 10n,
} as const;

export type RoleName = keyof typeof Roles;

type Manifest = typeof cityManifest;

/** Contracts the authority manages (those with a restricted function given to a role), by artifact name. */
export type ManagedContract = { [name in keyof Manifest]: keyof Manifest[name]["roles"] extends never ? never : name }[keyof Manifest];

/**
 * Restricted function → role, per contract: the manifest's `@custom:role` tags (scripts/generate-abis.ts). The deploy
 * script applies it with `setTargetFunctionRole`; the access-control tests call every entry with every wrong role.
 * Functions absent here stay ADMIN-only.
 */
export const PERMISSIONS = Object.fromEntries(
  Object.entries(cityManifest)
    .filter(([, { roles }]) => Object.keys(roles).length > 0)
    .map(([name, { roles }]) => [name, roles as Readonly<Record<string, RoleName>>]),
) as Readonly<Record<ManagedContract, Readonly<Record<string, RoleName>>>>;

/** Default colleges, ids in order. */
export const COLLEGES = ["PUBLIC", "CITIZENS", "PRIVATE_PARTNERS", "ASSOCIATIONS"] as const;

/** Member flag values: the SDK's table (mirroring contracts/membership/MemberFlags.sol), one copy for all. */
export { memberFlags as Flags } from "@cityledger/sdk";

/**
 * The roles whose grant or revocation needs the super-majority under the default charter: every city role but
 * ARBITER and RELAYER (CityCharter's DEFAULT_CONSTITUTIONAL_ROLES, checked against it by
 * test/governance/grantDelays.test.ts). ADMIN always does.
 */
export const CONSTITUTIONAL_ROLES: readonly RoleName[] = [
  "REGISTRAR",
  "ISSUER",
  "ORCHESTRATOR",
  "METER_OPERATOR",
  "WITNESS",
  "GUARDIAN",
  "COUNCIL",
  "RESERVE_ATTESTER",
];

/**
 * Grant delays for a production deployment (seconds): a new holder of a constitutional role can act only after this
 * long. It must outlast a whole vote to revoke the grant (voting delay + voting period + the timelock's veto window:
 * 10 days with the governance defaults of scripts/lib/governance.ts), so that a grant the city regrets is revoked
 * before it takes effect; scripts/deploy.ts refuses delays that do not. The local dev city uses none.
 */
export const PRODUCTION_GRANT_DELAYS: Partial<Record<RoleName, number>> = Object.fromEntries(
  CONSTITUTIONAL_ROLES.map((role) => [role, 14 * 24 * 3600]),
);
