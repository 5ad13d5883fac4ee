import { decodeFunctionData, encodeFunctionData, getAddress, toFunctionSelector, type Abi, type AbiFunction, type Address, type Hex } from "viem";
import { cityManifest } from "@cityledger/sdk/abis";

/** The deployment record fields the relayer reads: each contract's address and ABI (its allow-list checks the ABIs). */
export interface DeployedContracts {
  contracts: Record<string, { address: string; abi: readonly unknown[] }>;
}

/**
 * The member actions the relayer pays gas for, by contract (deployment record name) and function name: the manifest's
 * `@custom:relay` tags (each contract's NatSpec says which of its functions are a member's own actions, and why).
 * Only what a member does as a member: paying, claiming, booking, trading energy, voting. Role-restricted functions
 * (issuing, registering, setting fees) and keeper work anyone can do (clearing a slot, opening a period) are not
 * relayed: the city pays for its members' own actions, not for administration. A contract the deployment lacks is
 * skipped.
 */
export const MEMBER_ACTIONS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(cityManifest)
    .filter(([, { relay }]) => relay.length > 0)
    .map(([name, { relay }]) => [name, relay]),
);

/** One allowed call: which contract and function a selector names. */
export interface AllowedCall {
  contract: string;
  functionName: string;
  /** The ABI item, to check that calldata is exactly its encoding. */
  item: AbiFunction;
}

/**
 * Resolves {@link MEMBER_ACTIONS} against a deployment's ABIs into address → selector → function. A name absent from
 * a contract's ABI is ignored here; {@link unknownActions} reports it, and a test keeps that list empty, so a renamed
 * function cannot silently stop being relayed.
 */
export class AllowList {
  private readonly calls = new Map<string, Map<Hex, AllowedCall>>();

  constructor(deployment: DeployedContracts, actions: Readonly<Record<string, readonly string[]>> = MEMBER_ACTIONS) {
    for (const [contract, names] of Object.entries(actions)) {
      const entry = deployment.contracts[contract];
      if (!entry) continue;
      const bySelector = new Map<Hex, AllowedCall>();
      for (const item of entry.abi as Abi) {
        if (item.type !== "function" || !names.includes(item.name)) continue;
        if (item.stateMutability === "view" || item.stateMutability === "pure") continue;
        bySelector.set(toFunctionSelector(item), { contract, functionName: item.name, item });
      }
      this.calls.set(entry.address.toLowerCase(), bySelector);
    }
  }

  /** The allowed call `data` makes on `to`, or undefined. */
  lookup(to: Address, data: Hex): AllowedCall | undefined {
    if (data.length < 10) return undefined;
    return this.calls.get(to.toLowerCase())?.get(data.slice(0, 10).toLowerCase() as Hex);
  }

  /**
   * Why `data` is not exactly the ABI encoding of `call`'s function, or undefined when it is. Calldata is decoded and
   * encoded again: trailing bytes (which targets ignore but the relayer pays for, 16 gas a byte and more), a
   * non-canonical offset or padding, or arguments that do not decode are all refused.
   */
  nonCanonical(call: AllowedCall, data: Hex): string | undefined {
    const abi = [call.item];
    let canonical: Hex;
    try {
      const { args } = decodeFunctionData({ abi, data });
      canonical = encodeFunctionData({ abi, functionName: call.item.name, args } as never);
    } catch {
      return `the calldata does not decode as ${signature(call.item)}`;
    }
    if (canonical.toLowerCase() === data.toLowerCase()) return undefined;
    const extra = (data.length - canonical.length) / 2;
    return extra > 0 && data.toLowerCase().startsWith(canonical.toLowerCase())
      ? `the calldata has ${extra} bytes after the ABI encoding of ${signature(call.item)}`
      : `the calldata is not the canonical ABI encoding of ${signature(call.item)}`;
  }

  /** Whether `to` is one of the relayed contracts at all (to tell "wrong function" from "wrong contract"). */
  isRelayedContract(to: Address): boolean {
    return this.calls.has(to.toLowerCase());
  }

  /** The relayed contracts and their functions, for the API's description. */
  describe(): { contract: string; address: Address; functions: string[] }[] {
    return [...this.calls.entries()].map(([address, calls]) => ({
      contract: [...calls.values()][0]?.contract ?? "",
      address: getAddress(address),
      functions: [...new Set([...calls.values()].map((c) => c.functionName))].sort(),
    }));
  }
}

function signature(item: AbiFunction): string {
  return `${item.name}(${item.inputs.map((i) => i.type).join(",")})`;
}

/** Names listed for a deployed contract that its ABI does not have (a table to fix). */
export function unknownActions(deployment: DeployedContracts, actions: Readonly<Record<string, readonly string[]>> = MEMBER_ACTIONS): string[] {
  const out: string[] = [];
  for (const [contract, names] of Object.entries(actions)) {
    const entry = deployment.contracts[contract];
    if (!entry) continue;
    const have = new Set((entry.abi as Abi).filter((i): i is AbiFunction => i.type === "function").map((i) => i.name));
    for (const name of names) if (!have.has(name)) out.push(`${contract}.${name}`);
  }
  return out;
}
