/**
 * A member's proposal before it is on the agenda: its calls, its description and the co-signing deadline travel in a
 * link (the part after `#`, never sent to a server), the co-signers' EIP-712 signatures come back as short answers
 * the proposer pastes. Nothing is stored by the city until the proposer submits it with the co-signatures.
 */
import { encodeFunctionData, getAddress, isAddress, isHex, keccak256, recoverTypedDataAddress, stringToHex, type Address, type Hex } from "viem";
import { cityGovernorAbi, energyMarketAbi, parkingExchangeAbi, type CityClient } from "@cityledger/sdk";
import { parseEuroAmount } from "../pay";

export interface Draft {
  targets: Address[];
  values: string[];
  calldatas: Hex[];
  description: string;
  /** Unix seconds: co-signatures are valid until then. */
  deadline: number;
}

/** The city settings a member's draft may change, each one call with one figure the member types. */
export type ChangeName = "gridPrice" | "parkingFee";

/** The call of a change, from the figure typed: `undefined` when the figure is not a valid one. */
export function changeCall(change: ChangeName, figure: string, addresses: Record<string, Address | undefined>): { target: Address; data: Hex } | undefined {
  if (change === "gridPrice") {
    const parsed = parseEuroAmount(figure);
    if (!("units" in parsed) || parsed.units > 0xffffffffn) return undefined;
    const target = addresses.energyMarket;
    return target && { target, data: encodeFunctionData({ abi: energyMarketAbi, functionName: "setGridPrice", args: [Number(parsed.units)] }) };
  }
  // A percentage with at most two decimals, as basis points; the contract caps it.
  const match = /^(\d{1,2})(?:[.,](\d{1,2}))?$/.exec(figure.trim());
  if (!match) return undefined;
  const bps = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  const target = addresses.parkingExchange;
  return target && { target, data: encodeFunctionData({ abi: parkingExchangeAbi, functionName: "setCityFee", args: [bps] }) };
}

const toBase64Url = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromBase64Url = (text: string) => new TextDecoder().decode(Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)));

export function encodeDraft(draft: Draft): string {
  return toBase64Url(JSON.stringify(draft));
}

/** A draft from a link's fragment, or undefined when it is not one. */
export function decodeDraft(fragment: string): Draft | undefined {
  try {
    const d = JSON.parse(fromBase64Url(fragment.replace(/^#?d=/, ""))) as Partial<Draft>;
    const ok =
      Array.isArray(d.targets) &&
      d.targets.length > 0 &&
      d.targets.every((a) => isAddress(a)) &&
      Array.isArray(d.values) &&
      d.values.length === d.targets.length &&
      d.values.every((v) => /^\d+$/.test(v)) &&
      Array.isArray(d.calldatas) &&
      d.calldatas.length === d.targets.length &&
      d.calldatas.every((c) => isHex(c)) &&
      typeof d.description === "string" &&
      d.description.trim().length > 0 &&
      Number.isSafeInteger(d.deadline);
    return ok ? (d as Draft) : undefined;
  } catch {
    return undefined;
  }
}

/** The governor's proposal id of a draft (its calls and the hash of its description). */
export function draftProposalId(client: CityClient, draft: Draft): Promise<bigint> {
  return client.governance.getProposalId({
    targets: draft.targets,
    values: draft.values.map(BigInt),
    calldatas: draft.calldatas,
    description: draft.description,
  });
}

/** A co-signer's answer, as the proposer pastes it: `cosign:<address>:<signature>`. */
export function encodeAnswer(cosigner: Address, signature: Hex): string {
  return `cosign:${cosigner}:${signature}`;
}

export type AnswerProblem = "answerMalformed" | "answerWrongSigner";

/**
 * Reads a pasted answer and checks its signature is the named member's `Cosign(proposalId, deadline)` in the
 * governor's EIP-712 domain: an answer for another draft, or altered, is refused before anything is sent.
 */
export async function checkAnswer(client: CityClient, text: string, proposalId: bigint, deadline: number): Promise<{ cosigner: Address; signature: Hex } | { problem: AnswerProblem }> {
  const match = /^cosign:(0x[0-9a-fA-F]{40}):(0x[0-9a-fA-F]{130})$/.exec(text.trim());
  if (!match) return { problem: "answerMalformed" };
  const cosigner = getAddress(match[1]!);
  const signature = match[2] as Hex;
  const [, name, version, chainId, verifyingContract] = await client.publicClient.readContract({
    address: client.addresses.cityGovernor!,
    abi: cityGovernorAbi,
    functionName: "eip712Domain",
  });
  const signer = await recoverTypedDataAddress({
    domain: { name, version, chainId, verifyingContract },
    types: { Cosign: [{ name: "proposalId", type: "uint256" }, { name: "deadline", type: "uint256" }] },
    primaryType: "Cosign",
    message: { proposalId, deadline: BigInt(deadline) },
    signature,
  }).catch(() => undefined);
  return signer === cosigner ? { cosigner, signature } : { problem: "answerWrongSigner" };
}

/** The description's hash as the governor keys it (shown to a co-signer who compares it with the proposer's). */
export const descriptionHash = (description: string): Hex => keccak256(stringToHex(description));
