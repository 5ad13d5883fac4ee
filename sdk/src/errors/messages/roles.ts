/** The SDK's explanations of the custom errors of the roles domain: access control (CityAuthority and every managed contract). */
import { formatEther } from "viem";
import type { CityErrorMessageTable } from "./types";
import { short } from "./format";

/**
 * How the custom errors of access control (CityAuthority and every managed contract) read (see `CityErrorExplanation`).
 * @example `rolesMessages.AccessManagedUnauthorized.message(args, {})`
 */
export const rolesMessages = {
  AccessManagedUnauthorized: {
    message: ([caller], { functionName }) =>
      `account ${caller} may not call ${functionName ? `${functionName}()` : "this function"}`,
    hint: () =>
      "Restricted functions are granted to a role in CityAuthority (see deployment.roles): send from an account holding that role, or ask the authority's admin to grant it.",
  },
  AccessManagedRequiredDelay: {
    message: ([caller, delay]) => `account ${caller} must schedule this call: its role acts after a ${delay} s delay`,
    hint: () => "Schedule the operation in CityAuthority (schedule), wait the delay, then execute it.",
  },
  AccessManagedInvalidAuthority: {
    message: ([authority]) => `${authority} is not a valid authority`,
  },
  AccessManagerAlreadyScheduled: {
    message: ([operationId]) => `operation ${short(operationId)} is already scheduled`,
  },
  AccessManagerBadConfirmation: {
    message: () => "the confirmation does not match the caller",
    hint: () => "Call renounceRole() with the caller's own address.",
  },
  AccessManagerExpired: {
    message: ([operationId]) => `operation ${short(operationId)} has expired`,
    hint: () => "Schedule it again.",
  },
  AccessManagerInvalidInitialAdmin: {
    message: ([initialAdmin]) => `${initialAdmin} cannot be the initial admin`,
  },
  AccessManagerLockedFunction: {
    message: ([selector]) => `function ${selector} is locked`,
  },
  AccessManagerLockedRole: {
    message: ([roleId]) => `role ${roleId} is locked (ADMIN and PUBLIC cannot be changed this way)`,
  },
  AccessManagerNotReady: {
    message: ([operationId]) => `operation ${short(operationId)} is not ready yet`,
    hint: () => "Wait until its scheduled time.",
  },
  AccessManagerNotScheduled: {
    message: ([operationId]) => `operation ${short(operationId)} is not scheduled`,
  },
  AccessManagerUnauthorizedAccount: {
    message: ([account, roleId]) => `account ${account} does not hold role ${roleId}`,
    hint: () => "Ask the authority's admin to grant the role (roles are listed in deployment.roles).",
  },
  AccessManagerUnauthorizedCall: {
    message: ([caller, target, selector]) => `account ${caller} may not call ${selector} on ${target}`,
    hint: () => "Grant the caller the role the authority assigns to that function.",
  },
  AccessManagerUnauthorizedCancel: {
    message: ([msgsender, caller, target, selector]) =>
      `account ${msgsender} may not cancel the call of ${selector} on ${target} scheduled by ${caller}`,
  },
  AccessManagerUnauthorizedConsume: {
    message: ([target]) => `${target} may not consume a scheduled operation for another target`,
  },
  SafeCastOverflowedUintDowncast: {
    message: ([bits, value]) => `value ${value} does not fit in ${bits} bits`,
  },
  AddressEmptyCode: {
    message: ([target]) => `${target} has no code`,
  },
  FailedCall: {
    message: () => "a low-level call failed",
  },
  InsufficientBalance: {
    message: ([balance, needed]) => `the contract holds ${formatEther(balance)} ETH but ${formatEther(needed)} ETH is needed`,
  },

  // ─── City services (the base of the members' services: CityMemberService) ────────────────────────────────────
  CityServiceZeroAddress: {
    message: () => "a city contract's address given at deployment is zero",
    hint: () => "Deploy the city's registry first and pass its address.",
  },
  CityServiceNotRegistry: {
    message: ([caller]) => `${caller} is not the city's registry: only it reports membership changes`,
  },
} satisfies CityErrorMessageTable;
