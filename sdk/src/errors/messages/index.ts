/**
 * The SDK's explanations of the city's custom errors, one file per domain (viem's `errors/` layout), merged into the
 * one table lookups use.
 */
import type { CityErrorName } from "../abi";
import type { CityErrorExplanation } from "./types";
import { membersMessages } from "./members";
import { currencyMessages } from "./currency";
import { incomeMessages } from "./income";
import { ledgerMessages } from "./ledger";
import { meterMessages, energyMarketMessages } from "./energy";
import { parkingMessages } from "./parking";
import { ballotsMessages } from "./ballots";
import { rolesMessages } from "./roles";
import { relayMessages } from "./relay";
import { budgetMessages } from "./budget";
import { governanceMessages } from "./governance";
import { datauseMessages } from "./datause";

export type { CityErrorContext, CityErrorExplanation, CityErrorMessageTable } from "./types";

/**
 * One explanation per custom error of every city contract (one file per manifest domain). The mapped type makes it exhaustive: a contract that
 * gains an error does not compile until the error is explained here.
 *
 * @example
 * ```ts
 * cityErrorMessages.CityCoinTransferNotAllowed.message(["0xAbC…"], {});
 * // "account 0xAbC… is not an active member nor a city account"
 * ```
 */
export const cityErrorMessages: { readonly [name in CityErrorName]: CityErrorExplanation<name> } = {
  ...membersMessages,
  ...currencyMessages,
  ...incomeMessages,
  ...ledgerMessages,
  ...meterMessages,
  ...energyMarketMessages,
  ...parkingMessages,
  ...ballotsMessages,
  ...rolesMessages,
  ...relayMessages,
  ...budgetMessages,
  ...governanceMessages,
  ...datauseMessages,
};
