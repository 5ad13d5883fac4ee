import type { Address, Hex } from "viem";
import { cityCoinAbi } from "../../abis/cityCoin";
import type { CityContext, WriteParameters } from "../../types";
import { addressOf, read, signerOf } from "../internal/call";
import { permitTypes } from "../../relay/typedData";

/**
 * A signed ERC-2612 permit: the owner allows `spender` to move `value` until `deadline`, without sending a
 * transaction. Submit it with {@link permit}, or with {@link transferFrom}'s `permit` option.
 *
 * @example
 * ```ts
 * const signed: SignedPermit = await signPermit(city, { spender, value: parseCity("5") });
 * ```
 */
export interface SignedPermit {
  owner: Address;
  spender: Address;
  /** Base units. */
  value: bigint;
  /** The owner's permit nonce the signature consumes. */
  nonce: bigint;
  /** Unix seconds. */
  deadline: bigint;
  /** The EIP-712 signature (65 bytes). */
  signature: Hex;
}

/** @example `const p: SignPermitParameters = { spender: "0x…", value: parseCity("5") };` */
export interface SignPermitParameters extends Pick<WriteParameters, "account"> {
  /** Who may spend. */
  spender: Address;
  /** Allowance, in base units. */
  value: bigint;
  /** Unix seconds after which the permit is void (default: one hour after the latest block). */
  deadline?: bigint | undefined;
  /** The owner's permit nonce (default: read from CityCoin). */
  nonce?: bigint | undefined;
}

/** @example `const signed: SignPermitReturnType = await signPermit(city, params);` */
export type SignPermitReturnType = SignedPermit;

/** @example `catch (e) { const err = e as SignPermitErrorType; }` */
export type SignPermitErrorType = Error;


/**
 * Signs an ERC-2612 permit for CityCoin with the wallet's account: no gas, no transaction. The EIP-712 domain is read
 * from the contract (ERC-5267 `eip712Domain()`), so it always matches the chain and the deployment.
 *
 * @example
 * ```ts
 * // the member signs…
 * const signed = await signPermit(memberCity, { spender: shop, value: parseCity("5") });
 * // …and the shop pulls the coins in one call
 * await transferFrom(shopCity, { from: signed.owner, to: shop, amount: parseCity("5"), permit: signed });
 * ```
 */
export async function signPermit(context: CityContext, parameters: SignPermitParameters): Promise<SignPermitReturnType> {
  const { walletClient, account } = signerOf(context, "signPermit", parameters.account);
  const owner = addressOf(account);
  const coin = context.addresses.cityCoin;
  const { publicClient } = context;
  const [domain, nonce, deadline] = await Promise.all([
    read(() => publicClient.readContract({ address: coin, abi: cityCoinAbi, functionName: "eip712Domain" })),
    parameters.nonce ?? read(() => publicClient.readContract({ address: coin, abi: cityCoinAbi, functionName: "nonces", args: [owner] })),
    parameters.deadline ?? publicClient.getBlock({ blockTag: "latest" }).then((block) => block.timestamp + 3600n),
  ]);
  const [, name, version, chainId, verifyingContract] = domain;
  const message = { owner, spender: parameters.spender, value: parameters.value, nonce, deadline };
  const signature = await walletClient.signTypedData({
    account,
    domain: { name, version, chainId, verifyingContract },
    types: permitTypes,
    primaryType: "Permit",
    message,
  });
  return { ...message, signature };
}
