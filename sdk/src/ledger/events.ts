/**
 * The city's event stream, typed from the compiled ABIs: `CityEvent` is the discriminated union of every event of
 * every city contract, `{ contract, name, args }`, with `args` typed as viem types them (integers up to 48 bits are
 * numbers, wider ones bigints, addresses `0x…` strings). Reducers, the audit and the SDK's readers switch on
 * `event.contract` and `event.name` and read typed arguments, as Ponder's handlers do; a renamed or removed event
 * argument is a compile error, not an `undefined` at run time.
 */
import type { Abi, ContractEventName, DecodeEventLogReturnType } from "viem";
import {
  basicIncomeAbi,
  citizensVetoAbi,
  cityAuthorityAbi,
  cityBallotsAbi,
  cityCharterAbi,
  cityCoinAbi,
  cityForwarderAbi,
  cityGovernorAbi,
  cityRegistryAbi,
  energyMarketAbi,
  ledgerAnchorAbi,
  meterRegistryAbi,
  parkingExchangeAbi,
  participatoryBudgetAbi,
  timelockControllerAbi,
} from "../abis";

/** Every city contract's ABI by its deployment name (the `contracts` keys of a deployment record). */
export const cityAbis = {
  CityAuthority: cityAuthorityAbi,
  CityForwarder: cityForwarderAbi,
  CityRegistry: cityRegistryAbi,
  CityCoin: cityCoinAbi,
  BasicIncome: basicIncomeAbi,
  LedgerAnchor: ledgerAnchorAbi,
  ParkingExchange: parkingExchangeAbi,
  MeterRegistry: meterRegistryAbi,
  EnergyMarket: energyMarketAbi,
  CityBallots: cityBallotsAbi,
  ParticipatoryBudget: participatoryBudgetAbi,
  CityGovernor: cityGovernorAbi,
  CityCharter: cityCharterAbi,
  CitizensVeto: citizensVetoAbi,
  TimelockController: timelockControllerAbi,
} as const satisfies Record<string, Abi>;

export type CityContractName = keyof typeof cityAbis;

/**
 * The typed arguments of event `E` of ABI `A`, by parameter name, as viem decodes them; an event without parameters
 * has an empty object (viem types it `readonly []` but returns no arguments at all).
 */
export type EventArgs<A extends Abi, E extends ContractEventName<A>> =
  DecodeEventLogReturnType<A, E>["args"] extends readonly [] ? Readonly<Record<string, never>> : DecodeEventLogReturnType<A, E>["args"];

/** One event of contract `C`, as the decoder returns it. */
export type ContractEvent<C extends CityContractName> = {
  [E in ContractEventName<(typeof cityAbis)[C]>]: { contract: C; name: E; args: EventArgs<(typeof cityAbis)[C], E> };
}[ContractEventName<(typeof cityAbis)[C]>];

/** Any event of any city contract: switch on `contract` then `name` to narrow `args`. */
export type CityEvent = { [C in CityContractName]: ContractEvent<C> }[CityContractName];

/** The event `name` of contract `C`, narrowed. */
export type CityEventOf<C extends CityContractName, E extends ContractEventName<(typeof cityAbis)[C]>> = Extract<ContractEvent<C>, { name: E }>;
