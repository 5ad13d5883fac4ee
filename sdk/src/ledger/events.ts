/**
 * The city's event stream, typed from the compiled ABIs: `CityEvent` is the discriminated union of every event of
 * every city contract, `{ contract, name, args }`, with `args` typed as viem types them (integers up to 48 bits are
 * numbers, wider ones bigints, addresses `0x…` strings). Reducers, the audit and the SDK's readers switch on
 * `event.contract` and `event.name` and read typed arguments, as Ponder's handlers do; a renamed or removed event
 * argument is a compile error, not an `undefined` at run time.
 */
import type { Abi, ContractEventName, DecodeEventLogReturnType } from "viem";
import { cityManifest } from "../abis/manifest";

/** Every city contract's ABI by its deployment name (the `contracts` keys of a deployment record), from the manifest. */
export const cityAbis = Object.fromEntries(Object.entries(cityManifest).map(([name, { abi }]) => [name, abi])) as {
  readonly [name in keyof typeof cityManifest]: (typeof cityManifest)[name]["abi"];
};

export type CityContractName = keyof typeof cityAbis;

/** The typed arguments of event `E` of ABI `A`, by parameter name, as viem decodes them. */
export type EventArgs<A extends Abi, E extends ContractEventName<A>> =
  DecodeEventLogReturnType<A, E>["args"] extends readonly [] ? Readonly<Record<string, never>> : DecodeEventLogReturnType<A, E>["args"];

/** The event names of contract `C` (never for a contract that emits none, e.g. CityAgenda: viem would say `string`). */
export type CityEventName<C extends CityContractName> = string extends ContractEventName<(typeof cityAbis)[C]> ? never : ContractEventName<(typeof cityAbis)[C]>;

/** One event of contract `C`, as the decoder returns it. */
export type ContractEvent<C extends CityContractName> = {
  [E in CityEventName<C>]: { contract: C; name: E; args: EventArgs<(typeof cityAbis)[C], E> };
}[CityEventName<C>];

/** Any event of any city contract: switch on `contract` then `name` to narrow `args`. */
export type CityEvent = { [C in CityContractName]: ContractEvent<C> }[CityContractName];

/** The event `name` of contract `C`, narrowed. */
export type CityEventOf<C extends CityContractName, E extends CityEventName<C>> = Extract<ContractEvent<C>, { name: E }>;
