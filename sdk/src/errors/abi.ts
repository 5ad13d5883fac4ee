import type { ContractErrorArgs, ContractErrorName } from "viem";
import { basicIncomeAbi, cityAuthorityAbi, cityCoinAbi, cityForwarderAbi, cityRegistryAbi, ledgerAnchorAbi, parkingExchangeAbi, meterRegistryAbi, energyMarketAbi, cityBallotsAbi, participatoryBudgetAbi, cityGovernorAbi, cityAgendaAbi, cityCharterAbi, citizensVetoAbi } from "../abis";

type CityAbiItem =
  | (typeof cityAuthorityAbi)[number]
  | (typeof cityForwarderAbi)[number]
  | (typeof cityRegistryAbi)[number]
  | (typeof cityCoinAbi)[number]
  | (typeof basicIncomeAbi)[number]
  | (typeof ledgerAnchorAbi)[number]
  | (typeof meterRegistryAbi)[number]
  | (typeof energyMarketAbi)[number]
  | (typeof parkingExchangeAbi)[number]
  | (typeof cityBallotsAbi)[number]
  | (typeof participatoryBudgetAbi)[number]
  | (typeof cityGovernorAbi)[number]
  | (typeof cityAgendaAbi)[number]
  | (typeof cityCharterAbi)[number]
  | (typeof citizensVetoAbi)[number];

/**
 * An `error` item of any city contract's ABI.
 * @example `const item: CityErrorAbiItem = cityErrorsAbi.find((e) => e.name === "CityCoinPaused")!;`
 */
export type CityErrorAbiItem = Extract<CityAbiItem, { type: "error" }>;

/**
 * Every custom error the city's contracts can revert with (their own and those they inherit from OpenZeppelin),
 * taken from the generated ABIs.
 *
 * @example
 * ```ts
 * const name: CityErrorName = "CityCoinTransferNotAllowed";
 * ```
 */
export type CityErrorName = ContractErrorName<readonly CityErrorAbiItem[]>;

/**
 * The decoded arguments of the custom error `name`, as a tuple typed from the ABI.
 *
 * @example
 * ```ts
 * type Args = CityErrorArgs<"CityCoinTransferNotAllowed">; // readonly [`0x${string}`]
 * ```
 */
export type CityErrorArgs<name extends CityErrorName> = ContractErrorArgs<readonly CityErrorAbiItem[], name>;

/**
 * The error items of all five city contracts, each once: decodes a revert raised in any of them, even when it
 * bubbled up through another contract (e.g. a CityCoin error during a BasicIncome claim).
 *
 * @example
 * ```ts
 * import { decodeErrorResult } from "viem";
 * const { errorName, args } = decodeErrorResult({ abi: cityErrorsAbi, data: revertData });
 * ```
 */
export const cityErrorsAbi: readonly CityErrorAbiItem[] = (() => {
  const byName = new Map<string, CityErrorAbiItem>();
  for (const abi of [cityAuthorityAbi, cityForwarderAbi, cityRegistryAbi, cityCoinAbi, basicIncomeAbi, ledgerAnchorAbi, parkingExchangeAbi, meterRegistryAbi, energyMarketAbi, cityBallotsAbi, participatoryBudgetAbi, cityGovernorAbi, cityAgendaAbi, cityCharterAbi, citizensVetoAbi]) {
    for (const item of abi as readonly CityAbiItem[]) {
      if (item.type === "error" && !byName.has(item.name)) byName.set(item.name, item);
    }
  }
  return [...byName.values()];
})();
