import type { Address, Hex } from "viem";
import type { CityContext, WriteParameters } from "../../types";
import { addressOf, signerOf } from "../internal/call";
import { meterRegistryAddress } from "../internal/energy";

/**
 * What a meter signs: its energy during one slot, EIP-712 `MeterReading(address meter,uint32 slot,uint64
 * producedWh,uint64 consumedWh)` in the domain `MeterRegistry`, version `1` (the contract that records readings).
 *
 * @example `const r: MeterReading = { meter, slot, producedWh: 1_200n, consumedWh: 0n, signature };`
 */
export interface MeterReading {
  meter: Address;
  slot: number;
  producedWh: bigint;
  consumedWh: bigint;
  signature: Hex;
}

/** The EIP-712 types of a meter reading. @example `walletClient.signTypedData({ types: meterReadingTypes, … })` */
export const meterReadingTypes = {
  MeterReading: [
    { name: "meter", type: "address" },
    { name: "slot", type: "uint32" },
    { name: "producedWh", type: "uint64" },
    { name: "consumedWh", type: "uint64" },
  ],
} as const;

/** @example `const p: SignReadingParameters = { slot, producedWh: 1_200n, consumedWh: 0n, account: meterKey };` */
export interface SignReadingParameters {
  /** The meter's own key: the wallet's account by default (the device signs as itself). */
  account?: WriteParameters["account"];
  slot: number;
  producedWh: bigint;
  consumedWh: bigint;
}

/** @example `const reading: SignReadingReturnType = await signReading(meterClient, parameters);` */
export type SignReadingReturnType = MeterReading;

/** @example `catch (e) { const err = e as SignReadingErrorType; }` */
export type SignReadingErrorType = Error;

/**
 * Signs a slot's reading with the meter's own key (the wallet's account, or `account`), for {@link recordReadings} (or
 * {@link settle}, which records what it is given). The meter is the signing address: MeterRegistry records a reading
 * only from an active meter signing for itself.
 *
 * @example
 * ```ts
 * const meter = createCityClient({ publicClient, walletClient: deviceWallet, deployment });
 * const reading = await signReading(meter, { slot, producedWh: 1_200n, consumedWh: 40n });
 * await city.energy.recordReadings({ readings: [reading], wait: true });
 * ```
 */
export async function signReading(context: CityContext, parameters: SignReadingParameters): Promise<SignReadingReturnType> {
  const verifyingContract = meterRegistryAddress(context, "signReading");
  const { walletClient, account } = signerOf(context, "signReading", parameters.account);
  const chainId = walletClient.chain?.id ?? (await context.publicClient.getChainId());
  const message = {
    meter: addressOf(account),
    slot: parameters.slot,
    producedWh: parameters.producedWh,
    consumedWh: parameters.consumedWh,
  };
  const signature = await walletClient.signTypedData({
    account,
    domain: { name: "MeterRegistry", version: "1", chainId, verifyingContract },
    types: meterReadingTypes,
    primaryType: "MeterReading",
    message,
  });
  return { ...message, signature };
}
