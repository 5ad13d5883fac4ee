/**
 * The city's role ids (mirroring contracts/access/CityRoles.sol, checked against CityAuthority's constants by
 * test/deploy.test.ts) and the table of which role may call which restricted function.
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

/** Contracts the authority manages, by artifact name. */
export type ManagedContract = "CityRegistry" | "CityCoin" | "BasicIncome" | "LedgerAnchor" | "ParkingExchange" | "MeterRegistry" | "EnergyMarket" | "ParticipatoryBudget" | "CityBallots";

/**
 * Restricted function → role, per contract. The deploy script applies it with `setTargetFunctionRole`; the
 * access-control tests call every entry with every wrong role. Functions absent here stay ADMIN-only.
 */
export const PERMISSIONS: Record<ManagedContract, Record<string, RoleName>> = {
  CityRegistry: {
    "register(address,uint8,uint32,uint64,bytes32)": "REGISTRAR",
    "registerBatch((address,uint8,uint32,uint64,bytes32)[])": "REGISTRAR",
    "update(address,uint8,uint32,uint64,bytes32)": "REGISTRAR",
    "suspend(address,bytes32)": "REGISTRAR",
    "reinstate(address)": "REGISTRAR",
    "remove(address,bytes32)": "REGISTRAR",
    "startMigration(address,address)": "REGISTRAR",
    "approveMigration(address)": "ORCHESTRATOR",
    "cancelMigration(address)": "ORCHESTRATOR",
    "configureCollege(uint8,string,bool)": "COUNCIL",
    "setMigrationDelay(uint32)": "COUNCIL",
    "setMembershipListeners(address[])": "ADMIN",
  },
  CityCoin: {
    "issue(address,uint256,bytes32)": "ISSUER",
    "attestReserve(uint256,bytes32)": "RESERVE_ATTESTER",
    "settleRedemption(uint256,bytes32)": "ISSUER",
    "setRedemptionFee(uint16)": "COUNCIL",
    "setCommunityFund(address)": "COUNCIL",
    "setCityAccount(address,bool)": "COUNCIL",
    "setTransferPolicy(uint8)": "COUNCIL",
    "pause()": "GUARDIAN",
    "unpause()": "GUARDIAN",
  },
  BasicIncome: {
    "createProgram(uint16,uint8,uint48,uint32,uint32,uint96)": "COUNCIL",
    "setAmountPerPeriod(uint256,uint96)": "COUNCIL",
    "endProgram(uint256)": "COUNCIL",
    "withdrawRemaining(uint256,address)": "COUNCIL",
  },
  LedgerAnchor: {
    // anchor(uint64,bytes32,bytes32[],bytes[]) is open to anyone: the witnesses' signatures are its authority.
    "setWitnesses(address[],uint8)": "COUNCIL",
  },
  ParkingExchange: {
    "addCancellationPreset(bytes32,uint32[],uint16[])": "COUNCIL",
    "setCancellationPresetEnabled(uint8,bool)": "COUNCIL",
    "setCityFee(uint16)": "COUNCIL",
    "setDisputeWindow(uint32)": "COUNCIL",
    "setMaxBookingHours(uint16)": "COUNCIL",
    "resolveDispute(uint256,uint256,bytes32)": "ARBITER",
  },
  MeterRegistry: {
    "register(address,address,uint8,uint32)": "METER_OPERATOR",
    "replace(address,address)": "METER_OPERATOR",
    "revoke(address,bytes32)": "METER_OPERATOR",
    "setBaseline(address,uint64)": "METER_OPERATOR",
    "flagPeakSlot(uint32)": "METER_OPERATOR",
  },
  EnergyMarket: {
    "setGateClosure(uint32)": "COUNCIL",
    "setMaxOrdersPerSlot(uint16)": "COUNCIL",
    "setMaxOrdersPerTrader(uint8)": "COUNCIL",
    "setMinOrderWh(uint32)": "COUNCIL",
    "setGridPrice(uint32)": "COUNCIL",
    "setSettlementWindow(uint32)": "COUNCIL",
    "setMinOrderValue(uint32)": "COUNCIL",
  },
  ParticipatoryBudget: {
    // submit, support, vote and the greedy tally(uint256) are open: members act, and anyone may finalize a greedy round.
    "setTreasury(address)": "COUNCIL",
    "createRound((uint48,uint48,uint48,uint48,uint48,uint32,uint8,uint8,uint16,uint16,uint8,uint64,uint32[],uint64[]))": "ORCHESTRATOR",
    "review(uint256,uint32,bool,bytes32)": "ORCHESTRATOR",
    "reviseCost(uint256,uint32,uint64,bytes32)": "ORCHESTRATOR",
    "postResult(uint256,uint256,bytes32)": "ORCHESTRATOR",
    "fund(uint256)": "ORCHESTRATOR",
    "release(uint256,uint32,uint64,bytes32)": "ORCHESTRATOR",
    "closeProject(uint256,uint32,bytes32)": "ORCHESTRATOR",
    // challengeResult and withdrawHeld are open to active members: anyone may dispute a posted result, members withdraw.
    "resolveChallenge(uint256,bool,bytes32)": "COUNCIL",
    "forfeitHeld(address,bytes32)": "COUNCIL",
  },
  CityBallots: {
    // vote, commit, reveal, sign and openPetition are open to members; finalizePage and finalize to anyone (closed ballots).
    "createBallot((uint8,bool,bool,bool,uint8,uint8,uint16,uint8,uint16,uint48,uint48,uint32,uint32[],bytes32))": "ORCHESTRATOR",
    "createPetition((uint8,bool,bool,bool,uint8,uint8,uint16,uint8,uint16,uint48,uint48,uint32,uint32[],bytes32),(uint256,(uint8,bool,bool,bool,uint8,uint8,uint16,uint8,uint16,uint48,uint48,uint32,uint32[],bytes32)))": "ORCHESTRATOR",
  },
};

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
